"""Writes to the crisis log: entries, corrections and the Controle of assignments.

The log is append-only; every write takes the logbook lock first, so entries are numbered in
order without gaps, and the same client token twice returns the first entry."""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import Crisis, Membership

from ..chain import entry_hash, genesis
from ..models import Assignment, Entry, Meeting
from ._common import logbook_touch, require_active, require_running

MAX_TEXT = 4000


class ReasoningMissing(ValidationError):
    """A decision without reasons: allowed, but the user is asked once to confirm."""


def entry_record(
    *,
    crisis: Crisis,
    actor: User,
    kind: str,
    text: str,
    client_token: uuid.UUID,
    meeting: Meeting | None = None,
    reasoning: str = "",
    decided_by: User | None = None,
    without_reasoning: bool = False,
    owner: User | None = None,
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
    require_active(crisis)
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
        occurred_at=occurred_at,
    )
    try:
        with transaction.atomic():
            seq = logbook_touch(crisis=crisis, new_entry=True)
            # The same form posted twice at the same moment: the other request won the lock.
            existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
            if existing is not None:
                transaction.set_rollback(True)
                return existing
            require_active(crisis)
            phase = ""
            if meeting is not None:
                meeting = Meeting.objects.get(pk=meeting.pk)
                if meeting.held_on_paper:
                    # Typed in from paper: the phase is the one the meeting was in then.
                    if occurred_at is None:
                        raise ValidationError({"occurred_at": _("Give the time written on paper.")})
                    if (
                        meeting.ended_at
                        and not meeting.started_at <= occurred_at <= meeting.ended_at
                    ):
                        raise ValidationError(
                            {"occurred_at": _("The time on paper lies outside this meeting.")}
                        )
                    phase = meeting.phase_at(occurred_at)
                else:
                    require_running(meeting)
                    phase = meeting.phase
            entry = Entry(
                crisis=crisis,
                meeting=meeting,
                seq=seq,
                kind=kind,
                phase=phase,
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
                due = deadline or (replaced.deadline if replaced else None)
                if due is None:  # _entry_validate refused this already; said for the reader
                    raise ValidationError({"deadline": _("An assignment needs a deadline.")})
                assignment = Assignment(
                    entry=entry,
                    crisis=crisis,
                    owner=owner,
                    owner_function=owner_function,
                    deadline=due,
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
    if not before or later.exists() or check.checks_id is None:
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
    occurred_at: datetime | None = None,
) -> None:
    errors: dict[str, str] = {}
    # A meeting held on paper: its assignments may have passed their deadline by now.
    on_paper = meeting is not None and meeting.held_on_paper
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
        elif deadline is not None and occurred_at is not None and on_paper:
            # Typed in from paper: the deadline may have passed by now, not before it was set.
            if deadline <= occurred_at:
                errors["deadline"] = _("The deadline lies before the time on paper.")
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
    actor: User,
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
        logbook_touch(crisis=crisis)
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
            assert new_deadline is not None  # noqa: S101 - validated above  # nosec B101
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
