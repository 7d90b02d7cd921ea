"""Deputies: a member marked unavailable, the next deputy called in from the roster in one
step, tasks delegated until the replacement is there, open assignments listed to reassign."""

import pytest
from django.urls import reverse

from crisisroom import services
from crisisroom.models import AuditEvent, Membership, RosterEntry
from crisisroom.roles import Role
from meetings import services as meeting_services
from meetings.models import Attendance
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(world):
    """The adviser's deputy on organisation A's standing roster (rank 2)."""
    person = UserFactory(username="deputy", first_name="Karin", last_name="Smit")
    services.organisation_member_set(organisation=world.org_a, user=person, actor=None)
    for rank, user in ((1, world.adviser), (2, person)):
        RosterEntry.objects.create(
            organisation=world.org_a, role=Role.ADVISER, function_title="", user=user, rank=rank
        )
    return person


def _seat(world, user):
    return Membership.objects.get(crisis=world.crisis_a, user=user, ended_at__isnull=True)


def test_the_chair_marks_a_member_unavailable_and_calls_in_the_deputy(world, deputy, login):
    client = login(world.chair)
    seat = _seat(world, world.adviser)
    client.post(
        reverse("crisis_member_availability", args=[world.crisis_a.pk, seat.pk]),
        {"available": "0", "note": "Ziek thuis"},
    )
    seat.refresh_from_db()
    assert seat.unavailable_at is not None and seat.unavailable_note == "Ziek thuis"
    team = client.get(reverse("crisis_team", args=[world.crisis_a.pk])).content.decode()
    assert "Ziek thuis" in team

    response = client.post(reverse("crisis_call_deputy", args=[world.crisis_a.pk, seat.pk]))
    assert response.status_code == 302
    called = _seat(world, deputy)
    assert called.role == Role.ADVISER
    event = AuditEvent.objects.get(action=AuditEvent.Action.DEPUTY_CALLED)
    assert event.subject == deputy and event.actor == world.chair
    # A second click calls nobody else: one deputy per absence.
    third = UserFactory(username="third")
    services.organisation_member_set(organisation=world.org_a, user=third, actor=None)
    RosterEntry.objects.create(
        organisation=world.org_a, role=Role.ADVISER, function_title="", user=third, rank=3
    )
    again = client.post(reverse("crisis_call_deputy", args=[world.crisis_a.pk, seat.pk]))
    assert again.status_code == 302
    assert Membership.objects.filter(crisis=world.crisis_a, user=deputy).count() == 1
    assert not Membership.objects.filter(crisis=world.crisis_a, user=third).exists()


def test_a_deputy_is_called_only_for_an_unavailable_member(world, deputy):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.crisis_call_deputy(membership=_seat(world, world.adviser), actor=world.chair)


def test_the_delegation_carries_over_until_the_member_is_available_again(world, meeting, login):
    meeting_services.meeting_set_attendance(
        meeting=meeting, actor=world.chair, user=world.adviser, present=False, delegate=world.rol
    )
    services.membership_set_available(
        membership=_seat(world, world.adviser), actor=world.chair, available=False
    )
    meeting_services.meeting_close(meeting=meeting, actor=world.chair)
    second = meeting_services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    carried = Attendance.objects.get(meeting=second, user=world.adviser)
    assert (carried.present, carried.delegate) == (False, world.rol)

    services.membership_set_available(
        membership=_seat(world, world.adviser), actor=world.chair, available=True
    )
    meeting_services.meeting_close(meeting=second, actor=world.chair)
    third = meeting_services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert not Attendance.objects.filter(meeting=third, user=world.adviser).exists()
    actions = AuditEvent.objects.filter(subject=world.adviser).values_list("action", flat=True)
    assert {"member_unavailable", "member_available"} <= set(actions)


def test_an_absent_members_open_assignments_are_listed_for_reassignment(
    world, meeting, record, login
):
    task = record("opdracht", "Opvang regelen in sporthal Zuid", owner=world.adviser)
    meeting_services.meeting_set_attendance(
        meeting=meeting, actor=world.chair, user=world.adviser, present=False
    )
    console = login(world.chair).get(
        reverse("meeting_detail", args=[world.crisis_a.pk, meeting.number])
    )
    html = console.content.decode()
    assert "Opvang regelen in sporthal Zuid" in html
    assert reverse("entry_correct", args=[world.crisis_a.pk, task.seq]) in html
