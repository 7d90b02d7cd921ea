import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import Assignment, Entry, Meeting, MeetingEvent, Phase

pytestmark = pytest.mark.django_db


# -- the meeting ---------------------------------------------------------------------------------


def test_a_meeting_starts_in_beeldvorming_with_the_next_number(world, meeting):
    assert (meeting.number, meeting.phase, meeting.status) == (1, Phase.BEELDVORMING, "running")
    services.meeting_close(meeting=meeting, actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert second.number == 2


def test_starting_twice_returns_the_running_meeting(world, meeting):
    again = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert again.pk == meeting.pk
    assert Meeting.objects.filter(crisis=world.crisis_a).count() == 1


def test_the_phase_moves_forward_and_back_and_each_move_is_recorded(world, meeting):
    services.meeting_set_phase(meeting=meeting, phase=Phase.OORDEELSVORMING, actor=world.chair)
    services.meeting_set_phase(meeting=meeting, phase=Phase.BEELDVORMING, actor=world.chair)
    moves = list(meeting.events.filter(kind=MeetingEvent.Kind.PHASE))
    assert [(m.from_phase, m.to_phase, m.is_backwards) for m in moves] == [
        ("beeldvorming", "oordeelsvorming", False),
        ("oordeelsvorming", "beeldvorming", True),
    ]
    assert all(m.by == world.chair for m in moves)


def test_choosing_the_current_phase_again_records_nothing(world, meeting):
    services.meeting_set_phase(meeting=meeting, phase=Phase.BEELDVORMING, actor=world.chair)
    assert not meeting.events.filter(kind=MeetingEvent.Kind.PHASE).exists()


def test_an_unknown_phase_is_refused(world, meeting):
    with pytest.raises(ValidationError):
        services.meeting_set_phase(meeting=meeting, phase="brainstorm", actor=world.chair)


def test_a_closed_meeting_keeps_its_phase(world, meeting):
    services.meeting_close(meeting=meeting, actor=world.chair)
    with pytest.raises(ValidationError, match="gesloten"):
        services.meeting_set_phase(meeting=meeting, phase=Phase.CONTROLE, actor=world.chair)


def test_attendance_records_who_is_absent_and_who_takes_over(world, meeting):
    services.meeting_set_attendance(
        meeting=meeting, actor=world.chair, user=world.rol, present=False, delegate=world.adviser
    )
    mark = meeting.attendance.get(user=world.rol)
    assert (mark.present, mark.delegate) == (False, world.adviser)
    note = meeting.events.get(kind=MeetingEvent.Kind.ATTENDANCE).note
    assert world.adviser.get_full_name() in note


def test_delegating_to_someone_outside_the_team_is_refused(world, meeting):
    with pytest.raises(ValidationError):
        services.meeting_set_attendance(
            meeting=meeting,
            actor=world.chair,
            user=world.rol,
            present=False,
            delegate=world.outsider,
        )


def test_the_next_meeting_is_fixed_in_the_cycle(world, meeting):
    at = timezone.now() + timedelta(hours=3)
    services.meeting_plan_next(
        meeting=meeting,
        actor=world.chair,
        next_at=at,
        minutes=25,
        input_due_at=at - timedelta(minutes=30),
    )
    meeting.refresh_from_db()
    assert (meeting.next_at, meeting.next_minutes) == (at, 25)


def test_the_next_meeting_cannot_be_in_the_past_nor_input_due_after_it(world, meeting):
    at = timezone.now() + timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        services.meeting_plan_next(
            meeting=meeting,
            actor=world.chair,
            next_at=timezone.now() - timedelta(minutes=1),
            minutes=2,
        )
    assert set(error.value.error_dict) == {"next_at", "minutes"}
    with pytest.raises(ValidationError) as error:
        services.meeting_plan_next(
            meeting=meeting,
            actor=world.chair,
            next_at=at,
            minutes=30,
            input_due_at=at + timedelta(minutes=5),
        )
    assert set(error.value.error_dict) == {"input_due_at"}


def test_a_reflection_moment_is_recorded_in_the_phase_it_happened(world, meeting):
    services.meeting_set_phase(meeting=meeting, phase=Phase.OORDEELSVORMING, actor=world.chair)
    services.meeting_mark_reflection(
        meeting=meeting, actor=world.chair, note="Te snel naar besluit"
    )
    event = meeting.events.get(kind=MeetingEvent.Kind.REFLECTION)
    assert (event.to_phase, event.note) == ("oordeelsvorming", "Te snel naar besluit")


# -- the log -------------------------------------------------------------------------------------


def test_entries_are_numbered_timed_signed_and_placed_in_their_phase(world, meeting, record):
    first = record()
    services.meeting_set_phase(meeting=meeting, phase=Phase.BESLUITVORMING, actor=world.chair)
    second = record("besluit", "Scholen in Oosterpark blijven dicht", decided_by=world.mayor)
    assert (first.seq, second.seq) == (1, 2)
    assert (first.phase, second.phase) == ("beeldvorming", "besluitvorming")
    assert first.author == world.logger
    assert second.decided_by == world.mayor
    assert second.reasoning == "Gezondheid gaat voor"
    assert abs((timezone.now() - first.recorded_at).total_seconds()) < 5


def test_the_same_token_twice_is_one_entry(world, record):
    token = uuid.uuid4()
    first = record(client_token=token)
    again = record(client_token=token, text="iets anders")
    assert again.pk == first.pk
    assert Entry.objects.filter(crisis=world.crisis_a).count() == 1


@pytest.mark.parametrize(
    "kind,fields,field",
    [
        ("beeld", {"text": "   "}, "text"),
        ("beeld", {"text": "x" * 4001}, "text"),
        ("opdracht", {"owner_function": ""}, "owner"),
        ("opdracht", {"deadline": None}, "deadline"),
        ("opdracht", {"deadline": timezone.now() - timedelta(minutes=1)}, "deadline"),
        ("kletspraat", {}, "kind"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field(world, record, kind, fields, field):
    with pytest.raises(ValidationError) as error:
        record(kind, **fields)
    assert field in error.value.error_dict
    assert not Entry.objects.exists()


def test_an_assignment_owner_from_outside_the_team_is_refused(world, record):
    with pytest.raises(ValidationError) as error:
        record("opdracht", owner=world.outsider, owner_function="")
    assert "owner" in error.value.error_dict


def test_a_decision_without_reasons_is_asked_once_then_recorded(world, record):
    with pytest.raises(services.ReasoningMissing):
        record("besluit", reasoning="")
    entry = record("besluit", reasoning="", without_reasoning=True)
    assert entry.kind == "besluit" and entry.reasoning == ""


def test_an_assignment_gets_owner_deadline_and_open_status(world, record):
    deadline = timezone.now() + timedelta(hours=1)
    entry = record(
        "opdracht",
        "Bewonersbrief opstellen",
        owner=world.adviser,
        owner_function="",
        deadline=deadline,
    )
    assignment = entry.assignment
    assert (assignment.owner, assignment.deadline, assignment.status) == (
        world.adviser,
        deadline,
        "open",
    )
    assert assignment.owner_label == world.adviser.get_full_name()


def test_a_correction_is_a_new_entry_and_the_original_stays(world, record):
    original = record(text="Wind uit het zuidwesten")
    correction = record(text="Wind uit het noordwesten", corrects=original)
    original.refresh_from_db()
    assert original.text == "Wind uit het zuidwesten"
    assert original.correction == correction
    assert correction.seq == original.seq + 1
    with pytest.raises(ValidationError, match="al gecorrigeerd"):
        record(text="Nog een keer", corrects=original)


def test_correcting_an_assignment_replaces_it(world, record):
    original = record("opdracht", "Opvang regelen")
    record("opdracht", "Opvang regelen in sporthal De Wiel", corrects=original)
    statuses = dict(Assignment.objects.values_list("entry__text", "status"))
    assert statuses == {
        "Opvang regelen": "superseded",
        "Opvang regelen in sporthal De Wiel": "open",
    }


def test_nothing_is_written_to_a_closed_meeting_or_crisis(world, meeting, record):
    services.meeting_close(meeting=meeting, actor=world.chair)
    with pytest.raises(ValidationError):
        record()
    from crisisroom import services as core

    core.crisis_close(crisis=world.crisis_a, actor=world.chair)
    with pytest.raises(ValidationError):
        services.entry_record(
            crisis=world.crisis_a,
            actor=world.logger,
            kind="beeld",
            text="x",
            client_token=uuid.uuid4(),
        )


# -- controle ------------------------------------------------------------------------------------


def test_controle_marks_done_with_a_remark_as_a_log_entry(world, record):
    assignment = record("opdracht", "Persbericht").assignment
    check = services.assignment_check(
        assignment=assignment,
        actor=world.logger,
        outcome="done",
        remark="Om 14:10 verstuurd",
        client_token=uuid.uuid4(),
    )
    assignment.refresh_from_db()
    assert assignment.status == "done" and assignment.closed_at is not None
    assert check.kind == "controle" and check.checks == assignment
    assert "Om 14:10 verstuurd" in check.text


def test_adjusting_moves_the_deadline_and_counts_the_postponement(world, record):
    assignment = record("opdracht", "Meetploeg inzetten").assignment
    later = assignment.deadline + timedelta(hours=1)
    services.assignment_check(
        assignment=assignment,
        actor=world.chair,
        outcome="adjusted",
        new_deadline=later,
        client_token=uuid.uuid4(),
    )
    services.assignment_check(
        assignment=assignment,
        actor=world.chair,
        outcome="adjusted",
        new_deadline=later + timedelta(hours=1),
        client_token=uuid.uuid4(),
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.postponements) == ("open", 2)
    assert assignment.deadline == later + timedelta(hours=1)


def test_adjusting_needs_a_future_deadline(world, record):
    assignment = record("opdracht").assignment
    with pytest.raises(ValidationError) as error:
        services.assignment_check(
            assignment=assignment, actor=world.chair, outcome="adjusted", client_token=uuid.uuid4()
        )
    assert "new_deadline" in error.value.error_dict


def test_a_closed_assignment_cannot_be_checked_again_but_a_retry_is_harmless(world, record):
    assignment = record("opdracht").assignment
    token = uuid.uuid4()
    first = services.assignment_check(
        assignment=assignment, actor=world.chair, outcome="dropped", client_token=token
    )
    retry = services.assignment_check(
        assignment=assignment, actor=world.chair, outcome="dropped", client_token=token
    )
    assert retry.pk == first.pk
    with pytest.raises(ValidationError, match="niet meer open"):
        services.assignment_check(
            assignment=assignment, actor=world.chair, outcome="done", client_token=uuid.uuid4()
        )


# -- two writers at once ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_loggers_typing_at_once_lose_nothing_and_numbers_stay_unique(world, meeting):
    writers = [world.logger, world.chair]
    per_writer = 15
    errors = []

    def write(user):
        from django.db import connections

        try:
            for i in range(per_writer):
                services.entry_record(
                    crisis=world.crisis_a,
                    meeting=meeting,
                    actor=user,
                    kind="beeld",
                    text=f"{user.username} {i}",
                    client_token=uuid.uuid4(),
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(u,)) for u in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    seqs = list(
        Entry.objects.filter(crisis=world.crisis_a).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, 2 * per_writer + 1))


@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_four_times_at_once_is_one_entry_and_no_error(world, meeting):
    token = uuid.uuid4()
    results, errors = [], []

    def post():
        from django.db import connections

        try:
            results.append(
                services.entry_record(
                    crisis=world.crisis_a,
                    meeting=meeting,
                    actor=world.logger,
                    kind="beeld",
                    text="Drukte bij de opvang",
                    client_token=token,
                ).pk
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Entry.objects.filter(client_token=token).count() == 1


def test_a_closed_crisis_freezes_its_meeting(world, meeting):
    from crisisroom import services as core

    core.crisis_close(crisis=world.crisis_a, actor=world.chair)
    calls = [
        lambda: services.meeting_set_phase(meeting=meeting, phase="controle", actor=world.chair),
        lambda: services.meeting_mark_reflection(meeting=meeting, actor=world.chair),
        lambda: services.meeting_set_attendance(
            meeting=meeting, actor=world.chair, user=world.rol, present=False
        ),
        lambda: services.meeting_plan_next(
            meeting=meeting,
            actor=world.chair,
            next_at=timezone.now() + timedelta(hours=1),
            minutes=30,
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="afgesloten"):
            call()
    assert meeting.events.count() == 1  # only "started"


def test_the_next_meeting_cannot_be_fixed_on_a_closed_meeting(world, meeting):
    services.meeting_close(meeting=meeting, actor=world.chair)
    with pytest.raises(ValidationError, match="gesloten"):
        services.meeting_plan_next(
            meeting=meeting,
            actor=world.chair,
            next_at=timezone.now() + timedelta(hours=1),
            minutes=30,
        )


def test_correcting_a_finished_assignment_keeps_its_state_and_postponements(world, record):
    original = record("opdracht", "Persbericht versturen")
    assignment = original.assignment
    services.assignment_check(
        assignment=assignment,
        actor=world.logger,
        outcome="adjusted",
        new_deadline=assignment.deadline + timedelta(hours=1),
        client_token=uuid.uuid4(),
    )
    services.assignment_check(
        assignment=assignment, actor=world.logger, outcome="done", client_token=uuid.uuid4()
    )
    assignment.refresh_from_db()
    fixed = record(
        "opdracht",
        "Persbericht versturen (landelijk)",
        corrects=original,
        deadline=assignment.deadline,
    )
    assert (fixed.assignment.status, fixed.assignment.postponements) == ("done", 1)
    assert fixed.assignment.deadline == assignment.deadline
    assignment.refresh_from_db()
    assert assignment.status == "superseded"


def test_correcting_a_check_takes_it_back(world, record):
    assignment = record("opdracht", "Meetploeg inzetten").assignment
    deadline = assignment.deadline
    check = services.assignment_check(
        assignment=assignment, actor=world.logger, outcome="done", client_token=uuid.uuid4()
    )
    record("controle", "Vergissing: meetploeg nog niet ingezet", corrects=check)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.deadline, assignment.closed_at) == (
        "open",
        deadline,
        None,
    )


def test_correcting_a_check_that_a_later_check_built_on_changes_nothing(world, record):
    assignment = record("opdracht", "Opvang regelen").assignment
    first = services.assignment_check(
        assignment=assignment,
        actor=world.logger,
        outcome="adjusted",
        new_deadline=assignment.deadline + timedelta(hours=1),
        client_token=uuid.uuid4(),
    )
    services.assignment_check(
        assignment=assignment, actor=world.logger, outcome="done", client_token=uuid.uuid4()
    )
    record("controle", "Tekst van de eerste controle verbeterd", corrects=first)
    assignment.refresh_from_db()
    assert assignment.status == "done"


def test_the_log_refuses_to_be_changed_or_deleted_in_code(world, record):
    from meetings.models import AppendOnlyError

    entry = record(text="Eerste meting")
    entry.text = "Andere meting"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        Assignment.objects.all().delete()
    entry.refresh_from_db()
    assert entry.text == "Eerste meting"
