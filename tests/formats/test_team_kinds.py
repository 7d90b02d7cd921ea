"""Team-kind content (issue 12.1): a municipality's organisation gets a GBT's default format and
cards, a company's a CMT's, and nothing a CMT sees on screen or on paper speaks of the mayor.
The meeting page, paper pack and home pages are tests/meetings/test_team_kinds.py's."""

import importlib
import json

import pytest
from django.apps import apps
from django.template import Context, Template
from django.urls import reverse

from crisisroom import services as core
from crisisroom.boboc import PHASE_ORDER
from crisisroom.models import Organisation
from crisisroom.roles import ROLES_FOR_TEAM, Role, TeamKind
from formats import selectors, services
from formats.card_defaults import (
    DEFAULT_CARD,
    DEFAULT_CARD_CMT,
    DEFAULT_TASKS,
    DEFAULT_TASKS_CMT,
)
from formats.defaults import DEFAULT_SECTIONS, DEFAULT_SECTIONS_CMT
from formats.models import AnalysisFormat, CardSet, FormatSection
from formats.selectors import card_items
from formats.teams import is_cmt, team_kind_for
from tests.conftest import pdf_text
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("formats.migrations.0007_cmt_defaults_for_companies")


def _mentions_mayor(value) -> bool:
    text = json.dumps(value, ensure_ascii=False).lower() if not isinstance(value, str) else value
    return "burgemeester" in text.lower() or "mayor" in text.lower()


def _cmt_chair(world):
    chair = UserFactory(username="cmt-chair")
    core.organisation_member_set(organisation=world.org_b, user=chair, actor=None)
    core.membership_add(crisis=world.crisis_b, user=chair, role=Role.CMT_CHAIR, actor=None)
    return chair


# -- which defaults an organisation starts with ----------------------------------------------------


def test_the_kind_of_organisation_says_the_kind_of_team(world):
    assert team_kind_for(world.org_a) == TeamKind.GBT
    assert team_kind_for(world.org_b) == TeamKind.CMT
    assert is_cmt(world.crisis_b) and is_cmt(world.org_b) and is_cmt(TeamKind.CMT)
    assert not is_cmt(world.crisis_a) and not is_cmt(world.org_a) and not is_cmt(None)
    template = Template("{% load team_kind %}{% if c|is_cmt %}CMT{% else %}GBT{% endif %}")
    assert template.render(Context({"c": world.crisis_b})) == "CMT"
    assert template.render(Context({"c": world.crisis_a})) == "GBT"


def test_a_municipality_starts_from_the_gbt_defaults(world):
    fmt = selectors.format_current(organisation=world.org_a)
    assert fmt.version == 1 and fmt.is_default
    assert [(s.key, s.title) for s in fmt.sections.all()] == [r[:2] for r in DEFAULT_SECTIONS]
    assert fmt.sections.get(key="advies").title == "Advies aan de burgemeester"
    cards = selectors.cards_current(organisation=world.org_a)
    assert cards.version == 1 and cards.is_default
    assert cards.card == DEFAULT_CARD and cards.tasks == DEFAULT_TASKS
    assert cards.card["roles"][0].startswith("Beslisser") and cards.card["challenges"] == []
    # Task cards only for a GBT's roles: no CMT chair, no berichtenmanager.
    assert set(cards.tasks) <= ROLES_FOR_TEAM[TeamKind.GBT]
    assert {"burgemeester", "technisch_voorzitter", "rol", "logger"} <= set(cards.tasks)


