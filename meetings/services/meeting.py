"""Writes to a meeting: start, phases, clock, attendance, the next meeting, kernbeeld, card."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.boboc import PHASE_ORDER
from crisisroom.models import AuditEvent, Crisis, Membership
from crisisroom.text import display_name, refuse_nul
from formats.selectors import KERNBEELD_MAX, card_label, cards_current

from .. import selectors
from ..models import Attendance, CardTick, KernbeeldVersion, Meeting, MeetingEvent
from ._common import (
    event_record,
    logbook_touch,
    meeting_audit,
    meeting_lock_running,
    require_active,
)


def meeting_start(
    *,
    crisis: Crisis,
    actor: User,
    planned_minutes: int | None = None,
    kernbeeld_from: str | None = None,
) -> Meeting:
    """Start the next meeting, in Beeldvorming. A second click returns the running meeting.

    Build on what is known: the kernbeeld starts from the previous meeting's final one, or from
    the newest strategic analysis (``kernbeeld_from``; by default whichever is newer). The
    length is the one agreed for this meeting, unless given.
    """
    require_active(crisis)
    if planned_minutes is None:
        planned_minutes = selectors.next_meeting_minutes(crisis=crisis)
    if not 5 <= planned_minutes <= 240:
        raise ValidationError({"planned_minutes": _("A meeting lasts 5 to 240 minutes.")})
    start = selectors.kernbeeld_start(crisis=crisis)
    source = kernbeeld_from or start.default
    if source == KernbeeldVersion.Source.PREVIOUS and start.previous is not None:
        kernbeeld, analysis = start.previous_text, start.previous.kernbeeld_source
    elif source == KernbeeldVersion.Source.ANALYSIS and start.analysis is not None:
        kernbeeld, analysis = start.analysis_text, start.analysis
    elif kernbeeld_from is None or source == KernbeeldVersion.Source.EMPTY:
        source, kernbeeld, analysis = KernbeeldVersion.Source.EMPTY, "", None
    else:
        raise ValidationError({"kernbeeld_from": _("There is nothing to start from there.")})
    with transaction.atomic():
        logbook_touch(crisis=crisis)
        running = Meeting.objects.filter(crisis=crisis, status=Meeting.Status.RUNNING).first()
        if running is not None:
            return running
        last = Meeting.objects.filter(crisis=crisis).aggregate(n=Max("number"))["n"] or 0
        now = timezone.now()
        meeting = Meeting(
            crisis=crisis,
            number=last + 1,
            planned_minutes=planned_minutes,
            started_at=now,
            phase_started_at=now,
            started_by=actor,
            kernbeeld=kernbeeld,
            kernbeeld_source=analysis,
            card_set=cards_current(organisation=crisis.organisation),
        )
        meeting.full_clean()
        meeting.save()
        KernbeeldVersion.objects.create(
            meeting=meeting,
            number=1,
            text=kernbeeld,
            source=source,
            analysis_version=analysis,
            saved_by=actor,
            saved_at=now,
        )
        event_record(meeting, MeetingEvent.Kind.STARTED, actor, to_phase=meeting.phase)
        _carry_over_absence(meeting, actor)
        meeting_audit(meeting, AuditEvent.Action.MEETING_STARTED, actor, phase=meeting.phase)
    return meeting


def _carry_over_absence(meeting: Meeting, actor: User) -> None:
    """Members marked unavailable are absent from the new meeting too, and whoever took over
    their tasks in the previous meeting keeps them, until they are available again."""
    unavailable = Membership.objects.filter(
        crisis=meeting.crisis, ended_at__isnull=True, unavailable_at__isnull=False
    ).select_related("user")
    previous = {
        a.user_id: a
        for a in Attendance.objects.filter(
            meeting__crisis=meeting.crisis, meeting__number=meeting.number - 1
        ).select_related("delegate")
    }
    seated = set(
        Membership.objects.filter(crisis=meeting.crisis, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    away = {m.user_id for m in unavailable}
    done: set[int] = set()
    for membership in unavailable:
        if membership.user_id in done:
            continue  # two roles, one person at the table
        done.add(membership.user_id)
        before = previous.get(membership.user_id)
        delegate = before.delegate if before and before.delegate_id in seated else None
        if delegate is not None and delegate.pk in away:
            delegate = None  # tasks do not pass to someone who is away too
        Attendance.objects.create(
            meeting=meeting, user=membership.user, present=False, delegate=delegate
        )
        name = display_name(membership.user)
        note = (
            _("%(name)s unavailable; tasks stay with %(delegate)s")
            % {"name": name, "delegate": display_name(delegate)}
            if delegate is not None
            else _("%(name)s unavailable") % {"name": name}
        )
        event_record(meeting, MeetingEvent.Kind.ATTENDANCE, actor, note=note)


def meeting_set_phase(*, meeting: Meeting, phase: str, actor: User) -> Meeting:
    """Move the meeting to a phase; going back is allowed and recorded as such."""
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": _("Unknown phase.")})
    with transaction.atomic():
        meeting = meeting_lock_running(meeting)
        if meeting.phase == phase:
            return meeting  # A double click on the same phase changes nothing.
        previous = meeting.phase
        meeting.phase = phase
        meeting.phase_started_at = timezone.now()
        meeting.save(update_fields=["phase", "phase_started_at"])
        event_record(meeting, MeetingEvent.Kind.PHASE, actor, from_phase=previous, to_phase=phase)
        meeting_audit(
            meeting, AuditEvent.Action.PHASE_CHANGED, actor, from_phase=previous, phase=phase
        )
    return meeting


def meeting_mark_reflection(*, meeting: Meeting, actor: User, note: str = "") -> MeetingEvent:
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep it under 500 characters.")})
    with transaction.atomic():
        meeting = meeting_lock_running(meeting)
        return event_record(
            meeting, MeetingEvent.Kind.REFLECTION, actor, to_phase=meeting.phase, note=note
        )


def meeting_set_attendance(
    *,
    meeting: Meeting,
    actor: User,
    user: User,
    present: bool,
    delegate: User | None = None,
) -> Attendance:
    """Record whether a member is at the table and, if not, who takes over their tasks."""
    members = Membership.objects.filter(crisis=meeting.crisis, ended_at__isnull=True)
    if not members.filter(user=user).exists():
        raise ValidationError({"user": _("Only members of the crisis team attend.")})
    if present:
        delegate = None
    elif delegate is not None:
        if delegate == user:
            raise ValidationError({"delegate": _("Delegate to someone else.")})
        if not members.filter(user=delegate).exists():
            raise ValidationError({"delegate": _("Delegate to a member of the crisis team.")})
    with transaction.atomic():
        meeting_lock_running(meeting)
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"present": present, "delegate": delegate}
        )
        name = display_name(user)
        if present:
            note = _("%(name)s present") % {"name": name}
        elif delegate is not None:
            note = _("%(name)s absent; tasks delegated to %(delegate)s") % {
                "name": name,
                "delegate": display_name(delegate),
            }
        else:
            note = _("%(name)s absent") % {"name": name}
        event_record(meeting, MeetingEvent.Kind.ATTENDANCE, actor, note=note)
    return attendance


def meeting_plan_next(
    *,
    meeting: Meeting,
    actor: User,
    next_at: datetime,
    minutes: int,
    input_due_at: datetime | None = None,
) -> Meeting:
    """Fix the next meeting in the cycle: when, how long, and when input is due."""
    errors = {}
    now = timezone.now()
    if next_at <= now:
        errors["next_at"] = _("The next meeting must be in the future.")
    if not 5 <= minutes <= 240:
        errors["minutes"] = _("A meeting lasts 5 to 240 minutes.")
    if input_due_at is not None and input_due_at > next_at:
        errors["input_due_at"] = _("Input is due before the meeting starts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = meeting_lock_running(meeting)
        meeting.next_at, meeting.next_minutes = next_at, minutes
        meeting.next_input_due_at = input_due_at
        meeting.save(update_fields=["next_at", "next_minutes", "next_input_due_at"])
        local = timezone.localtime(next_at)
        event_record(meeting, MeetingEvent.Kind.NEXT_MEETING, actor, note=f"{local:%d-%m %H:%M}")
    return meeting


class KernbeeldConflict(ValidationError):
    """Someone else saved the kernbeeld since this screen loaded it."""


def meeting_update_kernbeeld(
    *, meeting: Meeting, actor: User, text: str, base_revision: int
) -> Meeting:
    """Adjust the meeting's kernbeeld; a save based on an older revision is refused."""
    refuse_nul(text, field="kernbeeld")
    if len(text) > KERNBEELD_MAX:
        raise ValidationError({"kernbeeld": _("Keep the core picture under 20,000 characters.")})
    with transaction.atomic():
        current = meeting_lock_running(meeting)
        if current.kernbeeld_revision != base_revision:
            who = current.kernbeeld_updated_by
            raise KernbeeldConflict(
                _("%(name)s changed the core picture in the meantime; your text is kept below.")
                % {"name": display_name(who) if who else "?"}
            )
        current.kernbeeld = text
        current.kernbeeld_revision += 1
        current.kernbeeld_updated_at, current.kernbeeld_updated_by = timezone.now(), actor
        current.save(
            update_fields=[
                "kernbeeld",
                "kernbeeld_revision",
                "kernbeeld_updated_at",
                "kernbeeld_updated_by",
            ]
        )
        # Every save is a version: what the team knew, and when, stays readable.
        last = current.kernbeeld_versions.aggregate(n=Max("number"))["n"] or 0
        KernbeeldVersion.objects.create(
            meeting=current,
            number=last + 1,
            text=text,
            source=KernbeeldVersion.Source.EDIT,
            saved_by=actor,
            saved_at=current.kernbeeld_updated_at,
        )
    return current


