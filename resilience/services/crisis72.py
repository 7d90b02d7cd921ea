"""Writes of the first 72 hours in a crisis: the affected area, requests for scarce goods, and
allocation decisions that cite the rule decided in the cold phase (or say why they depart from
it) as decisions in the crisis log; and the affected area taken into the strategic analysis.

Every write takes the crisis's logbook lock first (meetings' ``logbook_touch``): numbers come out
without gaps, and every open screen of the crisis refreshes what it shows."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis, Membership, Partner
from crisisroom.services import audit_record
from crisisroom.text import display_name
from formats.models import FormatSection
from formats.services import (
    DraftConflict,
    analysis_get_or_start,
    analysis_merge_draft,
    section_base,
)
from meetings.models import Entry, Meeting
from meetings.services import entry_record, logbook_touch
from meetings.services._common import require_active

from ..models import (
    AffectedDistrict,
    AllocationDecision,
    AllocationRequest,
    AllocationRule,
    AllocationRuleVersion,
    District,
    EmergencyPoint,
    RequestStatus,
    ScarceGood,
)
from ..selectors.crisis72 import affected_text, quantity_text, requester_of

IMPACT_SECTION = "impact"
MAX_QUANTITY = Decimal("1000000000")  # more than any municipality keeps of anything
MAX_REASONS = 2000


# -- the affected area -------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaChange:
    added: list[str]
    removed: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def affected_area_change(
    *,
    crisis: Crisis,
    actor: User,
    add: Iterable[District] = (),
    remove: Iterable[District] = (),
) -> AreaChange:
    """Mark districts as affected and unmark others. Marking a marked one or unmarking an
    unmarked one changes nothing (two screens, a double click)."""
    add, remove = list(add), list(remove)
    foreign = [d for d in (*add, *remove) if d.organisation_id != crisis.organisation_id]
    if foreign:
        raise ValidationError(
            {
                "districts": _(
                    "Only districts of %(organisation)s can be marked; %(codes)s belong to "
                    "another organisation."
                )
                % {
                    "organisation": crisis.organisation.name,
                    "codes": ", ".join(sorted(d.code for d in foreign)),
                }
            }
        )
    remove_ids = {d.pk for d in remove} - {d.pk for d in add}
    with transaction.atomic():
        logbook_touch(crisis=crisis)  # the logbook first, then the crisis row: as every write
        require_active(crisis)
        marked = set(
            AffectedDistrict.objects.filter(crisis=crisis).values_list("district_id", flat=True)
        )
        new = [d for d in {d.pk: d for d in add}.values() if d.pk not in marked]
        gone = [d for d in remove if d.pk in remove_ids and d.pk in marked]
        if not new and not gone:
            return AreaChange(added=[], removed=[])
        AffectedDistrict.objects.bulk_create(
            [AffectedDistrict(crisis=crisis, district=d, marked_by=actor) for d in new],
            ignore_conflicts=True,
        )
        AffectedDistrict.objects.filter(
            crisis=crisis, district_id__in=[d.pk for d in gone]
        ).delete()
        change = AreaChange(
            added=sorted(d.code for d in new), removed=sorted({d.code for d in gone})
        )
        audit_record(
            action=AuditEvent.Action.AFFECTED_AREA_CHANGED,
            actor=actor,
            crisis=crisis,
            detail={"added": change.added, "removed": change.removed},
        )
    return change


# -- requests ----------------------------------------------------------------------------------


def _quantity_errors(quantity: Decimal | None, errors: dict[str, str]) -> None:
    if quantity is None:
        return
    if quantity <= 0:
        errors["quantity"] = _("A quantity is more than zero; leave it empty if it is unknown.")
    elif quantity >= MAX_QUANTITY:
        errors["quantity"] = _("That quantity is not realistic; check the number and the unit.")


def allocation_request_record(
    *,
    crisis: Crisis,
    actor: User,
    good: ScarceGood,
    description: str,
    client_token: uuid.UUID,
    quantity: Decimal | None = None,
    point: EmergencyPoint | None = None,
    partner: Partner | None = None,
    requester: str = "",
    needed_by: datetime | None = None,
) -> AllocationRequest:
    """Record a request for a scarce good, numbered per crisis without gaps. The same
    ``client_token`` twice returns the first request."""
    existing = AllocationRequest.objects.filter(crisis=crisis, client_token=client_token).first()
    if existing is not None:
        return existing
    description, requester = description.strip(), requester.strip()
    errors: dict[str, str] = {}
    org = crisis.organisation_id
    if good.organisation_id != org:
        errors["good"] = _("Choose a scarce good of this organisation.")
    if point is not None and (point.organisation_id != org or not point.is_active):
        errors["point"] = _("Choose an emergency support point of this organisation in use.")
    if partner is not None and partner.organisation_id != org:
        errors["partner"] = _("Choose a partner of this organisation.")
    if point is None and partner is None and not requester:
        errors["requester"] = _(
            "Say who asks: an emergency support point, a partner, or a name or function."
        )
    if len(requester) > 200:
        errors["requester"] = _("Keep the requester under 200 characters.")
    if not description:
        errors["description"] = _("Say what is needed and for whom.")
    elif len(description) > 2000:
        errors["description"] = _("Keep it under 2000 characters.")
    _quantity_errors(quantity, errors)
    if needed_by is not None and needed_by < timezone.now() - timedelta(minutes=5):
        errors["needed_by"] = _("“Needed by” lies in the past.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            logbook_touch(crisis=crisis)  # the crisis's lock: numbers in order, screens refresh
            existing = AllocationRequest.objects.filter(
                crisis=crisis, client_token=client_token
            ).first()
            if existing is not None:
                return existing
            require_active(crisis)
            number = (
                AllocationRequest.objects.filter(crisis=crisis).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            request = AllocationRequest.objects.create(
                crisis=crisis,
                number=number,
                good=good,
                quantity=quantity,
                point=point,
                partner=partner,
                requester=requester,
                description=description,
                needed_by=needed_by,
                created_by=actor,
                client_token=client_token,
            )
            audit_record(
                action=AuditEvent.Action.ALLOCATION_REQUESTED,
                actor=actor,
                crisis=crisis,
                detail={"number": number, "good": good.name, "quantity": str(quantity or "")},
            )
    except IntegrityError:
        existing = AllocationRequest.objects.filter(
            crisis=crisis, client_token=client_token
        ).first()
        if existing is None:
            raise
        return existing
    return request


# -- allocation decisions ----------------------------------------------------------------------


def _meeting_running(crisis: Crisis) -> Meeting | None:
    return (
        Meeting.objects.filter(crisis=crisis, status=Meeting.Status.RUNNING, held_on_paper=False)
        .order_by("-number")
        .first()
    )


def allocation_text(
    *,
    good: ScarceGood,
    quantity: Decimal | None,
    recipient: str,
    rule_version: AllocationRuleVersion | None,
    follows_rule: bool,
    deviation_reasons: str,
    requests: list[AllocationRequest],
) -> str:
    """The decision in words, citing the rule: 'Toedeling drinkwater: 2.000 liter aan …, volgens
    toedelingsregel R1 versie 2 (…)'."""
    if quantity is not None:
        head = _("Allocation of %(good)s: %(quantity)s to %(recipient)s") % {
            "good": good.name,
            "quantity": quantity_text(quantity, good.unit),
            "recipient": recipient,
        }
    else:
        head = _("Allocation of %(good)s to %(recipient)s") % {
            "good": good.name,
            "recipient": recipient,
        }
    if rule_version is not None:
        rule = {
            "rule": rule_version.rule.code,
            "version": rule_version.version,
            "title": rule_version.rule.title,
        }
        if follows_rule:
            tail = _(", according to allocation rule %(rule)s version %(version)d (%(title)s)") % (
                rule
            )
        else:
            tail = _(
                ", departing from allocation rule %(rule)s version %(version)d (%(title)s): "
                "%(reasons)s"
            ) % {**rule, "reasons": deviation_reasons}
    else:
        tail = _(", without an allocation rule: %(reasons)s") % {"reasons": deviation_reasons}
    text = head + tail
    if requests:
        text += " " + _("Decides requests %(numbers)s.") % {
            "numbers": ", ".join(f"V{r.number}" for r in requests)
        }
    return text


