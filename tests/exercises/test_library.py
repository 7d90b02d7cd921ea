"""The scenario library: who reads and who prepares, the version and inject forms, frozen
versions refused, validation messages, escaping, and double submits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent
from crisisroom.roles import Role, TeamKind
from exercises import services
from exercises.models import Inject, LearningObjective, Publication, Scenario, ScenarioVersion
from exercises.selectors.library import inject_when, injects_in_order, library_own
from tests.exercises.conftest import make_scenario

SCRIPT = "<script>alert(1)</script>"


def library_url(org):
    return reverse("exercise_library", args=[org.pk])


def page_url(org, scenario, number=None):
    url = reverse("scenario_page", args=[org.pk, scenario.pk])
    return f"{url}?versie={number}" if number is not None else url


def change_url(org, scenario):
    return reverse("scenario_change", args=[org.pk, scenario.pk])


def new_version_url(org, scenario):
    return reverse("scenario_new_version", args=[org.pk, scenario.pk])


def inject_new_url(org, scenario):
    return reverse("inject_new", args=[org.pk, scenario.pk])


def inject_edit_url(org, scenario, inject):
    return reverse("inject_edit", args=[org.pk, scenario.pk, inject.pk])


def inject_delete_url(org, scenario, inject):
    return reverse("inject_delete", args=[org.pk, scenario.pk, inject.pk])


def version_post(**over):
    data = {
        "title": "Drinkwater en DDoS",
        "team_kind": TeamKind.GBT,
        "planned_minutes": "90",
        "background": "Sinds vannacht ligt de gemeentelijke ICT plat.",
        "objectives": "Besluiten met argumenten\nBeeldvorming en oordeelsvorming samen doorlopen",
        "analysis_aanleiding": "DDoS op de gemeentelijke systemen.",
    }
    data.update(over)
    return data


def inject_post(**over):
    data = {
        "timing": "tijd",
        "offset_minutes": "15",
        "trigger_phase": "",
        "channel": Inject.Channel.EMAIL,
        "sender": "Waterbedrijf",
        "addressee_role": Role.MAYOR,
        "summary": "Drukval in het leidingnet",
        "text": "De druk in het noorden valt weg.",
        "excon_note": "Kijk of het BT dit koppelt aan het gerucht",
        "expected_response": "Afstemming met het waterbedrijf",
    }
    data.update(over)
    return data


def freeze(version):
    services.version_freeze(version=version)


@pytest.fixture
def own_a(exer):
    """A scenario of Aadorp's own (a draft with its three injects)."""
    scenario, version, _objectives, _injects = make_scenario(
        exer.org_a, exer.a_leader, title="Brand in het gemeentehuis"
    )
    return scenario


@pytest.fixture
def own_c(exer):
    scenario, *_rest = make_scenario(exer.org_c, exer.c_leader, title="Cedam eigen scenario")
    return scenario


# -- access -------------------------------------------------------------------------------------


def test_region_leader_prepares_the_regions_scenarios(exer, login):
    client = login(exer.region_leader)
    page = client.get(library_url(exer.region))
    assert page.status_code == 200
    assert "Langdurige stroomuitval" in page.text
    assert reverse("scenario_new", args=[exer.region.pk]) in page.text
    assert client.get(page_url(exer.region, exer.scenario)).status_code == 200
    assert client.get(change_url(exer.region, exer.scenario)).status_code == 200
    assert client.get(inject_new_url(exer.region, exer.scenario)).status_code == 200