def meeting_close(*, meeting: Meeting, actor: User) -> Meeting:
    with transaction.atomic():
        logbook_touch(crisis=meeting.crisis)
        meeting = Meeting.objects.select_related("crisis").get(pk=meeting.pk)
        if not meeting.is_running:
            return meeting
        meeting.status = Meeting.Status.CLOSED
        meeting.ended_at = timezone.now()
        meeting.ended_by = actor
        meeting.save(update_fields=["status", "ended_at", "ended_by"])
        event_record(meeting, MeetingEvent.Kind.CLOSED, actor, from_phase=meeting.phase)
        meeting_audit(meeting, AuditEvent.Action.MEETING_CLOSED, actor)
    return meeting


def meeting_tick_card(*, meeting: Meeting, key: str, actor: User) -> CardTick:
    """Mark an agenda item or attention point as handled in this meeting, with the time."""
    if meeting.card_set is None:
        raise ValidationError(_("This meeting has no attention card."))
    name, _sep, number = key.partition(":")
    if not (number.isascii() and number.isdigit() and len(number) <= 4) or len(name) > 30:
        raise ValidationError(_("No such item on the card."))
    key = f"{name}:{int(number)}"  # one item, one key: "agenda:01" is "agenda:1"
    label = card_label(card=meeting.card_set.card, key=key)
    if label is None:
        raise ValidationError(_("No such item on the card."))
    with transaction.atomic():
        meeting_lock_running(meeting)
        tick, _created = CardTick.objects.get_or_create(
            meeting=meeting, key=key, defaults={"label": label, "by": actor}
        )
    return tick


