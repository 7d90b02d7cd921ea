"""Hostile input into the strategic analysis (draft, hand-over, sharing, versions, diff, PDF)
and the organisation's format and cards editors (hypothesis; tests/bad_input.py says how it
runs)."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from crisisroom.boboc import PHASE_ORDER as PHASES
from crisisroom.roles import ROLES_FOR_TEAM, Role, TeamKind
from formats import services as format_services
from formats.models import AnalysisShare
from tests import bad_input
from tests.bad_input import (
    fuzz,
    hows,
    mutate,
    rolled_back,
    send,
)
from tests.strategies import (
    assert_echoed,
    assert_safe,
    choice_text,
    free_text,
    int_text,
    ints,
)

pytestmark = pytest.mark.django_db

scene = bad_input.scene  # the shared fixture: crisis A with a meeting, log, analysis, proposal


# -- the strategic analysis -------------------------------------------------------------------


@fuzz(25)
@given(data=st.data())
def test_the_analysis_draft_and_hand_over_survive_any_input(world, scene, login, data):
    endpoint = data.draw(st.sampled_from(["analysis_save", "analysis_hand_over"]), label="to")
    how = data.draw(hows, label="how")
    keys = data.draw(
        st.lists(st.sampled_from(scene.section_keys), min_size=1, max_size=4, unique=True),
        label="keys",
    )
    unknown = data.draw(st.dictionaries(free_text(), free_text(), max_size=2), label="unknown")
    sections = {f"section-{key}": text for key, text in unknown.items()}
    sections.update({f"section-{key}": data.draw(free_text(), label=key) for key in keys})
    with rolled_back():
        client = login(world.rol)
        analysis = format_services.analysis_get_or_start(crisis=world.crisis_a)
        fields = mutate(
            data,
            {**sections, "base_revision": str(analysis.draft_revision)},
            {"base_revision": int_text()},
        )
        response = send(client, reverse(endpoint, args=[world.crisis_a.pk]), fields, how)
        body = assert_safe(response, fields)
        on_screen = [v for k, v in sections.items() if k[len("section-") :] in scene.section_keys]
        if response.status_code in (400, 409, 422):  # 400: a body Django will not parse
            if response.status_code != 400 and how != "htmx":  # the editor, with the text
                assert_echoed(body, *on_screen)
        else:
            assert response.status_code == (
                200 if how == "htmx" and endpoint == "analysis_save" else 302
            )
            page = client.get(reverse("analysis_page", args=[world.crisis_a.pk]))
            assert_echoed(assert_safe(page, fields), *on_screen)
            mayor = login(world.mayor)
            assert_safe(mayor.get(reverse("analysis_page", args=[world.crisis_a.pk])), fields)


@fuzz(10)
@given(data=st.data())
def test_sharing_the_analysis_survives_any_input(world, scene, login, data):
    user = st.sampled_from([world.org_admin.pk, world.rol.pk, world.outsider.pk]).map(str)
    fields = data.draw(st.fixed_dictionaries({}, optional={"user": user | int_text()}))
    share_pk = data.draw(ints | st.just(None), label="revoke")
    with rolled_back():
        client = login(world.mayor)
        response = client.post(reverse("analysis_share", args=[world.crisis_a.pk]), fields)
        assert_safe(response, fields)
        assert response.status_code in (302, 422)
        if share_pk is None:  # revoke what was just shared, if anything
            share = AnalysisShare.objects.filter(analysis__crisis=world.crisis_a).last()
            share_pk = share.pk if share else 1
        if share_pk >= 0:
            url = reverse("analysis_share_revoke", args=[world.crisis_a.pk, share_pk])
            assert client.post(url).status_code in (302, 404)
        assert_safe(client.get(reverse("analysis_sharing", args=[world.crisis_a.pk])), fields)


@fuzz(10)
@given(sections=st.lists(free_text().filter(lambda s: "\x00" not in s), min_size=1, max_size=4))
def test_version_and_diff_pages_survive_any_text(world, scene, login, hand_over, sections):
    """Hand over strange text, then read it as the mayor: the version page and the diff."""
    with rolled_back():
        version = _hand_over(hand_over, scene, sections)
        if version is None:
            return  # a required section is empty: nothing to hand over
        client = login(world.mayor)
        crisis = world.crisis_a.pk
        page = client.get(reverse("analysis_page", args=[crisis]) + f"?versie={version.number}")
        assert_echoed(assert_safe(page, sections), *sections)
        for van, naar in ((1, version.number), (version.number, 1)):
            diff = client.get(reverse("analysis_diff", args=[crisis]) + f"?van={van}&naar={naar}")
            assert_safe(diff, sections)
            assert diff.status_code == 200


def _hand_over(hand_over, scene, texts: list[str]):
    """Hand over ``texts`` (in turn, over every section); None if a section would be empty."""
    sections = {key: texts[i % len(texts)][:20_000] for i, key in enumerate(scene.section_keys)}
    if any(not text.strip() for text in sections.values()):
        return None
    return hand_over(**sections)


# Everything odd at once, for the two PDFs (slow to render, so not drawn by hypothesis).
ODD_TEXT = (
    '<script>alert("pdf")</script> &amp; "quotes" \'single\' \x01\x02\x07\x08\x0b\x0c\x1b[0m\x1f'
    "\x7f\x85 \u202eRTL\u202c \u2066iso\u2069 e\u0301 \U0001f469\u200d\U0001f692 \U0010ffff "
    "\ufffd \ufdd0 \u2028line\u2029para\r\n\tTab " + "lang" * 300 + " " + "x " * 800
)


def test_the_pdfs_survive_any_text(world, scene, login, hand_over):
    with rolled_back():
        version = _hand_over(hand_over, scene, [ODD_TEXT, "\n".join([ODD_TEXT] * 3)])
        mayor = login(world.mayor)
        pdf = mayor.get(reverse("analysis_pdf", args=[world.crisis_a.pk, version.number]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        lines = [ODD_TEXT[:500], ODD_TEXT[500:1000], "<b>&amp;</b>" * 20]
        format_services.cards_revise(
            organisation=world.org_a,
            actor=world.org_admin,
            card={"agenda": lines, "families": lines, "phases": {p: lines for p in PHASES}},
            tasks={role: lines for role in Role.values},
        )
        admin = login(world.org_admin)
        pack = admin.get(reverse("paper_pack_organisation", args=[world.org_a.pk]))
        assert pack.status_code == 200 and pack.content.startswith(b"%PDF")


# -- format and cards -------------------------------------------------------------------------


SECTION_FIELDS = ("key", "title", "help_text", "required", "in_kernbeeld", "ORDER", "DELETE")


@fuzz(15)
@given(data=st.data())
def test_the_format_editor_survives_any_input(world, login, data):
    count = data.draw(st.integers(min_value=0, max_value=4), label="sections")
    fields = {}
    for i in range(count):
        section = mutate(
            data,
            {
                "key": f"sectie-{i}",
                "title": data.draw(free_text(), label=f"title {i}"),
                "help_text": data.draw(free_text(), label=f"help {i}"),
                "ORDER": str(i + 1),
            },
            {
                "key": free_text(),
                "required": choice_text(["on", "true", "1"]),
                "in_kernbeeld": choice_text(["on"]),
                "ORDER": int_text(),
                "DELETE": choice_text(["on"]),
            },
        )
        fields.update({f"sections-{i}-{name}": value for name, value in section.items()})
    management = {
        "sections-TOTAL_FORMS": str(count),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    consistent = data.draw(st.booleans(), label="consistent management form")
    if not consistent:
        management = mutate(data, management, dict.fromkeys(management, int_text()))
    fields.update(management, note=data.draw(free_text(), label="note"))
    with rolled_back():
        client = login(world.org_admin)
        url = reverse("format_edit", args=[world.org_a.pk])
        response = client.post(url, fields)
        body = assert_safe(response, fields)
        if response.status_code == 422:
            assert_echoed(body, fields["note"])
            if consistent:
                titles = [fields.get(f"sections-{i}-title") for i in range(count)]
                assert_echoed(body, *titles)
        else:
            assert response.status_code == 302
            page = client.get(url)
            kept = [
                fields.get(f"sections-{i}-title")
                for i in range(count)
                if consistent and not fields.get(f"sections-{i}-DELETE")
            ]
            assert_echoed(assert_safe(page, fields), *kept)
            rol = login(world.rol)  # the titles also head the analysis editor
            assert_safe(rol.get(reverse("analysis_page", args=[world.crisis_a.pk])), fields)


CARD_FIELDS = [f"card_{n}" for n in ("agenda", "roles", "challenges", "uitgangspunten", "families")]
# Organisation A is a municipality: its editor has the task cards of a GBT's roles.
CARD_FIELDS += [f"phase_{p}" for p in PHASES] + [
    f"tasks_{r}" for r in Role.values if r in ROLES_FOR_TEAM[TeamKind.GBT]
]


@fuzz(15)
@given(data=st.data())
def test_the_cards_editor_survives_any_input(world, login, data):
    lines = st.lists(free_text(), min_size=1, max_size=4).map("\n".join)
    fields = mutate(
        data,
        {"card_agenda": "Opening", "tasks_logger": "Log bijhouden"},
        {name: lines for name in CARD_FIELDS} | {"note": free_text()},
    )
    with rolled_back():
        client = login(world.org_admin)
        url = reverse("cards_edit", args=[world.org_a.pk])
        response = client.post(url, fields)
        body = assert_safe(response, fields)
        if response.status_code == 422:
            assert_echoed(body, *fields.values())
        else:
            assert response.status_code == 302
            lists = [v for k, v in fields.items() if k != "note"]  # the editor shows the lists
            assert_echoed(assert_safe(client.get(url), fields), *lists)