def test_a_leader_reads_the_published_region_scenario_but_may_not_edit_it(exer, login):
    client = login(exer.a_leader)
    library = client.get(library_url(exer.org_a))
    assert library.status_code == 200
    assert "Langdurige stroomuitval" in library.text
    assert 'class="badge badge-region"' in library.text
    assert _("from the region") in library.text
    page = client.get(page_url(exer.org_a, exer.scenario))
    assert page.status_code == 200
    # EXCON side: the exercise leader who runs it reads the notes.
    assert "GEHEIM-EXCON" in page.text
    assert change_url(exer.org_a, exer.scenario) not in page.text
    assert client.get(change_url(exer.org_a, exer.scenario)).status_code == 403
    assert client.post(change_url(exer.org_a, exer.scenario), version_post()).status_code == 403
    assert client.get(inject_new_url(exer.org_a, exer.scenario)).status_code == 403
    inject = exer.injects[0]
    assert client.post(inject_delete_url(exer.org_a, exer.scenario, inject)).status_code == 403
    assert client.post(new_version_url(exer.org_a, exer.scenario), {"note": "x"}).status_code == 403
    assert Inject.objects.filter(pk=inject.pk).exists()


def test_aadorps_administrator_reads_its_library_but_prepares_nothing(world, exer, login, own_a):
    client = login(world.org_admin)
    library = client.get(library_url(exer.org_a))
    assert library.status_code == 200
    assert "Brand in het gemeentehuis" in library.text
    assert reverse("scenario_new", args=[exer.org_a.pk]) not in library.text
    assert client.get(page_url(exer.org_a, own_a)).status_code == 200
    assert client.get(page_url(exer.org_a, exer.scenario)).status_code == 200
    assert client.get(reverse("scenario_new", args=[exer.org_a.pk])).status_code == 403
    assert client.get(change_url(exer.org_a, own_a)).status_code == 403


def test_region_admin_reads_but_may_not_prepare(exer, login):
    client = login(exer.region_admin)
    assert client.get(library_url(exer.region)).status_code == 200
    assert client.get(page_url(exer.region, exer.scenario)).status_code == 200
    assert client.get(reverse("scenario_new", args=[exer.region.pk])).status_code == 403
    assert (
        client.post(reverse("scenario_new", args=[exer.region.pk]), version_post()).status_code
        == 403
    )
    assert client.get(change_url(exer.region, exer.scenario)).status_code == 403
    assert client.post(inject_new_url(exer.region, exer.scenario), inject_post()).status_code == 403
    assert Scenario.objects.count() == 1


def test_a_region_member_without_flags_gets_404(exer, login):
    client = login(exer.waarnemer)
    assert client.get(library_url(exer.region)).status_code == 404
    assert client.get(page_url(exer.region, exer.scenario)).status_code == 404
    assert client.get(change_url(exer.region, exer.scenario)).status_code == 404
    assert client.post(inject_new_url(exer.region, exer.scenario), inject_post()).status_code == 404


def test_c_leader_sees_the_published_scenario(exer, login):
    client = login(exer.c_leader)
    assert "Langdurige stroomuitval" in client.get(library_url(exer.org_c)).text
    assert client.get(page_url(exer.org_c, exer.scenario)).status_code == 200


def test_outsider_and_anonymous_get_nothing(world, exer, client, login):
    outsider = login(world.outsider)
    for url in [
        library_url(exer.region),
        library_url(exer.org_a),
        page_url(exer.org_a, exer.scenario),
        page_url(exer.region, exer.scenario),
    ]:
        assert outsider.get(url).status_code == 404
        assert client.get(url).status_code == 302  # to the login page


def test_a_member_municipality_does_not_enter_the_region_or_another_member(exer, login, own_a):
    client = login(exer.a_leader)
    assert client.get(library_url(exer.region)).status_code == 404
    assert client.get(page_url(exer.region, exer.scenario)).status_code == 404
    other = login(exer.c_leader)
    assert other.get(library_url(exer.org_a)).status_code == 404
    assert other.get(page_url(exer.org_a, own_a)).status_code == 404
    assert other.get(page_url(exer.org_c, own_a)).status_code == 404


def test_another_members_own_scenario_is_404(exer, login, own_c):
    client = login(exer.a_leader)
    assert client.get(page_url(exer.org_a, own_c)).status_code == 404
    assert client.get(change_url(exer.org_a, own_c)).status_code == 404
    assert client.post(inject_new_url(exer.org_a, own_c), inject_post()).status_code == 404
    assert "Cedam eigen scenario" not in client.get(library_url(exer.org_a)).text


