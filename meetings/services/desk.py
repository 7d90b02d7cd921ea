"""Writes for the berichtenmanager's desk and for who informs whom.

Every write takes the logbook lock first, like the log: message numbers come out in order, and
every screen of the crisis learns of the change from its next live poll.
"""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis, Membership, Partner
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul

from ..models import CrisisStakeholder, Entry, InformAction, Meeting, Message
from ._common import logbook_touch, require_active
from .log import entry_record

MAX_SUMMARY = 300
MAX_BODY = 10_000
# A message typed in a little after the clock of the phone that took it: not "in the future".
CLOCK_SLACK = timedelta(minutes=5)


def _is_member(crisis: Crisis, user: User) -> bool:
    return Membership.objects.filter(crisis=crisis, user=user, ended_at__isnull=True).exists()


def _validate_time(crisis: Crisis, at: datetime, field: str) -> None:
    if at > timezone.now() + CLOCK_SLACK:
        raise ValidationError({field: _("This time is in the future.")})
    if at < crisis.started_at - timedelta(days=1):
        raise ValidationError({field: _("This time is before the crisis started.")})


def message_record(
    *,
    crisis: Crisis,
    actor: User,
    direction: str,
    channel: str,
    counterpart: str,
    summary: str,
    client_token: uuid.UUID,
    body: str = "",
    at: datetime | None = None,
    priority: str = Message.Priority.NORMAL,
    routed_to: User | None = None,
    partner: Partner | None = None,
    needs_approval: bool = False,
    corrects: Message | None = None,
) -> Message:
    """Register a message in or out. The same ``client_token`` twice is the same message.

    An outgoing message that needs the chair's approval counts as sent only once approved.
    With ``corrects``, the new message replaces that one, which stays visible as corrected.
    """
    existing = Message.objects.filter(crisis=crisis, client_token=client_token).first()
    if existing is not None:
        return existing
    refuse_nul(counterpart, summary, body)
    counterpart, summary, body = counterpart.strip(), summary.strip(), body.strip()
    at = at or timezone.now()
    errors: dict[str, str] = {}
    if direction not in Message.Direction.values:
        errors["direction"] = _("Incoming or outgoing?")
    if channel not in Message.Channel.values:
        errors["channel"] = _("Choose the channel.")
    if priority not in Message.Priority.values:
        errors["priority"] = _("Choose a priority.")
    if not counterpart:
        errors["counterpart"] = _("Who sent it, or to whom does it go?")
    elif len(counterpart) > 200:
        errors["counterpart"] = _("Keep it under 200 characters.")
    if not summary:
        errors["summary"] = _("Write the message in one line.")
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = _("Keep the summary under %(max)d characters (now %(n)d).") % {
            "max": MAX_SUMMARY,
            "n": len(summary),
        }
    if len(body) > MAX_BODY:
        errors["body"] = _("Keep the full text under %(max)d characters (now %(n)d).") % {
            "max": MAX_BODY,
            "n": len(body),
        }
    if routed_to is not None and not _is_member(crisis, routed_to):
        errors["routed_to"] = _("Route it to a member of the crisis team.")
    if partner is not None and partner.organisation_id != crisis.organisation_id:
        errors["partner"] = _("That stakeholder belongs to another organisation.")
    if needs_approval and direction != Message.Direction.OUT:
        errors["needs_approval"] = _("Only an outgoing message waits for approval.")
    if corrects is not None and corrects.crisis_id != crisis.pk:
        errors["corrects"] = _("That message belongs to another crisis.")
    if errors:
        raise ValidationError(errors)
    _validate_time(crisis, at, "at")
    if direction == Message.Direction.IN:
        status = Message.Status.NEW
    elif needs_approval:
        status = Message.Status.AWAITING_APPROVAL
    else:
        status = Message.Status.SENT
    try:
        with transaction.atomic():
            logbook_touch(crisis=crisis)
            require_active(crisis)
            existing = Message.objects.filter(crisis=crisis, client_token=client_token).first()
            if existing is not None:
                return existing  # the same form posted twice at once: the first one counted
            if corrects is not None:
                corrects = Message.objects.select_for_update().get(pk=corrects.pk)
                if corrects.status == Message.Status.CORRECTED:
                    raise ValidationError(
                        _("Message %(seq)d has already been corrected; correct the correction.")
                        % {"seq": corrects.seq}
                    )
            last = Message.objects.filter(crisis=crisis).aggregate(n=Max("seq"))["n"] or 0
            message = Message.objects.create(
                crisis=crisis,
                seq=last + 1,
                direction=direction,
                channel=channel,
                counterpart=counterpart,
                partner=partner,
                at=at,
                priority=priority,
                summary=summary,
                body=body,
                routed_to=routed_to,
                status=status,
                recorded_by=actor,
                client_token=client_token,
                corrects=corrects,
            )
            if corrects is not None:
                Message.objects.filter(pk=corrects.pk).update(status=Message.Status.CORRECTED)
    except IntegrityError:
        existing = Message.objects.filter(crisis=crisis, client_token=client_token).first()
        if existing is not None:
            return existing
        raise
    return message


