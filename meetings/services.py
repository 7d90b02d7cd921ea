"""Writes to the meeting and the log. Rights are checked by the views' access helpers."""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis, Membership
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul
from formats.selectors import KERNBEELD_MAX, card_label, kernbeeld_latest
from formats.services import cards_current

from .chain import entry_hash, genesis
from .models import (
    PHASE_ORDER,
    Assignment,
    Attendance,
    CardTick,
    Entry,
    EntryProposal,
    Logbook,
    Meeting,
    MeetingEvent,
)

MAX_TEXT = 4000


def _logbook_touch(*, crisis: Crisis, new_entry: bool = False) -> int:
    """Take the crisis's logbook lock and bump its revision; with ``new_entry``, the next number.

    Anything but a new entry also marks the revision as ``other_revision``, so screens refresh
    all their regions; after only new entries they refresh the entry regions.

    The UPDATE itself takes the row lock (on SQLite the write lock), so concurrent writers queue
    here and numbers come out in order without gaps or duplicates.
    """
    changes = {"revision": F("revision") + 1}
    if new_entry:
        changes["last_seq"] = F("last_seq") + 1
    else:
        changes["other_revision"] = F("revision") + 1
    if not Logbook.objects.filter(pk=crisis.pk).update(**changes):
        Logbook.objects.get_or_create(crisis=crisis)
        Logbook.objects.filter(pk=crisis.pk).update(**changes)
    return Logbook.objects.values_list("last_seq", flat=True).get(pk=crisis.pk)


def _require_active(crisis: Crisis) -> None:
    """Refuse writes to a closed crisis, read (and, in a transaction, locked) from the database.

    The row lock makes a write and crisis_close queue behind each other, so nothing is added
    after the close commits.
    """
    rows = Crisis.objects.filter(pk=crisis.pk)
    if connection.in_atomic_block:
        rows = rows.select_for_update()
    if rows.values_list("status", flat=True).first() != Crisis.Status.ACTIVE:
        raise ValidationError(_("This crisis is closed: nothing can be added any more."))


def _require_running(meeting: Meeting) -> None:
    if not meeting.is_running:
        raise ValidationError(_("This meeting is closed."))


def _event(meeting: Meeting, kind: str, actor, **fields) -> MeetingEvent:
    return MeetingEvent.objects.create(meeting=meeting, kind=kind, by=actor, **fields)


def _audit(meeting: Meeting, action: str, actor, **detail) -> None:
    audit_record(
        action=action,
        actor=actor,
        crisis=meeting.crisis,
        detail={"meeting": meeting.number, **detail},
    )


def meeting_start(*, crisis: Crisis, actor: AbstractBaseUser, planned_minutes: int = 30) -> Meeting:
    """Start the next meeting, in Beeldvorming. A second click returns the running meeting."""
    _require_active(crisis)
    if not 5 <= planned_minutes <= 240:
        raise ValidationError({"planned_minutes": _("A meeting lasts 5 to 240 minutes.")})
    with transaction.atomic():
        _logbook_touch(crisis=crisis)
        running = Meeting.objects.filter(crisis=crisis, status=Meeting.Status.RUNNING).first()
        if running is not None:
            return running
        last = Meeting.objects.filter(crisis=crisis).aggregate(n=Max("number"))["n"] or 0
        now = timezone.now()
        # Build on what is known: the kernbeeld starts from the latest handed-over analysis.
        source, kernbeeld = kernbeeld_latest(crisis=crisis)
        meeting = Meeting(
            crisis=crisis,
            number=last + 1,
            planned_minutes=planned_minutes,
            started_at=now,
            phase_started_at=now,
            started_by=actor,
            kernbeeld=kernbeeld,
            kernbeeld_source=source,
            card_set=cards_current(organisation=crisis.organisation),
        )
        meeting.full_clean()
        meeting.save()
        _event(meeting, MeetingEvent.Kind.STARTED, actor, to_phase=meeting.phase)
        _audit(meeting, AuditEvent.Action.MEETING_STARTED, actor, phase=meeting.phase)
    return meeting