def test_a_member_reads_only_the_versions_its_region_published(exer, login):
    freeze(exer.version)
    draft = services.version_new(
        scenario=exer.scenario, actor=exer.region_leader, note="Nog niet gepubliceerd"
    )
    client = login(exer.a_leader)
    page = client.get(page_url(exer.org_a, exer.scenario))
    assert page.context["version"] == exer.version
    assert "Nog niet gepubliceerd" not in page.text
    assert client.get(page_url(exer.org_a, exer.scenario, draft.number)).status_code == 404
    region_page = login(exer.region_leader).get(page_url(exer.region, exer.scenario, 2))
    assert region_page.status_code == 200
    assert "Nog niet gepubliceerd" in region_page.text


def test_an_inject_of_another_scenario_is_404_and_never_deleted(exer, login, own_a):
    client = login(exer.a_leader)
    foreign = exer.injects[0]  # the region's
    assert client.get(inject_edit_url(exer.org_a, own_a, foreign)).status_code == 404
    # Deleting answers as for an inject already removed: nothing says it exists elsewhere.
    assert client.post(inject_delete_url(exer.org_a, own_a, foreign)).status_code == 302
    assert Inject.objects.filter(pk=foreign.pk).exists()


def test_wrong_methods_are_refused(exer, login):
    client = login(exer.region_leader)
    assert client.post(library_url(exer.region)).status_code == 405
    assert client.post(page_url(exer.region, exer.scenario)).status_code == 405
    assert client.get(new_version_url(exer.region, exer.scenario)).status_code == 405
    inject = exer.injects[0]
    assert client.get(inject_delete_url(exer.region, exer.scenario, inject)).status_code == 405


# -- the library page ---------------------------------------------------------------------------


def test_library_lists_versions_status_and_runs(exer, exercise, login):
    freeze(exer.version)
    services.version_new(scenario=exer.scenario, actor=exer.region_leader, note="Inject 2 eerder")
    rows = library_own(organisation=exer.region)
    assert len(rows) == 1
    row = rows[0]
    assert (row.number, row.versions, row.is_frozen, row.runs) == (2, 2, False, 1)
    assert row.published_number == 1
    page = login(exer.region_leader).get(library_url(exer.region))
    assert _("draft") in page.text and "v2" in page.text


def test_empty_library_tells_what_to_do(world, exer, login):
    Publication.objects.all().delete()
    page = login(exer.c_leader).get(library_url(exer.org_c))
    assert _("New scenario") in page.text
    empty_region = _(
        "%(region)s has not published a scenario to its members yet. When it does, it appears "
        "here to run as it is."
    ) % {"region": exer.region.name}
    assert empty_region in page.text
    page = login(world.org_admin).get(library_url(exer.org_a))
    assert reverse("scenario_new", args=[exer.org_a.pk]) not in page.text
    assert 'class="empty"' in page.text


# -- creating and editing -----------------------------------------------------------------------


def test_leader_makes_a_scenario_with_objectives_and_starting_analysis(exer, login):
    client = login(exer.a_leader)
    form = client.get(reverse("scenario_new", args=[exer.org_a.pk]))
    assert 'name="analysis_aanleiding"' in form.text
    response = client.post(reverse("scenario_new", args=[exer.org_a.pk]), version_post())
    assert response.status_code == 302
    scenario = Scenario.objects.get(organisation=exer.org_a)
    version = scenario.versions.get()
    assert version.number == 1 and not version.is_frozen
    assert version.planned_minutes == 90
    assert version.analysis == {"aanleiding": "DDoS op de gemeentelijke systemen."}
    assert [o.text for o in version.objectives.order_by("order")] == [
        "Besluiten met argumenten",
        "Beeldvorming en oordeelsvorming samen doorlopen",
    ]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXERCISE_SCENARIO_CHANGED, organisation=exer.org_a
    ).exists()
    page = client.get(response["Location"])
    assert "Drinkwater en DDoS" in page.text
    assert "DDoS op de gemeentelijke systemen." in page.text


