"""A meeting held on paper while systems were down: recorded as written, its entries typed in
afterwards with their time on paper, assignments whose deadline has passed included."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Entry, Meeting, MeetingEvent

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def paper(world, login):
    """Meeting 1 of crisis A, held on paper from 3 to 2 hours ago; Besluitvorming at -2:30."""
    now = timezone.now().replace(second=0, microsecond=0)
    response = login(world.chair).post(
        reverse("meeting_on_paper", args=[world.crisis_a.pk]),
        {
            "started_at": _local(now - timedelta(hours=3)),
            "ended_at": _local(now - timedelta(hours=2)),
            "planned_minutes": 45,
            "phase_besluitvorming": _local(now - timedelta(hours=2, minutes=30)),
            "absent": [world.adviser.pk],
            "note": "Papieren logboek in de kast van de crisisruimte",
        },
    )
    assert response.status_code == 302
    meeting = world.crisis_a.meetings.get()
    return meeting, now


def test_a_meeting_held_on_paper_is_recorded_as_written(world, paper):
    meeting, now = paper
    assert meeting.held_on_paper and not meeting.is_running
    assert meeting.started_at == now - timedelta(hours=3)
    assert meeting.ended_at == now - timedelta(hours=2)
    kinds = list(meeting.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds[0] == MeetingEvent.Kind.STARTED and kinds[-1] == MeetingEvent.Kind.CLOSED
    assert meeting.events.get(kind=MeetingEvent.Kind.PHASE).to_phase == "besluitvorming"
    assert not Attendance.objects.get(meeting=meeting, user=world.adviser).present


def test_its_entries_are_typed_in_with_their_time_and_phase_on_paper(world, paper, login):
    meeting, now = paper
    client = login(world.logger)
    page = client.get(reverse("meeting_detail", args=[world.crisis_a.pk, meeting.number]))
    assert 'name="occurred_at"' in page.content.decode()  # the form to type in from paper
    response = client.post(
        reverse("entry_create", args=[world.crisis_a.pk, meeting.number]),
        {
            "client_token": str(uuid.uuid4()),
            "kind": "opdracht",
            "text": "Noodstroom voor het verpleeghuis",
            "owner_function": "AOV",
            # Set on paper for an hour ago: passed by now, and still taken in.
            "deadline": _local(now - timedelta(hours=1)),
            "occurred_at": _local(now - timedelta(hours=2, minutes=20)),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(crisis=world.crisis_a)
    assert entry.meeting == meeting and entry.phase == "besluitvorming"
    assert entry.occurred_at == now - timedelta(hours=2, minutes=20)  # marked as transcribed
    assert entry.assignment.is_overdue


def test_a_paper_entry_needs_its_time_and_a_deadline_after_it(world, paper):
    meeting, now = paper
    with pytest.raises(ValidationError):
        services.entry_record(
            crisis=world.crisis_a,
            meeting=meeting,
            actor=world.logger,
            kind="beeld",
            text="Zonder tijd",
            client_token=uuid.uuid4(),
        )
    with pytest.raises(ValidationError):
        services.entry_record(
            crisis=world.crisis_a,
            meeting=meeting,
            actor=world.logger,
            kind="opdracht",
            text="Deadline voor het moment zelf",
            owner_function="AOV",
            deadline=now - timedelta(hours=3),
            occurred_at=now - timedelta(hours=2, minutes=30),
            client_token=uuid.uuid4(),
        )


def test_no_paper_meeting_while_a_meeting_runs_and_times_are_checked(world, meeting):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.meeting_record_on_paper(
            crisis=world.crisis_a,
            actor=world.chair,
            started_at=now - timedelta(hours=2),
            ended_at=now - timedelta(hours=1),
        )
    services.meeting_close(meeting=meeting, actor=world.chair)
    with pytest.raises(ValidationError) as refused:
        services.meeting_record_on_paper(
            crisis=world.crisis_a,
            actor=world.chair,
            started_at=now - timedelta(hours=1),
            ended_at=now - timedelta(hours=2),
        )
    assert "ended_at" in refused.value.message_dict


def test_a_paper_meeting_comes_after_the_last_one_and_carries_its_kernbeeld(world, meeting):
    services.meeting_update_kernbeeld(
        meeting=meeting, actor=world.chair, text="Kernbeeld van overleg 1", base_revision=0
    )
    services.meeting_close(meeting=meeting, actor=world.chair)
    closed = timezone.now() - timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(ended_at=closed)  # meeting 1 ended 3 h ago
    with pytest.raises(ValidationError):  # held before meeting 1 ended: not after it
        services.meeting_record_on_paper(
            crisis=world.crisis_a,
            actor=world.chair,
            started_at=closed - timedelta(hours=5),
            ended_at=closed - timedelta(hours=4),
        )
    paper = services.meeting_record_on_paper(
        crisis=world.crisis_a,
        actor=world.chair,
        started_at=closed + timedelta(hours=1),
        ended_at=closed + timedelta(hours=2),
    )
    assert paper.kernbeeld == "Kernbeeld van overleg 1"
    services.meeting_close(meeting=paper, actor=world.chair)
    third = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert third.kernbeeld == "Kernbeeld van overleg 1"  # not wiped by the paper meeting


def test_a_paper_entry_lies_within_its_meeting_and_only_paper_gets_past_deadlines(
    world, paper, meeting
):
    paper_meeting, now = paper
    with pytest.raises(ValidationError):
        services.entry_record(
            crisis=world.crisis_a,
            meeting=paper_meeting,
            actor=world.logger,
            kind="beeld",
            text="Na afloop",
            occurred_at=now - timedelta(minutes=30),  # the meeting ended two hours ago
            client_token=uuid.uuid4(),
        )
    with pytest.raises(ValidationError):  # a running meeting: no overdue assignment via paper
        services.entry_record(
            crisis=world.crisis_a,
            meeting=meeting,
            actor=world.logger,
            kind="opdracht",
            text="Al verlopen",
            owner_function="AOV",
            deadline=now - timedelta(hours=1),
            occurred_at=now - timedelta(hours=2),
            client_token=uuid.uuid4(),
        )