def meeting_set_phase(*, meeting: Meeting, phase: str, actor: AbstractBaseUser) -> Meeting:
    """Move the meeting to a phase; going back is allowed and recorded as such."""
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": _("Unknown phase.")})
    with transaction.atomic():
        _logbook_touch(crisis=meeting.crisis)
        _require_active(meeting.crisis)
        meeting = Meeting.objects.select_related("crisis").get(pk=meeting.pk)
        _require_running(meeting)
        if meeting.phase == phase:
            return meeting  # A double click on the same phase changes nothing.
        previous = meeting.phase
        meeting.phase = phase
        meeting.phase_started_at = timezone.now()
        meeting.save(update_fields=["phase", "phase_started_at"])
        _event(meeting, MeetingEvent.Kind.PHASE, actor, from_phase=previous, to_phase=phase)
        _audit(meeting, AuditEvent.Action.PHASE_CHANGED, actor, from_phase=previous, phase=phase)
    return meeting


def meeting_mark_reflection(
    *, meeting: Meeting, actor: AbstractBaseUser, note: str = ""
) -> MeetingEvent:
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep it under 500 characters.")})
    with transaction.atomic():
        _logbook_touch(crisis=meeting.crisis)
        _require_active(meeting.crisis)
        meeting = Meeting.objects.get(pk=meeting.pk)
        _require_running(meeting)
        return _event(
            meeting, MeetingEvent.Kind.REFLECTION, actor, to_phase=meeting.phase, note=note
        )


def meeting_set_attendance(
    *,
    meeting: Meeting,
    actor: AbstractBaseUser,
    user: AbstractBaseUser,
    present: bool,
    delegate: AbstractBaseUser | None = None,
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
        _logbook_touch(crisis=meeting.crisis)
        _require_active(meeting.crisis)
        _require_running(Meeting.objects.get(pk=meeting.pk))
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"present": present, "delegate": delegate}
        )
        name = user.get_full_name() or user.username
        if present:
            note = _("%(name)s present") % {"name": name}
        elif delegate is not None:
            note = _("%(name)s absent; tasks delegated to %(delegate)s") % {
                "name": name,
                "delegate": delegate.get_full_name() or delegate.username,
            }
        else:
            note = _("%(name)s absent") % {"name": name}
        _event(meeting, MeetingEvent.Kind.ATTENDANCE, actor, note=note)
    return attendance


