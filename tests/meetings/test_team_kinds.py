"""Team-kind content (issue 12.1) where a crisis is run: a CMT's meeting page, paper pack and
home pages speak of its chair and its challenges, never of the mayor; a GBT's still do. The
defaults themselves are tests/formats/test_team_kinds.py's."""

import pytest
from django.urls import reverse

from crisisroom import services as core
from crisisroom.roles import Role
from meetings import services
from tests.conftest import pdf_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmt(world):
    """Crisis B (a company's CMT exercise) with its chair, logger and berichtenmanager."""
    people = {}
    for name, role in (
        ("chair", Role.CMT_CHAIR),
        ("logger", Role.LOGGER),
        ("messages", Role.MESSAGE_MANAGER),
    ):
        people[name] = UserFactory(username=f"cmt-{name}")
        core.organisation_member_set(organisation=world.org_b, user=people[name], actor=None)
        core.membership_add(crisis=world.crisis_b, user=people[name], role=role, actor=None)
    return people


def test_a_cmt_meeting_shows_the_chairs_card_and_no_mayor(world, cmt, login):
    meeting = services.meeting_start(crisis=world.crisis_b, actor=cmt["chair"])
    url = reverse("meeting_detail", args=[world.crisis_b.pk, meeting.number])
    page = login(cmt["chair"]).get(url).content.decode()
    assert "Doelstelling aangeven" in page  # Beeldvorming, from the CMT chair's task card
    assert "Loslaten: operationele beslissingen" in page
    assert "burgemeester" not in page.lower()
    region = login(cmt["logger"]).get(url + "?region=card").content.decode()
    assert "Sterk voorzitterschap" in region and "burgemeester" not in region.lower()
    # A challenge is a card item like the others: the chair ticks it as handled.
    tick = services.meeting_tick_card(meeting=meeting, key="challenges:1", actor=cmt["chair"])
    assert tick.label.startswith("Loslaten")


def test_a_gbt_meeting_still_shows_the_mayors_roles(world, meeting, login):
    url = reverse("meeting_detail", args=[world.crisis_a.pk, meeting.number])
    page = login(world.chair).get(url).content.decode()
    assert "Rollen van de burgemeester" in page and "Beslisser" in page


def test_a_cmt_paper_pack_has_its_own_task_cards_and_no_mayor(world, cmt, login):
    pdf = login(cmt["chair"]).get(reverse("paper_pack_crisis", args=[world.crisis_b.pk]))
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "OEFENING" in text
    assert "Uitdagingen en aandachtspunten" in text and "Loslaten" in text
    assert "Taakkaart CMT-voorzitter" in text
    assert "Wordt door de CMT-voorzitter geïnstrueerd en aangestuurd." in text  # logger and
    assert "Registreert inkomende en uitgaande berichten." in text  # berichtenmanager
    assert "burgemeester" not in text.lower()
    assert "Taakkaart technisch voorzitter" not in text and "(ROL)" not in text


def test_a_companys_own_paper_pack_has_no_mayor_either(world, login):
    admin = UserFactory(username="bee-admin", is_staff=True)
    core.organisation_member_set(
        organisation=world.org_b, user=admin, actor=None, is_administrator=True
    )
    pdf = login(admin).get(reverse("paper_pack_organisation", args=[world.org_b.pk]))
    text = pdf_text(pdf.content)
    assert "Uitdagingen en aandachtspunten" in text and "Taakkaart CMT-voorzitter" in text
    assert "burgemeester" not in text.lower()


def test_a_gbt_paper_pack_still_has_the_mayors_roles(world, login):
    text = pdf_text(
        login(world.chair).get(reverse("paper_pack_crisis", args=[world.crisis_a.pk])).content
    )
    assert "Rollen van de burgemeester" in text and "Taakkaart burgemeester" in text
    assert "Taakkaart CMT-voorzitter" not in text and "Uitdagingen en aandachtspunten" not in text


def test_the_cmt_chairs_home_makes_them_the_decider(world, cmt, login):
    page = login(cmt["chair"]).get(reverse("crisis_home", args=[world.crisis_b.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-home="chair"' in text
    assert "beslisser" not in text.lower() and "burgemeester" not in text.lower()


def test_a_gbt_technical_chair_still_serves_the_decider(world, login):
    text = login(world.chair).get(reverse("crisis_home", args=[world.crisis_a.pk])).content.decode()
    assert "beslisser" in text


def test_a_rol_in_a_cmt_hands_over_to_no_mayor(world, login):
    rol = UserFactory(username="cmt-rol")
    core.organisation_member_set(organisation=world.org_b, user=rol, actor=None)
    core.membership_add(crisis=world.crisis_b, user=rol, role=Role.ROL, actor=None)
    text = login(rol).get(reverse("crisis_home", args=[world.crisis_b.pk])).content.decode()
    assert 'data-home="rol"' in text and "burgemeester" not in text.lower()
    gbt = login(world.rol).get(reverse("crisis_home", args=[world.crisis_a.pk])).content.decode()
    assert "burgemeester" in gbt