def test_a_company_starts_from_the_cmt_defaults_without_a_mayor(world):
    fmt = selectors.format_current(organisation=world.org_b)
    assert fmt.version == 1 and fmt.is_default and "CMT" in fmt.note
    sections = list(fmt.sections.all())
    # The GBT's sections, but the advice is to the CMT chair.
    assert [s.key for s in sections] == [r[0] for r in DEFAULT_SECTIONS]
    assert fmt.sections.get(key="advies").title == "Advies aan de CMT-voorzitter"
    assert not any(_mentions_mayor(f"{s.title} {s.help_text}") for s in sections)
    assert [(s.title, s.required) for s in sections] == [(r[1], r[3]) for r in DEFAULT_SECTIONS_CMT]

    cards = selectors.cards_current(organisation=world.org_b)
    assert cards.version == 1 and cards.is_default and "CMT" in cards.note
    assert cards.card == DEFAULT_CARD_CMT and cards.tasks == DEFAULT_TASKS_CMT
    assert not _mentions_mayor(cards.card) and not _mentions_mayor(cards.tasks)
    card = cards.card
    assert set(card["phases"]) == set(PHASE_ORDER)  # jsonb keeps no key order
    assert list(card_items(card=card)["phases"]) == list(PHASE_ORDER)  # shown in BOBOC order
    assert card["phases"]["beeldvorming"][0] == "Doelstelling aangeven"
    assert "Afstemming met de logger" in card["phases"]["oordeelsvorming"]
    assert "Loopt met de logger het logboek na" in card["phases"]["opdracht"]
    assert card["roles"] == [] and card["families"] == [] and card["uitgangspunten"] == []
    assert [c.split(":")[0] for c in card["challenges"]] == [
        "Loslaten",
        "Vertrouwen",
        "Brugfunctie",
        "Organisatorisch versus bestuurlijk",
        "Beeldvorming",
        "Scenario denken",
        "Sterk voorzitterschap",
    ]
    # Task cards for a CMT's roles, the logger and berichtenmanager among them; no ROL, no
    # technical chair, no mayor.
    assert set(cards.tasks) == {
        "cmt_voorzitter",
        "logger",
        "berichtenmanager",
        "adviseur",
        "waarnemer",
    }
    assert len(cards.tasks["cmt_voorzitter"]) == 12


def test_a_company_created_later_gets_the_cmt_defaults_too(db):
    organisation = OrganisationFactory(name="Haven B.V.", kind=Organisation.Kind.COMPANY)
    assert selectors.cards_current(organisation=organisation).card == DEFAULT_CARD_CMT


# -- the data migration ----------------------------------------------------------------------------


def _as_before_the_migration(organisation: Organisation) -> None:
    """Give an organisation what every organisation had before 0007: the GBT's v1 defaults."""
    organisation.analysis_formats.all().delete()
    organisation.card_sets.all().delete()
    fmt = AnalysisFormat.objects.create(
        organisation=organisation, version=1, is_default=True, note=services.DEFAULT_FORMAT_NOTE
    )
    for i, (key, title, help_text, required, kernbeeld) in enumerate(DEFAULT_SECTIONS):
        FormatSection.objects.create(
            format=fmt,
            key=key,
            title=title,
            help_text=help_text,
            required=required,
            in_kernbeeld=kernbeeld,
            order=i,
        )
    CardSet.objects.create(
        organisation=organisation,
        version=1,
        card=DEFAULT_CARD,
        tasks=DEFAULT_TASKS,
        is_default=True,
        note=services.DEFAULT_CARDS_NOTE,
    )


def test_the_migration_gives_an_unrevised_company_the_cmt_defaults(world):
    _as_before_the_migration(world.org_b)
    _as_before_the_migration(world.org_a)
    migration.upgrade_companies(apps, None)

    fmt = selectors.format_current(organisation=world.org_b)
    assert (fmt.version, fmt.is_default, fmt.note) == (2, True, "Crisisroom-standaard voor een CMT")
    assert fmt.sections.get(key="advies").title == "Advies aan de CMT-voorzitter"
    cards = selectors.cards_current(organisation=world.org_b)
    assert (cards.version, cards.is_default) == (2, True)
    assert cards.note == "Crisisroom-standaard voor een CMT"
    assert cards.card == DEFAULT_CARD_CMT and cards.tasks == DEFAULT_TASKS_CMT
    # Version 1 stays: what was written or met on it keeps it.
    assert world.org_b.card_sets.count() == 2 and world.org_b.analysis_formats.count() == 2
    # A municipality is left as it was.
    assert selectors.cards_current(organisation=world.org_a).version == 1
    assert selectors.format_current(organisation=world.org_a).version == 1
    # Running it again changes nothing.
    migration.upgrade_companies(apps, None)
    assert world.org_b.card_sets.count() == 2 and world.org_b.analysis_formats.count() == 2


def test_the_migration_leaves_a_companys_own_revision_alone(world):
    _as_before_the_migration(world.org_b)
    own_cards = services.cards_revise(
        organisation=world.org_b,
        actor=None,
        card={"agenda": ["Eigen agenda"]},
        tasks={"cmt_voorzitter": ["Eigen taak"]},
        note="Eigen kaart",
    )
    own_format = services.format_revise(
        organisation=world.org_b,
        actor=world.org_admin,
        sections=[{"key": "eigen", "title": "Eigen sectie"}],
        note="Eigen format",
    )
    migration.upgrade_companies(apps, None)
    assert selectors.cards_current(organisation=world.org_b) == own_cards
    assert selectors.format_current(organisation=world.org_b) == own_format
    assert world.org_b.card_sets.count() == 2 and world.org_b.analysis_formats.count() == 2


