import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
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
from crisisroom.roles import Role
from crisisroom.selectors import crises_for_user
from exercises.demo import LOGINS as EXERCISE_LOGINS
from formats.models import Analysis, AnalysisRead, AnalysisShare, AnalysisVersion
from meetings.chain import verify_chain
from meetings.demo.people import LOGINS
from meetings.demo.story import clock
from meetings.models import (
    Assignment,
    Attendance,
    CardTick,
    CrisisStakeholder,
    Entry,
    InformAction,
    Meeting,
    MeetingEvent,
    Message,
)

pytestmark = pytest.mark.django_db

GBT_MEMBERS = {
    "voorzitter",
    "burgemeester",
    "rol",
    "logger",
    "adviseur",
    "aov",
    "informatiemanager",
    "plaatsvervanger",
}
CMT_MEMBERS = {"cmt-voorzitter", "cmt-logger", "berichtenmanager", "buitenstaander"}
# Seated from Zuiderveen's roster in the region's exercise (the deputy was not called).
EXERCISE_PLAYERS = GBT_MEMBERS - {"plaatsvervanger"}


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
            Attendance,
            CardTick,
            Analysis,
            AnalysisVersion,
            AnalysisShare,
            AnalysisRead,
        )
    )


def test_loading_the_demo_twice_gives_the_same_data():
    call_command("demo_data", stdout=None)
    first = _counts()
    call_command("demo_data")
    assert _counts() == first
    # Zuiderveen, the water company, the safety region and its second member; the GBT
    # crisis, the CMT exercise and the region's two runs of its exercise scenario.
    assert first[1] == 4 and first[3] == 4


def test_every_demo_user_sees_exactly_their_crises():
    call_command("demo_data")
    gbt = Crisis.objects.get(team_kind="gbt", is_exercise=False)
    cmt = Crisis.objects.get(team_kind="cmt")
    assert cmt.is_exercise and not gbt.is_exercise
    users = get_user_model().objects
    # Zuiderveen's GBT also played the region's exercise; the ROL sits at Lindewaard's too.
    played = Crisis.objects.get(organisation=gbt.organisation, is_exercise=True)
    lindewaard = Crisis.objects.exclude(organisation=gbt.organisation).get(team_kind="gbt")
    for username in GBT_MEMBERS:
        seen = set(crises_for_user(user=users.get(username=username)))
        expected = {gbt, played} if username in EXERCISE_PLAYERS else {gbt}
        if username == "rol":
            expected.add(lindewaard)
        assert seen == expected, username
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
    gbt = Crisis.objects.get(team_kind="gbt", is_exercise=False)
    first = Meeting.objects.get(crisis=gbt, number=1)
    assert first.status == "closed" and first.next_at is not None
    decisions = Entry.objects.filter(crisis=gbt, kind="besluit")
    # Two in meeting 1, and since then the allocation of a generator (the first 72 hours).
    assert decisions.filter(meeting=first).count() == 2
    assert decisions.count() == 3 and all(d.reasoning for d in decisions)
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


def _readme_demo_users() -> list[str]:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo users", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def test_every_user_in_the_readme_logs_in_with_the_demo_password():
    call_command("demo_data")
    listed = _readme_demo_users()
    # The README lists every login the command prints, and nothing else.
    assert sorted(listed) == sorted(username for username, _what in (*LOGINS, *EXERCISE_LOGINS))
    for username in listed:
        assert Client().login(username=username, password="crisisroom"), username
    # Seats and deputies without a login exist, but cannot log in.
    for username in ("r.vermeulen", "m.bakker", "e.dekker", "i.kramer", "k.smit"):
        user = get_user_model().objects.get(username=username)
        assert not user.has_usable_password()


def test_the_gbt_sits_as_a_gbt_does_and_its_roster_has_deputies():
    call_command("demo_data")
    gbt = Crisis.objects.get(team_kind="gbt", is_exercise=False)
    seats = set(
        Membership.objects.filter(crisis=gbt, ended_at__isnull=True).values_list(
            "role", "function_title"
        )
    )
    assert {
        (Role.TECHNICAL_CHAIR, ""),
        (Role.MAYOR, ""),
        (Role.ROL, ""),
        (Role.LOGGER, ""),
        (Role.ADVISER, "Gemeentesecretaris"),
        (Role.ADVISER, "Adviseur crisisbeheersing (AOV)"),
        (Role.ADVISER, "Communicatieadviseur"),
        (Role.ADVISER, "Informatiemanager"),
        (Role.ADVISER, "Politie (districtschef)"),
        (Role.ADVISER, "Brandweer (algemeen commandant)"),
        (Role.ADVISER, "GHOR (directeur publieke gezondheid)"),
    } <= seats
    roster = RosterEntry.objects.filter(organisation=gbt.organisation)
    for role, function in seats:
        assert roster.filter(role=role, function_title=function, rank=1).exists()
    assert roster.filter(rank=2).count() >= 1
    # The first communicatieadviseur was unavailable: her deputy took the seat.
    deputy = roster.get(function_title="Communicatieadviseur", rank=2)
    assert deputy.user.username == "plaatsvervanger"
    assert Membership.objects.filter(crisis=gbt, user=deputy.user, ended_at__isnull=True).exists()