def meeting_plan_next(
    *,
    meeting: Meeting,
    actor: AbstractBaseUser,
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
        _logbook_touch(crisis=meeting.crisis)
        _require_active(meeting.crisis)
        meeting = Meeting.objects.select_related("crisis").get(pk=meeting.pk)
        _require_running(meeting)
        meeting.next_at, meeting.next_minutes = next_at, minutes
        meeting.next_input_due_at = input_due_at
        meeting.save(update_fields=["next_at", "next_minutes", "next_input_due_at"])
        local = timezone.localtime(next_at)
        _event(meeting, MeetingEvent.Kind.NEXT_MEETING, actor, note=f"{local:%d-%m %H:%M}")
    return meeting


class KernbeeldConflict(ValidationError):
    """Someone else saved the kernbeeld since this screen loaded it."""


def meeting_update_kernbeeld(
    *, meeting: Meeting, actor: AbstractBaseUser, text: str, base_revision: int
) -> Meeting:
    """Adjust the meeting's kernbeeld; a save based on an older revision is refused."""
    refuse_nul(text, field="kernbeeld")
    if len(text) > KERNBEELD_MAX:
        raise ValidationError({"kernbeeld": _("Keep the core picture under 20,000 characters.")})
    with transaction.atomic():
        _logbook_touch(crisis=meeting.crisis)
        _require_active(meeting.crisis)
        current = Meeting.objects.select_related("kernbeeld_updated_by").get(pk=meeting.pk)
        _require_running(current)
        if current.kernbeeld_revision != base_revision:
            who = current.kernbeeld_updated_by
            raise KernbeeldConflict(
                _("%(name)s changed the core picture in the meantime; your text is kept below.")
                % {"name": (who.get_full_name() or who.username) if who else "?"}
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
    return current


def meeting_close(*, meeting: Meeting, actor: AbstractBaseUser) -> Meeting:
    with transaction.atomic():
        _logbook_touch(crisis=meeting.crisis)
        meeting = Meeting.objects.select_related("crisis").get(pk=meeting.pk)
        if not meeting.is_running:
            return meeting
        meeting.status = Meeting.Status.CLOSED
        meeting.ended_at = timezone.now()
        meeting.ended_by = actor
        meeting.save(update_fields=["status", "ended_at", "ended_by"])
        _event(meeting, MeetingEvent.Kind.CLOSED, actor, from_phase=meeting.phase)
        _audit(meeting, AuditEvent.Action.MEETING_CLOSED, actor)
    return meeting


class ReasoningMissing(ValidationError):
    """A decision without reasons: allowed, but the user is asked once to confirm."""


def entry_record(
    *,
    crisis: Crisis,
    actor: AbstractBaseUser,
    kind: str,
    text: str,
    client_token: uuid.UUID,
    meeting: Meeting | None = None,
    reasoning: str = "",
    decided_by: AbstractBaseUser | None = None,
    without_reasoning: bool = False,
    owner: AbstractBaseUser | None = None,
    owner_function: str = "",
    deadline: datetime | None = None,
    corrects: Entry | None = None,
    checks: Assignment | None = None,
    occurred_at: datetime | None = None,
) -> Entry:
    """Append an entry to the crisis log and return it.

    The same ``client_token`` twice returns the first entry: a double click, a browser retry or
    a flaky connection never makes a duplicate.
    """
    existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
    if existing is not None:
        return existing
    _require_active(crisis)
    text, reasoning, owner_function = text.strip(), reasoning.strip(), owner_function.strip()
    if occurred_at is not None and occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("The time on paper cannot be in the future.")})
    if occurred_at is not None and occurred_at < crisis.started_at - timedelta(days=1):
        raise ValidationError(
            {"occurred_at": _("The time on paper is before this crisis started.")}
        )
    _entry_validate(
        crisis=crisis,
        meeting=meeting,
        kind=kind,
        text=text,
        reasoning=reasoning,
        without_reasoning=without_reasoning,
        owner=owner,
        owner_function=owner_function,
        deadline=deadline,
        corrects=corrects,
    )
    try:
        with transaction.atomic():
            seq = _logbook_touch(crisis=crisis, new_entry=True)
            # The same form posted twice at the same moment: the other request won the lock.
            existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
            if existing is not None:
                transaction.set_rollback(True)
                return existing
            _require_active(crisis)
            if meeting is not None:
                meeting = Meeting.objects.get(pk=meeting.pk)
                _require_running(meeting)
            entry = Entry(
                crisis=crisis,
                meeting=meeting,
                seq=seq,
                kind=kind,
                phase=meeting.phase if meeting else "",
                text=text,
                author=actor,
                client_token=client_token,
                occurred_at=occurred_at,
                corrects=corrects,
                reasoning=reasoning if kind == Entry.Kind.BESLUIT else "",
                decided_by=decided_by if kind == Entry.Kind.BESLUIT else None,
                checks=checks,
            )
            # Uniqueness is the database's job here (numbers come from the locked logbook).
            entry.full_clean(
                validate_unique=False, validate_constraints=False, exclude=["chain_hash"]
            )
            previous = Entry.objects.filter(crisis=crisis, seq=seq - 1).values_list(
                "chain_hash", flat=True
            )
            entry.chain_hash = entry_hash(entry, previous.first() or genesis(crisis.pk))
            entry.save()
            replaced = (
                Assignment.objects.select_for_update().filter(entry=corrects).first()
                if corrects is not None
                else None
            )
            if kind == Entry.Kind.OPDRACHT:
                assignment = Assignment(
                    entry=entry,
                    crisis=crisis,
                    owner=owner,
                    owner_function=owner_function,
                    deadline=deadline or (replaced.deadline if replaced else None),
                )
                if replaced is not None:
                    # A correction fixes the wording or the owner, not the history: where the
                    # assignment stood and how often it was postponed carry over.
                    assignment.postponements = replaced.postponements
                    if replaced.status in (Assignment.Status.DONE, Assignment.Status.DROPPED):
                        assignment.status, assignment.closed_at = (
                            replaced.status,
                            replaced.closed_at,
                        )
                assignment.save()
            if replaced is not None and replaced.status != Assignment.Status.SUPERSEDED:
                replaced.status = Assignment.Status.SUPERSEDED
                replaced.closed_at = replaced.closed_at or timezone.now()
                replaced.save(update_fields=["status", "closed_at"])
            if corrects is not None and corrects.checks_id is not None:
                _check_undo(check=corrects)
    except IntegrityError:
        # The same form posted twice at the same moment: the other request won.
        existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
        if existing is not None:
            return existing
        if corrects is not None and Entry.objects.filter(corrects=corrects).exists():
            raise ValidationError(
                _("Entry %(seq)d has just been corrected by someone else.") % {"seq": corrects.seq}
            ) from None
        raise
    return entry