def _locked_open(message: Message) -> Message:
    """The message, locked and fresh, inside the caller's transaction; refused once closed."""
    logbook_touch(crisis=message.crisis)
    require_active(message.crisis)
    current = Message.objects.select_for_update().select_related("crisis").get(pk=message.pk)
    if not current.is_open:
        raise ValidationError(
            _("Message %(seq)d is already %(status)s.")
            % {"seq": current.seq, "status": current.get_status_display()}
        )
    return current


def message_route(*, message: Message, actor: User, to: User | None) -> Message:
    """Send an open message on to a team member (or back to nobody in particular)."""
    if to is not None and not _is_member(message.crisis, to):
        raise ValidationError({"routed_to": _("Route it to a member of the crisis team.")})
    with transaction.atomic():
        current = _locked_open(message)
        if current.routed_to_id != (to.pk if to else None):
            current.routed_to = to
            current.save(update_fields=["routed_to"])
    return current


class HandleOutcome:
    HANDLED = "afgehandeld"
    FILED = "gearchiveerd"
    ALL = (HANDLED, FILED)


def message_handle(*, message: Message, actor: User, outcome: str, note: str = "") -> Message:
    """Close an incoming message: handled (with how), or filed as needing nothing."""
    refuse_nul(note)
    note = note.strip()
    if outcome not in HandleOutcome.ALL:
        raise ValidationError({"outcome": _("Handled or filed?")})
    if len(note) > 1000:
        raise ValidationError({"note": _("Keep it under 1000 characters.")})
    with transaction.atomic():
        current = _locked_open(message)
        if current.direction != Message.Direction.IN:
            raise ValidationError(_("An outgoing message is sent, not handled."))
        current.status = (
            Message.Status.HANDLED if outcome == HandleOutcome.HANDLED else Message.Status.FILED
        )
        current.handled_by, current.handled_at, current.handling_note = actor, timezone.now(), note
        current.save(update_fields=["status", "handled_by", "handled_at", "handling_note"])
    return current


# What a message may become in the log: a fact, a bottleneck, a note or an assignment.
LOG_KINDS = (Entry.Kind.BEELD, Entry.Kind.KNELPUNT, Entry.Kind.NOTITIE, Entry.Kind.OPDRACHT)


def message_to_log(
    *,
    message: Message,
    actor: User,
    kind: str,
    client_token: uuid.UUID,
    owner: User | None = None,
    owner_function: str = "",
    deadline: datetime | None = None,
) -> Entry:
    """Take an incoming message into the crisis log (beeld, knelpunt, notitie or opdracht).

    The log line names the message, so the two can be found from each other; the entry lands
    in the running meeting, or between meetings when none runs.
    """
    if kind not in LOG_KINDS:
        raise ValidationError({"kind": _("A message becomes a fact, bottleneck, note or task.")})
    with transaction.atomic():
        current = _locked_open(message)
        if current.direction != Message.Direction.IN:
            raise ValidationError(_("Only an incoming message is taken into the log."))
        text = _("Message %(seq)d (%(channel)s, %(who)s): %(summary)s") % {
            "seq": current.seq,
            "channel": current.get_channel_display(),
            "who": current.counterpart,
            "summary": current.summary,
        }
        entry = entry_record(
            crisis=current.crisis,
            meeting=Meeting.objects.filter(
                crisis=current.crisis, status=Meeting.Status.RUNNING
            ).first(),
            actor=actor,
            kind=kind,
            text=text,
            client_token=client_token,
            owner=owner,
            owner_function=owner_function,
            deadline=deadline,
        )
        current.status, current.entry = Message.Status.LOGGED, entry
        current.handled_by, current.handled_at = actor, timezone.now()
        current.save(update_fields=["status", "entry", "handled_by", "handled_at"])
    return entry