def meeting_record_on_paper(
    *,
    crisis: Crisis,
    actor: User,
    started_at: datetime,
    ended_at: datetime,
    planned_minutes: int = 30,
    phases: dict[str, datetime] | None = None,
    absent: list[User] | None = None,
    note: str = "",
) -> Meeting:
    """Record a meeting held on paper while systems were down: when it started and ended,
    when it reached each phase, who was absent, as written. Its entries are typed in after,
    with their time on paper."""
    refuse_nul(note)
    phases = {p: at for p, at in (phases or {}).items() if at is not None}
    errors: dict[str, str] = {}
    if ended_at <= started_at:
        errors["ended_at"] = _("The meeting ends after it starts.")
    if ended_at > timezone.now():
        errors["ended_at"] = _("A meeting on paper has been held already.")
    if started_at < crisis.started_at - timedelta(days=1):
        errors["started_at"] = _("The time on paper is before this crisis started.")
    if not 5 <= planned_minutes <= 240:
        errors["planned_minutes"] = _("A meeting lasts 5 to 240 minutes.")
    for phase, at in phases.items():
        if phase not in PHASE_ORDER:
            errors["phases"] = _("Unknown phase.")
        elif not started_at <= at <= ended_at:
            errors[f"phase_{phase}"] = _("Within the meeting's start and end, please.")
    members = Membership.objects.filter(crisis=crisis, ended_at__isnull=True)
    for user in absent or []:
        if not members.filter(user=user).exists():
            errors["absent"] = _("Only members of the crisis team attend.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        logbook_touch(crisis=crisis)
        require_active(crisis)
        if Meeting.objects.filter(crisis=crisis, status=Meeting.Status.RUNNING).exists():
            raise ValidationError(_("Close the running meeting before recording one on paper."))
        last_held = Meeting.objects.filter(crisis=crisis).order_by("-number").first()
        if last_held is not None and last_held.ended_at and started_at < last_held.ended_at:
            # Numbers follow time: a paper meeting comes after the last meeting held.
            raise ValidationError(
                {"started_at": _("A meeting on paper starts after the last meeting ended.")}
            )
        last = last_held.number if last_held else 0
        ordered = sorted(phases.items(), key=lambda item: item[1])
        final = ordered[-1][0] if ordered else PHASE_ORDER[0]
        meeting = Meeting.objects.create(
            crisis=crisis,
            number=last + 1,
            status=Meeting.Status.CLOSED,
            phase=final,
            planned_minutes=planned_minutes,
            started_at=started_at,
            phase_started_at=ordered[-1][1] if ordered else started_at,
            started_by=actor,
            ended_at=ended_at,
            ended_by=actor,
            held_on_paper=True,
            # It built on what the table knew: the previous meeting's kernbeeld carries on.
            kernbeeld=last_held.kernbeeld if last_held else "",
            kernbeeld_source=last_held.kernbeeld_source if last_held else None,
            card_set=cards_current(organisation=crisis.organisation),
        )
        KernbeeldVersion.objects.create(
            meeting=meeting,
            number=1,
            text=meeting.kernbeeld,
            source=KernbeeldVersion.Source.PREVIOUS if last_held else KernbeeldVersion.Source.EMPTY,
            saved_by=actor,
            saved_at=started_at,
        )
        MeetingEvent.objects.create(
            meeting=meeting,
            kind=MeetingEvent.Kind.STARTED,
            by=actor,
            at=started_at,
            to_phase=PHASE_ORDER[0],
            note=note.strip()[:500] or _("held on paper"),
        )
        previous = PHASE_ORDER[0]
        for phase, at in ordered:
            if phase == previous:
                continue
            MeetingEvent.objects.create(
                meeting=meeting,
                kind=MeetingEvent.Kind.PHASE,
                by=actor,
                at=at,
                from_phase=previous,
                to_phase=phase,
            )
            previous = phase
        for user in {u.pk: u for u in absent or []}.values():
            Attendance.objects.create(meeting=meeting, user=user, present=False)
            MeetingEvent.objects.create(
                meeting=meeting,
                kind=MeetingEvent.Kind.ATTENDANCE,
                by=actor,
                at=started_at,
                note=_("%(name)s absent") % {"name": display_name(user)},
            )
        MeetingEvent.objects.create(
            meeting=meeting,
            kind=MeetingEvent.Kind.CLOSED,
            by=actor,
            at=ended_at,
            from_phase=final,
        )
        meeting_audit(meeting, AuditEvent.Action.MEETING_STARTED, actor, on_paper=True)
    return meeting
