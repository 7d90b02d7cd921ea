"""Writes of scarce goods and services: the goods, their stocks, and the allocation rules decided
for them in the cold phase. A rule's content is versioned: a new decision is a new version, an
old one is never changed, so a crisis decision cites exactly what was decided."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation
from crisisroom.services import audit_record

from ..models import (
    AllocationRule,
    AllocationRuleVersion,
    EmergencyPoint,
    GoodKind,
    ScarceGood,
    Stock,
)

# The same form sent again by the same person within this time (a double click, a reload that
# posts again) is the first one repeated: it records nothing twice.
REPEAT_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class NormDefault:
    """A norm shipped as a labelled default, with the public source it comes from."""

    amount: Decimal
    unit: str
    source: str


# Source: the Dutch Drinkwaterbesluit on nooddrinkwater: when drinking water cannot be supplied
# through the mains for more than 24 hours, the drinking-water company supplies at least 3 litres
# per person per day from distribution points the municipality designates (as the drinking-water
# companies explain it, e.g. Dunea, "Nooddrinkwater voor iedereen", 2024). For comparison the
# source also names the Sphere Handbook (2018), Water supply standard 2.1: 15 litres per person
# per day for drinking, cooking and hygiene. The only default we ship: the norms for other goods,
# and every priority order, are the organisation's own decision.
DRINKING_WATER_NORM = NormDefault(
    amount=Decimal("3"),
    unit="liter per persoon per dag",
    source=(
        "Drinkwaterbesluit (nooddrinkwater): ten minste 3 liter per persoon per dag als het "
        "leidingnet langer dan 24 uur uitvalt. Ter vergelijking Sphere Handbook (2018): 15 liter "
        "voor drinken, koken en hygiëne."
    ),
)

NORM_DEFAULTS: dict[str, NormDefault] = {GoodKind.DRINKWATER.value: DRINKING_WATER_NORM}


def norm_default_for(kind: str) -> NormDefault | None:
    """The labelled default norm for a good of ``kind``, if a public source gives one."""
    return NORM_DEFAULTS.get(kind)


# -- goods and stocks -----------------------------------------------------------------------------


def _audit_good(good: ScarceGood, actor: User | None, **detail: object) -> None:
    audit_record(
        action=AuditEvent.Action.SCARCE_GOOD_CHANGED,
        organisation=good.organisation,
        actor=actor,
        detail={"good": good.pk, "name": good.name, **detail},
    )


def good_save(
    *,
    organisation: Organisation,
    actor: User | None,
    good: ScarceGood | None = None,
    name: str,
    kind: str,
    unit: str,
    notes: str = "",
) -> ScarceGood:
    """Register a scarce good or service (``good`` None) or change one. A name is used once per
    organisation; the same new good sent twice is registered once."""
    name, unit, notes = name.strip(), unit.strip(), notes.strip()
    if good is not None and good.organisation_id != organisation.pk:
        raise ValidationError(_("This good is not one of this organisation."))
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        same_name = ScarceGood.objects.filter(organisation=organisation, name__iexact=name)
        if good is not None:
            same_name = same_name.exclude(pk=good.pk)
        existing = same_name.first()
        if existing is not None:
            if (
                good is None
                and existing.name == name
                and (existing.kind, existing.unit, existing.notes) == (kind, unit, notes)
            ):
                return existing  # the same new good, submitted twice
            raise ValidationError(
                {
                    "name": _(
                        "There is already a scarce good called “%(name)s”. Change that one, "
                        "or give this one another name."
                    )
                    % {"name": existing.name}
                },
                code="duplicate",
            )
        created = good is None
        if good is None:
            good = ScarceGood(organisation=organisation)
        good.name, good.kind, good.unit, good.notes = name, kind, unit, notes
        good.full_clean()
        good.save()
        _audit_good(good, actor, created=created)
    return good


def _check_stock(
    good: ScarceGood, point: EmergencyPoint | None, quantity: Decimal, as_of: date
) -> None:
    errors: dict[str, str] = {}
    if quantity < 0:
        errors["quantity"] = _("A quantity cannot be negative. Enter 0 if nothing is left.")
    if as_of > timezone.localdate():
        errors["as_of"] = _(
            "The date lies in the future. Give the day the quantity was counted or reported."
        )
    if point is not None and point.organisation_id != good.organisation_id:
        errors["point"] = _("The chosen noodsteunpunt is not one of this organisation.")
    if errors:
        raise ValidationError(errors)


def stock_save(
    *,
    good: ScarceGood,
    actor: User | None,
    stock: Stock | None = None,
    place: str,
    point: EmergencyPoint | None = None,
    quantity: Decimal,
    as_of: date,
    source: str = "",
) -> Stock:
    """Record how much of ``good`` is where (``stock`` None), or change a stock row. Without a
    place, a noodsteunpunt's name is the place. The same new row sent twice is recorded once."""
    if stock is not None and stock.good_id != good.pk:
        raise ValidationError(_("This stock is not one of this good."))
    _check_stock(good, point, quantity, as_of)
    place = place.strip() or (point.name if point is not None else "")
    if not place:
        raise ValidationError({"place": _("Say where the stock is, or choose a noodsteunpunt.")})
    source = source.strip()
    with transaction.atomic():
        ScarceGood.objects.select_for_update().get(pk=good.pk)
        if stock is None:
            repeated = Stock.objects.filter(
                good=good,
                place=place,
                point=point,
                quantity=quantity,
                as_of=as_of,
                source=source,
            ).first()
            if repeated is not None:
                return repeated
        created = stock is None
        if stock is None:
            stock = Stock(good=good)
        stock.place, stock.point, stock.quantity = place, point, quantity
        stock.as_of, stock.source = as_of, source
        stock.full_clean()
        stock.save()
        _audit_good(
            good,
            actor,
            stock=stock.pk,
            place=place,
            quantity=str(quantity),
            created=created,
        )
    return stock