def message_approve(*, message: Message, actor: User) -> Message:
    """The chair approves an outgoing message: from now on it counts as sent."""
    with transaction.atomic():
        current = _locked_open(message)
        if current.status != Message.Status.AWAITING_APPROVAL:
            raise ValidationError(_("This message does not wait for approval."))
        now = timezone.now()
        current.status, current.approved_by, current.approved_at = Message.Status.SENT, actor, now
        current.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(
            action=AuditEvent.Action.MESSAGE_APPROVED,
            actor=actor,
            crisis=current.crisis,
            detail={"message": current.seq},
        )
    return current


# -- who informs whom ---------------------------------------------------------------------------


def stakeholder_add(
    *, crisis: Crisis, partner: Partner, actor: User, keeper: User | None = None
) -> CrisisStakeholder:
    """Take a stakeholder from the organisation's register into this crisis, with the team
    member who keeps contact (by default the register's default owner, if in the team)."""
    if partner.organisation_id != crisis.organisation_id or not partner.is_active:
        raise ValidationError({"partner": _("Choose a stakeholder from your organisation's list.")})
    if keeper is None and partner.default_owner_id is not None:
        default = partner.default_owner
        keeper = default if default is not None and _is_member(crisis, default) else None
    if keeper is not None and not _is_member(crisis, keeper):
        raise ValidationError({"keeper": _("Contact is kept by a member of the crisis team.")})
    with transaction.atomic():
        logbook_touch(crisis=crisis)
        require_active(crisis)
        stakeholder, created = CrisisStakeholder.objects.get_or_create(
            crisis=crisis, partner=partner, defaults={"keeper": keeper, "added_by": actor}
        )
    return stakeholder


def stakeholder_set_keeper(
    *, stakeholder: CrisisStakeholder, actor: User, keeper: User | None
) -> CrisisStakeholder:
    if keeper is not None and not _is_member(stakeholder.crisis, keeper):
        raise ValidationError({"keeper": _("Contact is kept by a member of the crisis team.")})
    with transaction.atomic():
        logbook_touch(crisis=stakeholder.crisis)
        require_active(stakeholder.crisis)
        CrisisStakeholder.objects.filter(pk=stakeholder.pk).update(keeper=keeper)
        stakeholder.keeper = keeper
    return stakeholder


def inform_record(
    *,
    stakeholder: CrisisStakeholder,
    actor: User,
    channel: str,
    core_message: str,
    client_token: uuid.UUID,
    at: datetime | None = None,
) -> InformAction:
    """Record that ``actor`` informed a stakeholder: when, how, with which core message."""
    existing = InformAction.objects.filter(
        client_token=client_token, stakeholder=stakeholder
    ).first()
    if existing is not None:
        return existing
    refuse_nul(core_message)
    core_message = core_message.strip()
    crisis = stakeholder.crisis
    at = at or timezone.now()
    errors: dict[str, str] = {}
    if channel not in Message.Channel.values:
        errors["channel"] = _("Choose the channel.")
    if not core_message:
        errors["core_message"] = _("Write the core message you gave.")
    elif len(core_message) > 2000:
        errors["core_message"] = _("Keep it under 2000 characters.")
    if errors:
        raise ValidationError(errors)
    _validate_time(crisis, at, "at")
    try:
        with transaction.atomic():
            logbook_touch(crisis=crisis)
            require_active(crisis)
            return InformAction.objects.create(
                stakeholder=stakeholder,
                crisis=crisis,
                by=actor,
                at=at,
                channel=channel,
                core_message=core_message,
                client_token=client_token,
            )
    except IntegrityError:
        existing = InformAction.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
        raise