def _check_undo(*, check: Entry) -> None:
    """Correcting a controle entry takes that check back: the assignment is as it was before.

    Only when no later check of the same assignment has built on it.
    """
    before = check.check_state_before or {}
    later = Entry.objects.filter(checks_id=check.checks_id, seq__gt=check.seq).exclude(
        corrects=check
    )
    if not before or later.exists():
        return
    assignment = Assignment.objects.select_for_update().get(pk=check.checks_id)
    if assignment.status == Assignment.Status.SUPERSEDED:
        return
    assignment.status = before["status"]
    assignment.deadline = datetime.fromisoformat(before["deadline"])
    assignment.postponements = before["postponements"]
    assignment.closed_at = (
        None if before["status"] == Assignment.Status.OPEN else assignment.closed_at
    )
    assignment.save(update_fields=["status", "deadline", "postponements", "closed_at"])


def _entry_validate(
    *,
    crisis: Crisis,
    meeting: Meeting | None,
    kind: str,
    text: str,
    reasoning: str,
    without_reasoning: bool,
    owner,
    owner_function: str,
    deadline: datetime | None,
    corrects: Entry | None,
) -> None:
    errors: dict[str, str] = {}
    if kind not in Entry.Kind.values:
        errors["kind"] = _("Choose what kind of entry this is.")
    if not text:
        errors["text"] = _("Write what should be recorded.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Keep it under %(max)d characters (now %(n)d).") % {
            "max": MAX_TEXT,
            "n": len(text),
        }
    if len(reasoning) > MAX_TEXT:
        errors["reasoning"] = _("Keep the reasons under %(max)d characters.") % {"max": MAX_TEXT}
    if meeting is not None and meeting.crisis_id != crisis.pk:
        errors["meeting"] = _("This meeting belongs to another crisis.")
    if kind == Entry.Kind.OPDRACHT:
        original = getattr(corrects, "assignment", None) if corrects is not None else None
        if owner is None and not owner_function:
            errors["owner"] = _("An assignment needs an owner: a person or a function.")
        if len(owner_function) > 100:
            errors["owner_function"] = _("Keep the function under 100 characters.")
        if deadline is None and original is None:
            errors["deadline"] = _("An assignment needs a deadline.")
        elif (
            deadline is not None
            and deadline <= timezone.now()
            # A correction may keep the original deadline even when it has passed.
            and (original is None or deadline != original.deadline)
        ):
            errors["deadline"] = _("The deadline has already passed.")
        if (
            owner is not None
            and not Membership.objects.filter(
                crisis=crisis, user=owner, ended_at__isnull=True
            ).exists()
        ):
            errors["owner"] = _("The owner must be a member of the crisis team.")
    if corrects is not None:
        if corrects.crisis_id != crisis.pk:
            errors["corrects"] = _("That entry belongs to another crisis.")
        elif Entry.objects.filter(corrects=corrects).exists():
            errors["corrects"] = _(
                "Entry %(seq)d has already been corrected; correct the correction instead."
            ) % {"seq": corrects.seq}
    if errors:
        raise ValidationError(errors)
    if kind == Entry.Kind.BESLUIT and not reasoning and not without_reasoning:
        raise ReasoningMissing(
            {
                "reasoning": _(
                    "No reasons recorded. Inquiries later ask why: add the arguments, "
                    "or save again to record the decision without them."
                )
            }
        )


class CheckOutcome:
    DONE = "done"
    ADJUSTED = "adjusted"
    DROPPED = "dropped"
    ALL = (DONE, ADJUSTED, DROPPED)