def _rule_version_error(
    *, crisis: Crisis, good: ScarceGood, rule_version: AllocationRuleVersion
) -> str:
    """Why this rule version may not be applied here, or "": in force, of this organisation,
    about this good, and its newest version (read from the database, also inside the lock)."""
    rule = AllocationRule.objects.select_related("good").get(pk=rule_version.rule_id)
    newest = AllocationRuleVersion.objects.filter(rule=rule).order_by("-version").first()
    if rule.organisation_id != crisis.organisation_id or not rule.is_active:
        return _("Choose a rule in force of this organisation.")
    if rule.good_id != good.pk:
        return _("Rule %(rule)s is about %(other)s, not about %(good)s.") % {
            "rule": rule.code,
            "other": rule.good.name,
            "good": good.name,
        }
    if newest is not None and newest.pk != rule_version.pk:
        return _("Rule %(rule)s has a newer version (%(version)d): apply that one.") % {
            "rule": rule.code,
            "version": newest.version,
        }
    return ""


def _decision_errors(
    *,
    crisis: Crisis,
    good: ScarceGood,
    quantity: Decimal | None,
    recipient: str,
    requests: list[AllocationRequest],
    rule_version: AllocationRuleVersion | None,
    follows_rule: bool,
    deviation_reasons: str,
    reasons: str,
    decided_by: User | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if good.organisation_id != crisis.organisation_id:
        errors["good"] = _("Choose a scarce good of this organisation.")
    _quantity_errors(quantity, errors)
    if not recipient:
        errors["recipient"] = _("Say who receives it.")
    elif len(recipient) > 200:
        errors["recipient"] = _("Keep the recipient under 200 characters.")
    if not reasons:
        errors["reasons"] = _("Give the reasons for this decision: inquiries later ask why.")
    elif len(reasons) > MAX_REASONS:
        errors["reasons"] = _("Keep the reasons under %(max)d characters.") % {"max": MAX_REASONS}
    if len(deviation_reasons) > MAX_REASONS:
        errors["deviation_reasons"] = _("Keep the reasons under %(max)d characters.") % {
            "max": MAX_REASONS
        }
    if rule_version is None and follows_rule:
        errors["rule_version"] = _(
            "Choose the allocation rule this decision applies, or say that no rule applies."
        )
    if not follows_rule and not deviation_reasons:
        errors["deviation_reasons"] = (
            _("Say why this decision departs from the rule.")
            if rule_version is not None
            else _("Say why no allocation rule applies.")
        )
    if rule_version is not None:
        error = _rule_version_error(crisis=crisis, good=good, rule_version=rule_version)
        if error:
            errors["rule_version"] = error
    if decided_by is None:
        errors["decided_by"] = _("Say who took this decision.")
    elif not Membership.objects.filter(
        crisis=crisis, user=decided_by, ended_at__isnull=True
    ).exists():
        errors["decided_by"] = _(
            "%(name)s is not a member of this crisis team: choose who took the decision."
        ) % {"name": display_name(decided_by)}
    for r in requests:
        if r.crisis_id != crisis.pk:
            errors["requests"] = _("Choose requests of this crisis only.")
        elif r.good_id != good.pk:
            errors["requests"] = _("Request V%(number)d is for %(other)s, not for %(good)s.") % {
                "number": r.number,
                "other": r.good.name,
                "good": good.name,
            }
    return errors


def allocation_decide(
    *,
    crisis: Crisis,
    actor: User,
    good: ScarceGood,
    recipient: str,
    reasons: str,
    client_token: uuid.UUID,
    quantity: Decimal | None = None,
    requests: Iterable[AllocationRequest] = (),
    rule_version: AllocationRuleVersion | None = None,
    follows_rule: bool = True,
    deviation_reasons: str = "",
    decided_by: User | None,
) -> AllocationDecision:
    """Decide an allocation: in one transaction a decision in the crisis log whose text cites
    the rule (or departs from it, with reasons), the allocation row, and the requests it decides
    marked allocated. The same ``client_token`` twice returns the first decision.

    ``decided_by`` (who took the decision, an active member of the crisis) is required; None
    is refused with a message. The rule version is checked again inside the crisis's lock: a
    newer version recorded meanwhile is refused with the same message."""
    existing = AllocationDecision.objects.filter(
        crisis=crisis, entry__client_token=client_token
    ).first()
    if existing is not None:
        return existing
    requests = sorted(requests, key=lambda r: r.number)
    recipient, reasons = recipient.strip(), reasons.strip()
    deviation_reasons = deviation_reasons.strip()
    if rule_version is None:
        follows_rule = False
    if follows_rule:
        deviation_reasons = ""
    errors = _decision_errors(
        crisis=crisis,
        good=good,
        quantity=quantity,
        recipient=recipient,
        requests=requests,
        rule_version=rule_version,
        follows_rule=follows_rule,
        deviation_reasons=deviation_reasons,
        reasons=reasons,
        decided_by=decided_by,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        logbook_touch(crisis=crisis)  # the crisis's lock first, as every log write
        existing = AllocationDecision.objects.filter(
            crisis=crisis, entry__client_token=client_token
        ).first()
        if existing is not None:
            return existing
        if Entry.objects.filter(crisis=crisis, client_token=client_token).exists():
            raise ValidationError(_("This form was already used; reload the page."))
        require_active(crisis)
        if rule_version is not None:
            error = _rule_version_error(crisis=crisis, good=good, rule_version=rule_version)
            if error:
                raise ValidationError({"rule_version": error})
        locked = list(
            AllocationRequest.objects.select_for_update().filter(pk__in=[r.pk for r in requests])
        )
        taken = sorted(r.number for r in locked if r.status != RequestStatus.OPEN)
        if taken:
            raise ValidationError(
                {
                    "requests": _("Already decided meanwhile: %(numbers)s.")
                    % {"numbers": ", ".join(f"V{n}" for n in taken)}
                }
            )
        # The log speaks the organisation's language, whatever the screen of who records it.
        with translation.override(settings.LANGUAGE_CODE):
            text = allocation_text(
                good=good,
                quantity=quantity,
                recipient=recipient,
                rule_version=rule_version,
                follows_rule=follows_rule,
                deviation_reasons=deviation_reasons,
                requests=requests,
            )
        entry = entry_record(
            crisis=crisis,
            actor=actor,
            kind=Entry.Kind.BESLUIT,
            text=text,
            reasoning=reasons,
            decided_by=decided_by,
            client_token=client_token,
            meeting=_meeting_running(crisis),
        )
        decision = AllocationDecision.objects.create(
            crisis=crisis,
            entry=entry,
            good=good,
            rule_version=rule_version,
            follows_rule=follows_rule,
            deviation_reasons=deviation_reasons,
            quantity=quantity,
            recipient=recipient,
        )
        AllocationRequest.objects.filter(pk__in=[r.pk for r in locked]).update(
            status=RequestStatus.TOEGEWEZEN, decision=decision
        )
        audit_record(
            action=AuditEvent.Action.ALLOCATION_DECIDED,
            actor=actor,
            crisis=crisis,
            detail={
                "entry": entry.seq,
                "good": good.name,
                "quantity": str(quantity or ""),
                "recipient": recipient,
                "rule": (
                    f"{rule_version.rule.code} v{rule_version.version}" if rule_version else ""
                ),
                "follows_rule": follows_rule,
                "requests": [r.number for r in requests],
            },
        )
    return decision


def allocation_refuse(
    *,
    crisis: Crisis,
    actor: User,
    request: AllocationRequest,
    reasons: str,
    client_token: uuid.UUID,
    decided_by: User | None = None,
) -> Entry:
    """Refuse a request: a decision in the log with its reasons, the request marked refused.
    The same ``client_token`` twice returns the first entry."""
    existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
    if existing is not None:
        return existing
    reasons = reasons.strip()
    if request.crisis_id != crisis.pk:
        raise ValidationError(_("Choose requests of this crisis only."))
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for refusing this request.")})
    if len(reasons) > MAX_REASONS:
        raise ValidationError(
            {"reasons": _("Keep the reasons under %(max)d characters.") % {"max": MAX_REASONS}}
        )
    with transaction.atomic():
        logbook_touch(crisis=crisis)
        existing = Entry.objects.filter(crisis=crisis, client_token=client_token).first()
        if existing is not None:
            return existing
        require_active(crisis)
        locked = AllocationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.OPEN:
            raise ValidationError(
                _("Request V%(number)d is no longer open (%(status)s).")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Request V%(number)d for %(good)s from %(requester)s refused.") % {
                "number": locked.number,
                "good": request.good.name,
                "requester": requester_of(request),
            }
        entry = entry_record(
            crisis=crisis,
            actor=actor,
            kind=Entry.Kind.BESLUIT,
            text=text,
            reasoning=reasons,
            decided_by=decided_by,
            client_token=client_token,
            meeting=_meeting_running(crisis),
        )
        locked.status = RequestStatus.AFGEWEZEN
        locked.save(update_fields=["status"])
        audit_record(
            action=AuditEvent.Action.ALLOCATION_DECIDED,
            actor=actor,
            crisis=crisis,
            detail={"entry": entry.seq, "refused": locked.number, "good": request.good.name},
        )
    return entry


# -- into the strategic analysis ---------------------------------------------------------------


def affected_into_analysis(*, crisis: Crisis, actor: User) -> bool:
    """Append the affected area in plain text to the draft's impact section, under a heading
    with date and time. The same summary already there is not appended again (a double click):
    returns False then, True when appended."""
    if not crisis.is_active:
        raise ValidationError(_("This crisis is closed: its analysis can no longer change."))
    analysis = analysis_get_or_start(crisis=crisis)
    if not FormatSection.objects.filter(format=analysis.format, key=IMPACT_SECTION).exists():
        raise ValidationError(
            _(
                "The analysis format of this crisis has no section for the impact "
                "(key “impact”); copy the summary by hand."
            )
        )
    summary = affected_text(crisis=crisis)
    for _attempt in range(3):
        current = type(analysis).objects.get(pk=analysis.pk)
        text = current.draft.get(IMPACT_SECTION, "")
        if summary in text:
            return False
        heading = _("Affected area (from Crisisroom, %(when)s):") % {
            "when": date_format(timezone.localtime(), "j F Y H:i")
        }
        merged = (
            f"{text.rstrip()}\n\n{heading}\n{summary}"
            if text.strip()
            else (f"{heading}\n{summary}")
        )
        try:
            analysis_merge_draft(
                analysis=current,
                actor=actor,
                sections={IMPACT_SECTION: merged},
                base_revision=current.draft_revision,
                bases={IMPACT_SECTION: section_base(current, IMPACT_SECTION)},
            )
        except DraftConflict:
            continue  # saved meanwhile by someone else: read again and append below theirs
        return True
    raise ValidationError(_("The analysis is being edited right now; try again in a moment."))
