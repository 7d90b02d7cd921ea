"""Two screens on one analysis: different sections merge, the same section shows both texts and
names who saved the newer one; over-long text is refused with a message, never cut."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from formats import services
from formats.models import Analysis

pytestmark = pytest.mark.django_db


def nl(message: str) -> str:
    """A message as the Dutch interface shows it (the msgid until it is translated)."""
    with translation.override("nl"):
        return translation.gettext(message)


def _url(world, name="analysis_save"):
    return reverse(name, args=[world.crisis_a.pk])


def _screen(client, world) -> dict:
    """The editor's form as a browser would post it: texts, bases and the screen's id."""
    page = client.get(_url(world, "analysis_page")).content.decode()
    fields = dict(re.findall(r'name="(base-[\w-]+|base_revision|editor)" value="([^"]*)"', page))
    for key, text in re.findall(r'name="section-([\w-]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        fields[f"section-{key}"] = text
    return fields


def _save(client, world, screen: dict, **texts):
    data = {**screen, **{f"section-{k}": v for k, v in texts.items()}}
    return client.post(_url(world), data, HTTP_HX_REQUEST="true")


def _draft(analysis) -> dict:
    return Analysis.objects.get(pk=analysis.pk).draft


def test_two_screens_that_change_different_sections_both_save(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    rol_screen, chair_screen = _screen(rol, world), _screen(chair, world)

    assert _save(rol, world, rol_screen, dilemmas="Evacueren of niet").status_code == 200
    second = _save(chair, world, chair_screen, opties="Noodstroom regelen")

    assert second.status_code == 200
    assert _draft(analysis)["dilemmas"] == "Evacueren of niet"
    assert _draft(analysis)["opties"] == "Noodstroom regelen"
    # The chair's screen had not touched Dilemma's: the answer brings the newer text along.
    assert 'data-draft-update="section-dilemmas"' in second.content.decode()
    assert "Evacueren of niet" in second.content.decode()


def test_a_screen_never_writes_its_old_text_over_a_section_it_did_not_touch(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    chair_screen = _screen(chair, world)
    _save(rol, world, _screen(rol, world), dilemmas="Nieuw van de ROL")
    # The chair's screen still holds the empty Dilemma's it loaded, and now saves Advies.
    _save(chair, world, chair_screen, advies="Scholen dicht")
    assert _draft(analysis)["dilemmas"] == "Nieuw van de ROL"
    assert _draft(analysis)["advies"] == "Scholen dicht"


def test_the_same_section_changed_on_two_screens_is_refused_with_both_texts(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    rol_screen, chair_screen = _screen(rol, world), _screen(chair, world)
    _save(rol, world, rol_screen, dilemmas="Tekst van de ROL")

    refused = _save(chair, world, chair_screen, dilemmas="Tekst van de voorzitter")

    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Niet opgeslagen" in page and escape(world.rol.get_full_name()) in page
    assert "Tekst van de ROL" in page and "Tekst van de voorzitter" in page  # side by side
    assert nl("Keep my text") in page and nl("Take the newer text") in page
    assert _draft(analysis)["dilemmas"] == "Tekst van de ROL"


def test_the_message_says_when_the_newer_text_came_from_the_same_person_elsewhere(
    world, analysis, login
):
    first, second = login(world.rol), login(world.rol)  # two tabs of one person
    first_screen, second_screen = _screen(first, world), _screen(second, world)
    assert first_screen["editor"] != second_screen["editor"]
    _save(first, world, first_screen, dilemmas="Eerste tabblad")

    refused = _save(second, world, second_screen, dilemmas="Tweede tabblad")

    page = refused.content.decode()
    assert refused.status_code == 409
    assert escape(nl("you yourself, in another window or tab")) in page
    assert escape(world.rol.get_full_name()) not in page.split('id="draft-status"')[1]


def test_a_save_whose_answer_was_lost_is_not_a_conflict_with_itself(world, analysis, login):
    rol = login(world.rol)
    screen = _screen(rol, world)
    _save(rol, world, screen, dilemmas="Eerste zin")  # its answer never reached the screen
    again = _save(rol, world, screen, dilemmas="Eerste zin. Tweede zin.")
    assert again.status_code == 200
    assert _draft(analysis)["dilemmas"] == "Eerste zin. Tweede zin."


def test_a_conflict_names_each_section_and_who_saved_it(world, analysis):
    start = {"base_revision": 0, "editor": "a1"}
    services.analysis_merge_draft(
        analysis=analysis, actor=world.chair, sections={"dilemmas": "Van de voorzitter"}, **start
    )
    with pytest.raises(services.DraftConflict) as conflict:
        services.analysis_merge_draft(
            analysis=analysis,
            actor=world.rol,
            sections={"dilemmas": "Van de ROL", "opties": "Ook van de ROL"},
            base_revision=0,
            editor="b2",
        )
    [section] = conflict.value.sections
    assert (section.key, section.theirs, section.newer) == (
        "dilemmas",
        "Van de ROL",
        "Van de voorzitter",
    )
    assert section.saved_by == world.chair and not section.by_self
    assert world.chair.get_full_name() in conflict.value.messages[0]
    assert "opties" not in _draft(analysis)  # a refused save saves nothing


def test_keeping_ones_own_text_without_javascript_saves_it(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    chair_screen = _screen(chair, world)
    _save(rol, world, _screen(rol, world), dilemmas="Tekst van de ROL")
    refused = _save(chair, world, chair_screen, dilemmas="Tekst van de voorzitter")
    choice = re.search(r'name="resolve" value="(mine:dilemmas:[^"]+)"', refused.content.decode())

    kept = chair.post(
        _url(world),
        {**chair_screen, "section-dilemmas": "Tekst van de voorzitter", "resolve": choice[1]},
    )

    assert kept.status_code == 302
    assert _draft(analysis)["dilemmas"] == "Tekst van de voorzitter"


def test_taking_the_newer_text_without_javascript_keeps_it(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    chair_screen = _screen(chair, world)
    _save(rol, world, _screen(rol, world), dilemmas="Tekst van de ROL")
    refused = _save(chair, world, chair_screen, dilemmas="Tekst van de voorzitter")
    choice = re.search(r'name="resolve" value="(newer:dilemmas:[^"]+)"', refused.content.decode())

    taken = chair.post(
        _url(world),
        {
            **chair_screen,
            "section-dilemmas": "Tekst van de voorzitter",
            "section-advies": "Advies erbij",
            "resolve": choice[1],
        },
    )

    assert taken.status_code == 302
    assert _draft(analysis)["dilemmas"] == "Tekst van de ROL"
    assert _draft(analysis)["advies"] == "Advies erbij"


def test_a_hand_over_waits_until_newer_text_of_others_has_been_on_screen(world, analysis, login):
    from tests.conftest import FULL

    rol, chair = login(world.rol), login(world.chair)
    _save(rol, world, _screen(rol, world), **FULL)
    rol_screen = _screen(rol, world)
    _save(chair, world, _screen(chair, world), dilemmas="Nieuw dilemma van de voorzitter")

    response = rol.post(_url(world, "analysis_hand_over"), rol_screen)

    page = response.content.decode()
    assert response.status_code == 422
    assert not analysis.versions.exists()
    assert "Nieuw dilemma van de voorzitter" in page  # now on the ROL's screen
    again = rol.post(_url(world, "analysis_hand_over"), _screen(rol, world))
    assert again.status_code == 302 and analysis.versions.count() == 1


def test_over_long_text_is_refused_with_a_message_naming_the_section_and_never_cut(
    world, analysis, login
):
    rol = login(world.rol)
    long_text = "x" * 20_001
    response = _save(rol, world, _screen(rol, world), dilemmas=long_text)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Niet opgeslagen" in page and "Opgeslagen om" not in page
    assert "Dilemma&#x27;s" in page and "20.001" in page
    assert "dilemmas" not in _draft(analysis)
    # Without JavaScript the page comes back with the whole text in the editor.
    plain = rol.post(_url(world), {**_screen(rol, world), "section-dilemmas": long_text})
    assert plain.status_code == 422 and long_text in plain.content.decode()


def test_the_editor_never_cuts_text_and_keeps_a_draft_per_section(world, analysis, login):
    page = login(world.rol).get(_url(world, "analysis_page")).content.decode()
    editor = page.split('class="analysis-editor"')[1]
    assert " maxlength=" not in editor
    assert 'data-maxlength="20000"' in editor
    assert f'data-draft-key="analysis-{world.crisis_a.pk}-dilemmas-u{world.rol.pk}"' in editor
    assert 'data-draft-base="base-dilemmas"' in editor


def test_a_refused_page_marks_the_text_as_not_yet_saved(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    chair_screen = _screen(chair, world)
    _save(rol, world, _screen(rol, world), dilemmas="Tekst van de ROL")
    page = chair.post(
        _url(world), {**chair_screen, "section-dilemmas": "Tekst van de voorzitter"}
    ).content.decode()
    assert "data-draft-unsaved" in page  # typing.js keeps it in the browser until saved
    assert "data-draft-unsaved" not in chair.get(_url(world, "analysis_page")).content.decode()


def test_a_draft_saved_before_section_revisions_is_judged_as_before(world, analysis):
    """Drafts from before the per-section revisions: the migration records every section."""
    from importlib import import_module

    from django.apps import apps

    services.analysis_save_draft(
        analysis=analysis, actor=world.rol, sections={"dilemmas": "Oud"}, base_revision=0
    )
    Analysis.objects.filter(pk=analysis.pk).update(draft_sections={})
    migration = import_module("formats.migrations.0008_analysis_draft_sections")
    migration.record_existing_sections(apps, None)
    with pytest.raises(services.DraftConflict):
        services.analysis_save_draft(
            analysis=analysis, actor=world.chair, sections={"dilemmas": "Nieuw"}, base_revision=0
        )
    saved = services.analysis_save_draft(
        analysis=analysis, actor=world.chair, sections={"dilemmas": "Nieuw"}, base_revision=1
    )
    assert saved.draft["dilemmas"] == "Nieuw"