def test_meeting_one_has_attendance_a_reflection_and_ticked_card_items():
    call_command("demo_data")
    gbt = Crisis.objects.get(team_kind="gbt", is_exercise=False)
    meeting = Meeting.objects.get(crisis=gbt, number=1)
    members = Membership.objects.filter(crisis=gbt, ended_at__isnull=True)
    attendance = Attendance.objects.filter(meeting=meeting)
    assert set(attendance.values_list("user", flat=True)) == set(
        members.values_list("user", flat=True)
    )
    absent = attendance.get(present=False)
    assert absent.delegate is not None and absent.delegate != absent.user
    assert members.filter(user=absent.delegate).exists()
    kinds = set(meeting.events.values_list("kind", flat=True))
    assert {"started", "attendance", "reflection", "phase", "next_meeting", "closed"} <= kinds
    assert meeting.events.get(kind="reflection").note
    ticks = CardTick.objects.filter(meeting=meeting)
    assert ticks.count() >= 5 and ticks.filter(key="agenda:1").exists()
    assert all(t.label for t in ticks)


def test_every_time_in_the_demo_agrees_with_the_story():
    call_command("demo_data")
    for crisis in Crisis.objects.all():
        start = crisis.started_at
        assert crisis.memberships.exists()
        assert all(m.started_at > start for m in crisis.memberships.all())
        assert all(a.at >= start for a in crisis.audit_events.all())
        for meeting in crisis.meetings.all():
            end = meeting.ended_at or timezone.now()
            assert start < meeting.started_at < end
            assert meeting.started_at <= meeting.phase_started_at <= end
            assert all(meeting.started_at <= e.at <= end for e in meeting.events.all())
            assert all(meeting.started_at <= t.at <= end for t in meeting.card_ticks.all())
        for entry in Entry.objects.filter(crisis=crisis):
            assert entry.recorded_at > start, entry.text
            if entry.meeting is not None:
                meeting = entry.meeting
                end = meeting.ended_at or timezone.now()
                assert meeting.started_at <= entry.recorded_at <= end, entry.text
        # The story's clock times are the crisis's own: "om 17:27 uur", "sinds 17:27 uur".
        # (An exercise of the region tells its scenario's story, with the scenario's times.)
        if not hasattr(crisis, "exercise"):
            assert clock(start) in crisis.summary
    gbt = Crisis.objects.get(team_kind="gbt", is_exercise=False)
    first = Meeting.objects.get(crisis=gbt, number=1)
    version = AnalysisVersion.objects.get(analysis__crisis=gbt)
    assert gbt.started_at < version.handed_over_at < first.started_at
    assert first.kernbeeld_source == version
    share = AnalysisShare.objects.get(analysis__crisis=gbt)
    assert version.handed_over_at < share.shared_at
    assert all(r.at >= version.handed_over_at for r in AnalysisRead.objects.all())
    assert clock(gbt.started_at) in version.content["aanleiding"]
    assert first.next_at is not None and first.next_at > timezone.now()


def test_the_deputy_and_the_reader_log_in_and_see_what_is_theirs():
    call_command("demo_data")
    gbt = Crisis.objects.get(team_kind="gbt", is_exercise=False)
    users = get_user_model().objects
    deputy, reader = users.get(username="plaatsvervanger"), users.get(username="lezer")
    assert RosterEntry.objects.filter(user=deputy, rank=2).exists()
    client = Client()
    assert client.login(username="plaatsvervanger", password="crisisroom")
    assert client.get(reverse("crisis_home", args=[gbt.pk])).status_code == 200

    assert not Membership.objects.filter(crisis=gbt, user=reader).exists()
    assert AnalysisShare.objects.filter(
        analysis__crisis=gbt, user=reader, revoked_at__isnull=True
    ).exists()
    assert not crises_for_user(user=reader).exists()
    client = Client()
    assert client.login(username="lezer", password="crisisroom")
    page = client.get(reverse("analysis_page", args=[gbt.pk]))
    assert page.status_code == 200
    assert "De Hoven" in page.content.decode()
    assert client.get(reverse("crisis_home", args=[gbt.pk])).status_code == 404