def test_the_migration_upgrades_only_what_is_still_the_default(world):
    """A company that revised its cards but not its format gets only the CMT's format."""
    _as_before_the_migration(world.org_b)
    own_cards = services.cards_revise(
        organisation=world.org_b,
        actor=None,
        card={"agenda": ["Eigen agenda"]},
        tasks={"logger": ["Eigen taak"]},
    )
    migration.upgrade_companies(apps, None)
    assert selectors.cards_current(organisation=world.org_b) == own_cards
    fmt = selectors.format_current(organisation=world.org_b)
    assert (
        fmt.version == 2 and fmt.sections.get(key="advies").title == "Advies aan de CMT-voorzitter"
    )


# -- the analysis page and its PDF -----------------------------------------------------------------


def test_the_analysis_page_of_a_cmt_speaks_of_no_mayor(world, login):
    chair = _cmt_chair(world)
    page = login(chair).get(reverse("analysis_page", args=[world.crisis_b.pk])).content.decode()
    assert "Advies aan de CMT-voorzitter" in page
    assert "burgemeester" not in page.lower()


def test_the_analysis_page_of_a_gbt_still_hands_over_to_the_mayor(world, login):
    page = login(world.rol).get(reverse("analysis_page", args=[world.crisis_a.pk])).content.decode()
    assert "Overdragen aan de burgemeester" in page and "Advies aan de burgemeester" in page


def test_the_analysis_pdf_of_a_cmt_speaks_of_no_mayor(world, login, hand_over):
    chair = _cmt_chair(world)
    analysis = services.analysis_get_or_start(crisis=world.crisis_b)
    version = hand_over(analysis=analysis, actor=chair)
    client = login(chair)
    page = client.get(reverse("analysis_page", args=[world.crisis_b.pk])).content.decode()
    assert "burgemeester" not in page.lower()
    pdf = client.get(reverse("analysis_pdf", args=[world.crisis_b.pk, version.number]))
    text = pdf_text(pdf.content)
    assert "Advies aan de CMT-voorzitter" in text and "VERTROUWELIJK" in text
    assert "burgemeester" not in text.lower() and "mayor" not in text.lower()


def test_the_analysis_pdf_of_a_gbt_still_speaks_of_the_mayor(world, login, hand_over):
    version = hand_over()
    pdf = login(world.mayor).get(reverse("analysis_pdf", args=[world.crisis_a.pk, version.number]))
    text = pdf_text(pdf.content)
    assert "Advies aan de burgemeester" in text
    assert "wie de burgemeester" in text  # the footer: whom the mayor shares it with


# -- the cards editor ------------------------------------------------------------------------------


def test_a_companys_cards_editor_shows_its_challenges_and_no_mayor(world, login):
    admin = UserFactory(username="bee-admin", is_staff=True)
    core.organisation_member_set(
        organisation=world.org_b, user=admin, actor=None, is_administrator=True
    )
    client = login(admin)
    url = reverse("cards_edit", args=[world.org_b.pk])
    page = client.get(url).content.decode()
    assert "Loslaten: operationele beslissingen" in page
    assert "Afstemming met de logger" in page
    assert "burgemeester" not in page.lower()
    assert 'name="tasks_burgemeester"' not in page and 'name="card_roles"' not in page
    assert 'name="tasks_berichtenmanager"' in page and 'name="card_challenges"' in page
    # Saving keeps the challenges (a card list like the others).
    response = client.post(
        url,
        {
            "card_agenda": "Beeldvorming",
            "card_challenges": "Loslaten\nVertrouwen",
            "tasks_logger": "Houdt het logboek bij.",
        },
    )
    assert response.status_code == 302
    latest = selectors.cards_current(organisation=world.org_b)
    assert latest.card["challenges"] == ["Loslaten", "Vertrouwen"] and latest.card["roles"] == []


def test_an_old_card_without_challenges_still_reads(world):
    old = {key: value for key, value in DEFAULT_CARD.items() if key != "challenges"}
    items = selectors.card_items(card=old)
    assert items["challenges"] == [] and len(items["roles"]) == 4
    assert selectors.card_label(card=old, key="challenges:1") is None
    assert selectors.card_label(card=DEFAULT_CARD_CMT, key="challenges:1").startswith("Loslaten")