def test_a_double_submitted_new_scenario_is_made_once(exer, login):
    client = login(exer.a_leader)
    url = reverse("scenario_new", args=[exer.org_a.pk])
    first = client.post(url, version_post())
    second = client.post(url, version_post())
    assert first["Location"] == second["Location"]
    assert Scenario.objects.filter(organisation=exer.org_a).count() == 1


def test_leader_edits_a_draft(exer, login):
    client = login(exer.region_leader)
    response = client.post(
        change_url(exer.region, exer.scenario),
        version_post(title="Stroomuitval, herzien", objectives="Besluiten met argumenten"),
    )
    assert response.status_code == 302
    exer.version.refresh_from_db()
    assert exer.version.title == "Stroomuitval, herzien"
    # The unchanged objective keeps its row (observations may name it); the other is gone.
    assert list(exer.version.objectives.all()) == [exer.objectives[1]]


def test_validation_of_the_version_form(exer, login):
    client = login(exer.region_leader)
    too_many = "\n".join(f"Leerdoel {n}" for n in range(13))
    response = client.post(
        change_url(exer.region, exer.scenario),
        version_post(title="", planned_minutes="9999", objectives=too_many),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "title" in errors and "planned_minutes" in errors and "objectives" in errors
    assert errors["title"] == [_("Give the scenario a title.")]
    response = client.post(
        change_url(exer.region, exer.scenario),
        version_post(objectives="Zelfde doel\nzelfde doel\n" + "x" * 301),
    )
    assert response.status_code == 422
    assert len(response.context["form"].errors["objectives"]) == 2


def test_team_change_refused_while_an_inject_is_for_a_role_the_team_lacks(exer, login):
    response = login(exer.region_leader).post(
        change_url(exer.region, exer.scenario), version_post(team_kind=TeamKind.CMT)
    )
    assert response.status_code == 422
    assert "1, 3" in str(response.context["form"].errors["team_kind"])


# -- frozen versions and new versions -----------------------------------------------------------


def test_a_frozen_version_refuses_changes(exer, login):
    freeze(exer.version)
    client = login(exer.region_leader)
    page = client.get(change_url(exer.region, exer.scenario))
    assert page.status_code == 200
    assert new_version_url(exer.region, exer.scenario) in page.text
    refused = client.post(change_url(exer.region, exer.scenario), version_post(title="Anders"))
    assert refused.status_code == 409
    assert 'role="alert"' in refused.text
    inject = exer.injects[0]
    assert client.post(inject_new_url(exer.region, exer.scenario), inject_post()).status_code == 409
    assert (
        client.post(inject_edit_url(exer.region, exer.scenario, inject), inject_post()).status_code
        == 409
    )
    assert client.post(inject_delete_url(exer.region, exer.scenario, inject)).status_code == 409
    exer.version.refresh_from_db()
    assert exer.version.title == "Langdurige stroomuitval"
    assert exer.version.injects.count() == 3


def test_services_refuse_a_frozen_version(exer):
    freeze(exer.version)
    data = services.InjectInput(
        channel=Inject.Channel.PERS, sender="Krant", addressee_role=Role.MAYOR, summary="Vraag"
    )
    for call in [
        lambda: services.inject_save(version=exer.version, actor=exer.region_leader, data=data),
        lambda: services.inject_delete(inject=exer.injects[0], actor=exer.region_leader),
        lambda: services.version_update(
            version=exer.version,
            actor=exer.region_leader,
            data=services.VersionInput(title="X", team_kind=TeamKind.GBT),
        ),
    ]:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.code == "frozen"


def test_new_version_copies_everything_and_a_double_click_makes_one(exer, login):
    freeze(exer.version)
    client = login(exer.region_leader)
    url = new_version_url(exer.region, exer.scenario)
    first = client.post(url, {"note": "Inject 2 eerder"})
    second = client.post(url, {"note": "Inject 2 eerder"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == change_url(exer.region, exer.scenario)
    assert exer.scenario.versions.count() == 2
    new = exer.scenario.versions.get(number=2)
    assert not new.is_frozen and new.based_on == exer.version and new.note == "Inject 2 eerder"
    assert new.title == exer.version.title and new.analysis == exer.version.analysis
    assert [o.text for o in new.objectives.all()] == [o.text for o in exer.objectives]
    assert list(new.injects.values_list("number", "summary", "excon_note")) == list(
        exer.version.injects.values_list("number", "summary", "excon_note")
    )
    assert AuditEvent.objects.filter(detail__change="new_version").count() == 1
    # The new draft changes; the frozen version stays as it was.
    client.post(change_url(exer.region, exer.scenario), version_post(note="Nieuwe titel"))
    new.refresh_from_db()
    exer.version.refresh_from_db()
    assert new.title == "Drinkwater en DDoS" and exer.version.title == "Langdurige stroomuitval"


def test_new_version_needs_a_note(exer, login):
    freeze(exer.version)
    response = login(exer.region_leader).post(
        new_version_url(exer.region, exer.scenario), {"note": "  "}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["note"]
    assert exer.scenario.versions.count() == 1
    with pytest.raises(ValidationError):
        services.version_new(scenario=exer.scenario, actor=exer.region_leader, note="")


def test_the_scenario_page_shows_versions_published_and_run(exer, exercise, login):
    services.version_new(scenario=exer.scenario, actor=exer.region_leader, note="Pers eerder")
    page = login(exer.region_leader).get(page_url(exer.region, exer.scenario, 1))
    assert page.status_code == 200
    history = page.context["history"]
    assert [(r.version.number, r.is_published, r.runs) for r in history] == [
        (2, False, 0),
        (1, True, 1),
    ]
    assert "Pers eerder" in page.text
    assert reverse("exercise_compare", args=[exer.region.pk, exer.scenario.pk]) in page.text
    newest = login(exer.region_leader).get(page_url(exer.region, exer.scenario))
    assert newest.context["version"].number == 2
    assert f"?versie={newest.context['version'].pk}" in newest.text  # "Oefening starten"


def test_a_version_number_that_does_not_exist_is_404(exer, login):
    client = login(exer.region_leader)
    assert client.get(page_url(exer.region, exer.scenario, 7)).status_code == 404
    assert client.get(page_url(exer.region, exer.scenario, "abc")).status_code == 404
    assert client.get(page_url(exer.region, exer.scenario, "²")).status_code == 404


# -- injects ------------------------------------------------------------------------------------


def test_leader_adds_edits_and_removes_injects_numbers_stay_1_to_n(exer, login):
    client = login(exer.region_leader)
    response = client.post(inject_new_url(exer.region, exer.scenario), inject_post())
    assert response.status_code == 302
    added = exer.version.injects.get(number=4)
    assert (added.offset_minutes, added.trigger_phase) == (15, "")
    assert AuditEvent.objects.filter(detail__change="inject_added").count() == 1
    response = client.post(
        inject_edit_url(exer.region, exer.scenario, added),
        inject_post(timing="fase", trigger_phase="besluitvorming", offset_minutes="15"),
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.offset_minutes, added.trigger_phase) == (None, "besluitvorming")
    response = client.post(inject_delete_url(exer.region, exer.scenario, exer.injects[0]))
    assert response.status_code == 302
    assert list(exer.version.injects.order_by("number").values_list("number", "summary")) == [
        (1, "Gerucht: kraanwater niet meer drinkbaar"),
        (2, "Pers vraagt om interview"),
        (3, "Drukval in het leidingnet"),
    ]
    again = client.post(inject_delete_url(exer.region, exer.scenario, exer.injects[0]))
    assert again.status_code == 302  # a double click: already removed, nothing more
    assert exer.version.injects.count() == 3


def test_a_double_submitted_inject_is_added_once(exer, login):
    client = login(exer.region_leader)
    url = inject_new_url(exer.region, exer.scenario)
    client.post(url, inject_post())
    client.post(url, inject_post())
    assert exer.version.injects.count() == 4


def test_by_hand_ignores_a_time_left_in_the_form(exer, login):
    client = login(exer.region_leader)
    client.post(
        inject_new_url(exer.region, exer.scenario),
        inject_post(timing="hand", offset_minutes="9999", trigger_phase="onzin"),
    )
    added = exer.version.injects.get(number=4)
    assert (added.offset_minutes, added.trigger_phase) == (None, "")


def _team_roles_message():
    return _("Choose a role of the team this scenario is for (%(team)s).") % {
        "team": TeamKind.GBT.label
    }


@pytest.mark.parametrize(
    ("over", "field", "expected"),
    [
        (
            {"offset_minutes": "9999"},
            "offset_minutes",
            lambda: (
                _("Give the minutes after the start: from 0 to %(max)d (12 hours).") % {"max": 720}
            ),
        ),
        ({"offset_minutes": ""}, "offset_minutes", lambda: _("Give the minutes after the start.")),
        (
            {"timing": "fase", "trigger_phase": "onzin"},
            "trigger_phase",
            lambda: _("Choose a BOBOC phase."),
        ),
        (
            {"timing": "fase", "trigger_phase": ""},
            "trigger_phase",
            lambda: _("Choose the phase at which it comes."),
        ),
        ({"addressee_role": Role.CMT_CHAIR}, "addressee_role", _team_roles_message),
        ({"addressee_role": Role.EXERCISE_LEADER}, "addressee_role", _team_roles_message),
        (
            {"summary": "   "},
            "summary",
            lambda: _("Write the line the players see first: what the inject is about."),
        ),
        ({"summary": "x" * 301}, "summary", lambda: "300"),
        ({"channel": "duif"}, "channel", lambda: _("Choose how the inject reaches the team.")),
    ],
)
def test_inject_validation_messages(exer, login, over, field, expected):
    response = login(exer.region_leader).post(
        inject_new_url(exer.region, exer.scenario), inject_post(**over)
    )
    assert response.status_code == 422
    messages = " ".join(response.context["form"].errors[field])
    assert expected() in messages, messages
    assert exer.version.injects.count() == 3


def test_inject_service_validates_what_the_form_would(exer):
    def save(**over):
        fields = dict(
            channel=Inject.Channel.PERS,
            sender="Krant",
            addressee_role=Role.MAYOR,
            summary="Vraag",
        )
        fields.update(over)
        services.inject_save(
            version=exer.version, actor=exer.region_leader, data=services.InjectInput(**fields)
        )

    cases = [
        ({"offset_minutes": 9999}, "offset_minutes"),
        ({"trigger_phase": "onzin"}, "trigger_phase"),
        ({"offset_minutes": 5, "trigger_phase": "controle"}, "trigger_phase"),
        ({"addressee_role": Role.OBSERVER}, "addressee_role"),
        ({"summary": ""}, "summary"),
        ({"text": "nul\x00teken"}, "text"),
    ]
    for over, field in cases:
        with pytest.raises(ValidationError) as caught:
            save(**over)
        assert field in caught.value.message_dict, over
    assert exer.version.injects.count() == 3


def test_a_cmt_scenario_offers_only_cmt_players_as_addressees(exer, login):
    scenario, *_rest = make_scenario(exer.region, exer.region_leader, title="CMT", team="cmt")
    Inject.objects.filter(version__scenario=scenario).delete()
    form = login(exer.region_leader).get(inject_new_url(exer.region, scenario))
    choices = [value for value, _label in form.context["form"].fields["addressee_role"].choices]
    assert Role.CMT_CHAIR in choices and Role.MESSAGE_MANAGER in choices
    assert Role.MAYOR not in choices
    assert Role.EXERCISE_LEADER not in choices and Role.OBSERVER not in choices


def test_injects_show_in_playing_order_with_when_in_words(exer):
    extra = Inject.objects.create(
        version=exer.version,
        number=4,
        offset_minutes=45,
        channel=Inject.Channel.ROL,
        sender="ROL",
        addressee_role=Role.MAYOR,
        summary="Later",
    )
    ordered = injects_in_order(version=exer.version)
    assert [i.number for i in ordered] == [1, 4, 2, 3]
    assert [inject_when(i) for i in ordered] == [
        _("T+%(minutes)d min") % {"minutes": 0},
        _("T+%(minutes)d min") % {"minutes": 45},
        _("at %(phase)s") % {"phase": "Oordeelsvorming"},
        _("by hand"),
    ]
    assert extra in ordered


# -- escaping -----------------------------------------------------------------------------------


def test_script_in_titles_and_inject_texts_is_shown_as_text(exer, login):
    client = login(exer.region_leader)
    client.post(
        change_url(exer.region, exer.scenario),
        version_post(
            title=SCRIPT, objectives=SCRIPT, analysis_aanleiding=SCRIPT, background=SCRIPT
        ),
    )
    client.post(
        inject_new_url(exer.region, exer.scenario),
        inject_post(summary=SCRIPT, text=SCRIPT, excon_note=SCRIPT, sender=SCRIPT),
    )
    for url in [
        library_url(exer.region),
        page_url(exer.region, exer.scenario),
        change_url(exer.region, exer.scenario),
        inject_edit_url(exer.region, exer.scenario, exer.version.injects.get(number=4)),
    ]:
        page = client.get(url)
        assert page.status_code == 200
        assert SCRIPT not in page.text, url
        assert "&lt;script&gt;" in page.text, url
    assert SCRIPT not in login(exer.a_leader).get(library_url(exer.org_a)).text


def test_nul_characters_are_refused_with_a_message(exer):
    with pytest.raises(ValidationError) as caught:
        services.scenario_create(
            organisation=exer.org_a,
            actor=exer.a_leader,
            data=services.VersionInput(title="Nul\x00", team_kind=TeamKind.GBT),
        )
    assert "title" in caught.value.message_dict


def test_version_update_saving_the_same_again_audits_nothing(exer):
    data = services.VersionInput(
        title="Langdurige stroomuitval",
        team_kind=TeamKind.GBT,
        background=exer.version.background,
        planned_minutes=exer.version.planned_minutes,
        objectives=[o.text for o in exer.objectives],
        analysis=dict(exer.version.analysis),
    )
    services.version_update(version=exer.version, actor=exer.region_leader, data=data)
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.EXERCISE_SCENARIO_CHANGED
    ).exists()
    assert LearningObjective.objects.filter(version=exer.version).count() == 2


def test_a_later_version_needs_its_note_when_edited(exer):
    freeze(exer.version)
    draft = services.version_new(scenario=exer.scenario, actor=exer.region_leader, note="Iets")
    with pytest.raises(ValidationError) as caught:
        services.version_update(
            version=draft,
            actor=exer.region_leader,
            data=services.VersionInput(title="Nieuw", team_kind=TeamKind.GBT, note=""),
        )
    assert "note" in caught.value.message_dict
    assert ScenarioVersion.objects.get(pk=draft.pk).title == "Langdurige stroomuitval"


def test_ids_beyond_the_database_range_are_404(exer, login):
    client = login(exer.region_leader)
    huge = 10**30
    region, scenario = exer.region.pk, exer.scenario.pk
    assert client.get(f"/oefenen/{huge}/").status_code == 404
    assert client.get(f"/oefenen/{region}/scenarios/{huge}/").status_code == 404
    assert (
        client.get(f"/oefenen/{region}/scenarios/{scenario}/injects/{huge}/bewerken/").status_code
        == 404
    )
    response = client.post(f"/oefenen/{region}/scenarios/{scenario}/injects/{huge}/verwijderen/")
    assert response.status_code == 302  # nothing by that id: as after a double click