def assignment_check(
    *,
    assignment: Assignment,
    actor: AbstractBaseUser,
    outcome: str,
    client_token: uuid.UUID,
    remark: str = "",
    new_deadline: datetime | None = None,
    meeting: Meeting | None = None,
) -> Entry:
    """Controle: mark an assignment done, adjusted (new deadline) or dropped, as a log entry."""
    crisis = assignment.crisis
    existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
    if existing is not None:
        return existing
    remark = remark.strip()
    errors = {}
    if outcome not in CheckOutcome.ALL:
        errors["outcome"] = _("Choose done, adjusted or dropped.")
    if outcome == CheckOutcome.ADJUSTED:
        if new_deadline is None:
            errors["new_deadline"] = _("An adjusted assignment needs a new deadline.")
        elif new_deadline <= timezone.now():
            errors["new_deadline"] = _("The new deadline has already passed.")
    if len(remark) > 1000:
        errors["remark"] = _("Keep the remark under 1000 characters.")
    if errors:
        raise ValidationError(errors)
    seq = assignment.entry.seq
    with transaction.atomic():
        # Same lock order as every other log write (logbook first), so no deadlock with a
        # correction of this assignment's entry.
        _logbook_touch(crisis=crisis)
        existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
        if existing is not None:
            return existing  # The same form posted twice at once: the first one counted.
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        before = {
            "status": locked.status,
            "deadline": locked.deadline.isoformat(),
            "postponements": locked.postponements,
        }
        if locked.status != Assignment.Status.OPEN:
            raise ValidationError(
                _("Assignment %(seq)d is no longer open (%(status)s).")
                % {"seq": seq, "status": locked.get_status_display()}
            )
        if outcome == CheckOutcome.DONE:
            headline = _("Assignment %(seq)d done") % {"seq": seq}
            locked.status, locked.closed_at = Assignment.Status.DONE, timezone.now()
        elif outcome == CheckOutcome.DROPPED:
            headline = _("Assignment %(seq)d dropped") % {"seq": seq}
            locked.status, locked.closed_at = Assignment.Status.DROPPED, timezone.now()
        else:
            local = timezone.localtime(new_deadline)
            headline = _("Assignment %(seq)d adjusted: new deadline %(deadline)s") % {
                "seq": seq,
                "deadline": f"{local:%d-%m %H:%M}",
            }
            if new_deadline > locked.deadline:
                locked.postponements += 1
            locked.deadline = new_deadline
        locked.save(update_fields=["status", "closed_at", "deadline", "postponements"])
        text = f"{headline}. {remark}" if remark else f"{headline}."
        check = entry_record(
            crisis=crisis,
            actor=actor,
            kind=Entry.Kind.CONTROLE,
            text=text,
            client_token=client_token,
            meeting=meeting,
            checks=locked,
        )
        Entry.objects.filter(pk=check.pk).update(check_state_before=before)
        check.check_state_before = before
        return check


def meeting_tick_card(*, meeting: Meeting, key: str, actor: AbstractBaseUser) -> CardTick:
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
        _logbook_touch(crisis=meeting.crisis)
        _require_active(meeting.crisis)
        _require_running(Meeting.objects.get(pk=meeting.pk))
        tick, _created = CardTick.objects.get_or_create(
            meeting=meeting, key=key, defaults={"label": label, "by": actor}
        )
    return tick


def proposal_create(*, item, actor: AbstractBaseUser) -> EntryProposal:
    """Offer a personal logbook line to the logger for the official log (once)."""
    if item.owner_id != actor.pk:
        raise ValidationError(_("Only the owner can propose their own line."))
    kind = {"besluit": Entry.Kind.BESLUIT, "opdracht": Entry.Kind.OPDRACHT}.get(
        item.kind, Entry.Kind.NOTITIE
    )
    with transaction.atomic():
        _logbook_touch(crisis=item.crisis)
        _require_active(item.crisis)
        proposal, _created = EntryProposal.objects.get_or_create(
            personal_item=item,
            defaults={"crisis": item.crisis, "kind": kind, "text": item.text, "proposed_by": actor},
        )
        if item.proposed_at is None:
            item.proposed_at = timezone.now()
            item.save(update_fields=["proposed_at"])
    return proposal


def proposal_decide(
    *, proposal: EntryProposal, actor: AbstractBaseUser, accept: bool, client_token: uuid.UUID
) -> EntryProposal:
    """The logger takes a proposal into the log as a notitie/besluit line, or declines it."""
    with transaction.atomic():
        proposal = EntryProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != EntryProposal.Status.PENDING:
            return proposal  # decided already (a double click, or the other logger)
        if accept:
            author = proposal.proposed_by.get_full_name() or proposal.proposed_by.username
            # Always a notitie: a decision needs its reasons and who took it, an assignment an
            # owner and a deadline; the logger records those properly if the team agrees.
            kind = Entry.Kind.NOTITIE
            proposal.entry = entry_record(
                crisis=proposal.crisis,
                meeting=Meeting.objects.filter(
                    crisis=proposal.crisis, status=Meeting.Status.RUNNING
                ).first(),
                actor=actor,
                kind=kind,
                text=_("Proposed %(kind)s by %(name)s: %(text)s")
                % {"kind": proposal.get_kind_display(), "name": author, "text": proposal.text},
                client_token=client_token,
                without_reasoning=True,
            )
            proposal.status = EntryProposal.Status.ACCEPTED
        else:
            proposal.status = EntryProposal.Status.DECLINED
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decided_by", "entry"])
        _logbook_touch(crisis=proposal.crisis)
    return proposal