def stock_remove(*, stock: Stock, actor: User | None) -> None:
    """Remove a stock row (the stock is gone, or was recorded by mistake); the audit trail keeps
    what it said."""
    good = stock.good
    with transaction.atomic():
        detail = {
            "stock": stock.pk,
            "place": stock.place,
            "quantity": str(stock.quantity),
            "as_of": stock.as_of.isoformat(),
            "removed": True,
        }
        stock.delete()
        _audit_good(good, actor, **detail)


# -- allocation rules -----------------------------------------------------------------------------


@dataclass
class RuleVersionInput:
    """What one decision on an allocation rule says."""

    priority_order: str
    decided_by: str
    decided_on: date
    reasons: str
    norm_amount: Decimal | None = None
    norm_unit: str = ""
    norm_source: str = ""
    conditions: str = ""


def priority_lines(text: str) -> list[str]:
    """One group or location per line, first served first; empty lines do not count."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check_version(data: RuleVersionInput) -> None:
    errors: dict[str, str] = {}
    if not priority_lines(data.priority_order):
        errors["priority_order"] = _(
            "Give the priority order: at least one group or location, one per line, first "
            "served first."
        )
    if data.norm_amount is not None:
        if data.norm_amount < 0:
            errors["norm_amount"] = _("A norm cannot be negative.")
        if not data.norm_unit.strip():
            errors["norm_unit"] = _(
                "Give the unit of the norm, for example liter per persoon per dag."
            )
        if not data.norm_source.strip():
            errors["norm_source"] = _(
                "Give the source of the norm: a public standard, or the body that set it."
            )
    elif data.norm_unit.strip() or data.norm_source.strip():
        errors["norm_amount"] = _("Give the amount of the norm, or leave unit and source empty.")
    if not data.decided_by.strip():
        errors["decided_by"] = _("Say who decided, for example college van B en W.")
    if data.decided_on > timezone.localdate():
        errors["decided_on"] = _(
            "The date of the decision lies in the future. Record a decision on or after the "
            "day it was taken."
        )
    if not data.reasons.strip():
        errors["reasons"] = _("A decision needs its reasons.")
    if errors:
        raise ValidationError(errors)


def _is_default(good: ScarceGood, data: RuleVersionInput) -> bool:
    """The norm is the labelled default only while it says exactly what the default says."""
    default = norm_default_for(good.kind)
    return (
        default is not None
        and data.norm_amount is not None
        and data.norm_amount == default.amount
        and data.norm_unit.strip() == default.unit
        and data.norm_source.strip() == default.source
    )


def _version(
    rule: AllocationRule, number: int, actor: User, data: RuleVersionInput
) -> AllocationRuleVersion:
    return AllocationRuleVersion(
        rule=rule,
        version=number,
        priority_order="\n".join(priority_lines(data.priority_order)),
        norm_amount=data.norm_amount,
        norm_unit=data.norm_unit.strip() if data.norm_amount is not None else "",
        norm_source=data.norm_source.strip() if data.norm_amount is not None else "",
        norm_is_default=_is_default(rule.good, data),
        conditions=data.conditions.strip(),
        decided_by=data.decided_by.strip(),
        decided_on=data.decided_on,
        reasons=data.reasons.strip(),
        recorded_by=actor,
    )


def _content(version: AllocationRuleVersion) -> tuple:
    return (
        version.priority_order,
        version.norm_amount,
        version.norm_unit,
        version.norm_source,
        version.conditions,
        version.decided_by,
        version.decided_on,
        version.reasons,
    )


def _is_repeat(
    newest: AllocationRuleVersion | None, actor: User, candidate: AllocationRuleVersion
) -> bool:
    """``newest`` is what ``actor`` recorded a moment ago from this same form."""
    return (
        newest is not None
        and newest.recorded_by_id == actor.pk
        and newest.recorded_at >= timezone.now() - REPEAT_WINDOW
        and _content(newest) == _content(candidate)
    )


def _audit_rule(rule: AllocationRule, version: AllocationRuleVersion, actor: User) -> None:
    audit_record(
        action=AuditEvent.Action.RULE_DECIDED,
        organisation=rule.organisation,
        actor=actor,
        detail={
            "rule": rule.pk,
            "number": rule.number,
            "version": version.version,
            "decided_by": version.decided_by,
            "decided_on": version.decided_on.isoformat(),
        },
    )


def rule_create(
    *,
    organisation: Organisation,
    actor: User,
    good: ScarceGood,
    title: str,
    data: RuleVersionInput,
) -> AllocationRule:
    """A new allocation rule for ``good`` with its first decided version. The same new rule
    sent twice by the same person is created once."""
    title = title.strip()
    if good.organisation_id != organisation.pk:
        raise ValidationError(_("This good is not one of this organisation."))
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the rule a title.")
    try:
        _check_version(data)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        newest = (
            AllocationRule.objects.filter(organisation=organisation)
            .select_related("good")
            .order_by("-number")
            .first()
        )
        if newest is not None and newest.good_id == good.pk and newest.title == title:
            first = newest.versions.order_by("version").first()
            if first is not None and _is_repeat(first, actor, _version(newest, 1, actor, data)):
                return newest
        number = (
            AllocationRule.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        rule = AllocationRule(organisation=organisation, number=number, good=good, title=title)
        rule.full_clean()
        rule.save()
        version = _version(rule, 1, actor, data)
        version.full_clean()
        version.save()
        _audit_rule(rule, version, actor)
    return rule


def stale_message(newest: AllocationRuleVersion) -> str:
    return _(
        "Meanwhile version %(version)s of this rule was recorded (decided by %(by)s on "
        "%(on)s). Your decision was not recorded: compare it with version %(version)s below "
        "and record it again if it still stands."
    ) % {
        "version": newest.version,
        "by": newest.decided_by,
        "on": formats.date_format(newest.decided_on, "DATE_FORMAT"),
    }


def rule_decide(
    *,
    rule: AllocationRule,
    actor: User,
    data: RuleVersionInput,
    based_on_version: int,
) -> AllocationRuleVersion:
    """Record a new decision on ``rule``: a new version, opened on ``based_on_version``. If a
    newer version was recorded meanwhile, nothing is recorded (code "stale"). The same decision
    sent twice by the same person is recorded once."""
    _check_version(data)
    with transaction.atomic():
        rule = AllocationRule.objects.select_for_update().select_related("good").get(pk=rule.pk)
        if not rule.is_active:
            raise ValidationError(
                _(
                    "This rule is no longer in force. Create a new rule for %(good)s if one "
                    "is needed."
                )
                % {"good": rule.good.name}
            )
        newest = rule.versions.order_by("-version").first()
        number = (newest.version if newest is not None else 0) + 1
        version = _version(rule, number, actor, data)
        if newest is not None and _is_repeat(newest, actor, version):
            return newest  # the same decision, submitted twice
        if newest is not None and newest.version != based_on_version:
            raise ValidationError(stale_message(newest), code="stale")
        version.full_clean()
        version.save()
        _audit_rule(rule, version, actor)
    return version


def rule_retire(*, rule: AllocationRule, actor: User) -> AllocationRule:
    """Take a rule out of force. It stays readable, with every version, and crisis decisions
    that cited it keep citing it."""
    with transaction.atomic():
        rule = AllocationRule.objects.select_for_update().get(pk=rule.pk)
        if not rule.is_active:
            return rule
        rule.is_active = False
        rule.save(update_fields=["is_active"])
        audit_record(
            action=AuditEvent.Action.RULE_DECIDED,
            organisation=rule.organisation,
            actor=actor,
            detail={"rule": rule.pk, "number": rule.number, "retired": True},
        )
    return rule
