import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from guardian.models import UserObjectPermission

from crisisroom.models import (
    AuditEvent,
    Crisis,
    Membership,
    Organisation,
    OrganisationMember,
    Partner,
    RosterEntry,
)
from crisisroom.selectors import crises_for_user
from meetings.chain import verify_chain
from meetings.models import (
    Assignment,
    CrisisStakeholder,
    Entry,
    InformAction,
    Meeting,
    MeetingEvent,
    Message,
)

pytestmark = pytest.mark.django_db

GBT_MEMBERS = {"voorzitter", "burgemeester", "rol", "logger", "adviseur"}
CMT_MEMBERS = {"cmt-voorzitter", "cmt-logger", "berichtenmanager", "buitenstaander"}


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            get_user_model(),
            Organisation,
            OrganisationMember,
            Crisis,
            Membership,
            RosterEntry,
            AuditEvent,
            UserObjectPermission,
            Meeting,
            MeetingEvent,
            Entry,
            Assignment,
            Partner,
            Message,
            CrisisStakeholder,
            InformAction,
        )
    )


def test_loading_the_demo_twice_gives_the_same_data():
    call_command("demo_data", stdout=None)
    first = _counts()
    call_command("demo_data")
    assert _counts() == first
    assert first[1] == 2 and first[3] == 2  # two organisations, two crises


def test_every_demo_user_sees_exactly_their_crises():
    call_command("demo_data")
    gbt = Crisis.objects.get(team_kind="gbt")
    cmt = Crisis.objects.get(team_kind="cmt")
    assert cmt.is_exercise and not gbt.is_exercise
    users = get_user_model().objects
    for username in GBT_MEMBERS:
        assert list(crises_for_user(user=users.get(username=username))) == [gbt]
    for username in CMT_MEMBERS:
        assert list(crises_for_user(user=users.get(username=username))) == [cmt]
    assert not crises_for_user(user=users.get(username="beheerder")).exists()


def test_demo_users_log_in_with_the_printed_password():
    call_command("demo_data")
    client = Client()
    assert client.login(username="burgemeester", password="crisisroom")
    page = client.get(reverse("crisis_list")).content.decode()
    assert "Grote brand bedrijventerrein De Hoven" in page
    assert "Ransomware" not in page


def test_the_administrator_manages_both_organisations_in_the_admin():
    call_command("demo_data")
    client = Client()
    assert client.login(username="beheerder", password="crisisroom")
    page = client.get(reverse("admin:crisisroom_crisis_changelist")).content.decode()
    assert "Grote brand bedrijventerrein De Hoven" in page
    assert "Ransomware-aanval" in page


def test_the_demo_opens_with_a_held_meeting_and_open_assignments():
    call_command("demo_data")
    gbt = Crisis.objects.get(team_kind="gbt")
    first = Meeting.objects.get(crisis=gbt, number=1)
    assert first.status == "closed" and first.next_at is not None
    decisions = Entry.objects.filter(crisis=gbt, kind="besluit")
    assert decisions.count() == 2 and all(d.reasoning for d in decisions)
    assert Assignment.objects.filter(crisis=gbt, status="open").count() == 3
    assert all(e.recorded_at >= gbt.started_at for e in Entry.objects.filter(crisis=gbt))
    cmt = Crisis.objects.get(team_kind="cmt")
    assert Meeting.objects.get(crisis=cmt).status == "running"


def test_the_demos_own_log_verifies_also_after_loading_it_again():
    call_command("demo_data")
    call_command("demo_data")
    call_command("verify_log", "--all")  # raises CommandError on a broken chain
    for crisis in Crisis.objects.all():
        entries = list(Entry.objects.filter(crisis=crisis).order_by("seq"))
        assert entries, "each demo crisis has a log"
        assert verify_chain(crisis.pk, entries, entries[-1].seq).intact


def test_the_cmt_exercise_has_a_berichtenmanager_at_work():
    call_command("demo_data")
    cmt = Crisis.objects.get(team_kind="cmt")
    statuses = set(Message.objects.filter(crisis=cmt).values_list("status", flat=True))
    # Some handled, some waiting, one outgoing waiting for the chair's approval.
    assert {"nieuw", "afgehandeld", "in_logboek", "ter_goedkeuring"} <= statuses
    assert CrisisStakeholder.objects.filter(crisis=cmt, keeper__isnull=False).count() >= 4
    assert cmt.start.response == "bijeenroepen"  # the chair's start decision is on record
    client = Client()
    assert client.login(username="berichtenmanager", password="crisisroom")
    desk = client.get(reverse("desk", args=[cmt.pk])).content.decode()
    assert "Omroep Rivierenland" in desk or "ILT" in desk
