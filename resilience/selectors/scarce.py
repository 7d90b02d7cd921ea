"""Reads of scarce goods and services: goods with their stocks, and the allocation rules with
their current version; what changed between two versions of a rule, in words."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import formats
from django.utils.translation import gettext as _

from crisisroom.models import Organisation

from ..models import AllocationRule, AllocationRuleVersion, ScarceGood, Stock


def _latest_versions(**filters: object) -> QuerySet[AllocationRuleVersion]:
    """The newest version of each rule matching ``filters``, with its rule and good: one
    query, however many rules."""
    newest = (
        AllocationRuleVersion.objects.filter(rule=OuterRef("rule"))
        .order_by("-version")
        .values("version")[:1]
    )
    versions = AllocationRuleVersion.objects.filter(version=Subquery(newest), **filters)
    return versions.select_related("rule", "rule__good").order_by("rule__number")


def rule_versions_in_force(
    *, organisation: Organisation, good_ids: Iterable[int] | None = None
) -> QuerySet[AllocationRuleVersion]:
    """The version that applies now of each rule in force of ``organisation`` (of the goods
    ``good_ids`` only, when given), with its rule and good, by rule number: one query. A
    queryset, so a form can offer exactly these versions."""
    filters: dict[str, object] = {"rule__organisation": organisation, "rule__is_active": True}
    if good_ids is not None:
        filters["rule__good_id__in"] = list(good_ids)
    return _latest_versions(**filters)


def rules_current(
    *, organisation: Organisation, good_ids: Iterable[int] | None = None
) -> list[tuple[AllocationRule, AllocationRuleVersion]]:
    """The rules in force, each with the version that applies now, by rule number: one query."""
    versions = rule_versions_in_force(organisation=organisation, good_ids=good_ids)
    return [(version.rule, version) for version in versions]


@dataclass(frozen=True)
class GoodStock:
    """A good with the sum of its stocks (in the good's unit)."""

    good: ScarceGood
    total: Decimal
    places: int


def goods_with_stock(*, organisation: Organisation) -> list[GoodStock]:
    """The goods of ``organisation`` by name, each with its total stock and in how many places
    it is: two queries."""
    goods = ScarceGood.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("stocks", queryset=Stock.objects.only("pk", "good_id", "quantity"))
    )
    return [
        GoodStock(
            good=good,
            total=sum((s.quantity for s in good.stocks.all()), Decimal(0)),
            places=len(good.stocks.all()),
        )
        for good in goods.order_by("name")
    ]


@dataclass
class GoodOverview:
    """One good on the scarce goods page: its stocks, their total, and its rules, each with its
    newest version (rules out of force too, marked so)."""

    good: ScarceGood
    stocks: list[Stock]
    total: Decimal
    rules: list[tuple[AllocationRule, AllocationRuleVersion]] = field(default_factory=list)

    @property
    def rules_in_force(self) -> list[tuple[AllocationRule, AllocationRuleVersion]]:
        return [(r, v) for r, v in self.rules if r.is_active]

    @property
    def rules_retired(self) -> list[tuple[AllocationRule, AllocationRuleVersion]]:
        return [(r, v) for r, v in self.rules if not r.is_active]


def scarce_overview(*, organisation: Organisation) -> list[GoodOverview]:
    """Every good of ``organisation`` by name with its stocks and rules: three queries."""
    goods = ScarceGood.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("stocks", queryset=Stock.objects.select_related("point").order_by("place"))
    )
    rows = {
        good.pk: GoodOverview(
            good=good,
            stocks=list(good.stocks.all()),
            total=sum((s.quantity for s in good.stocks.all()), Decimal(0)),
        )
        for good in goods.order_by("name")
    }
    for version in _latest_versions(rule__organisation=organisation):
        rows[version.rule.good_id].rules.append((version.rule, version))
    return list(rows.values())


def rule_versions(*, rule: AllocationRule) -> list[AllocationRuleVersion]:
    """Every version of ``rule``, newest first."""
    return list(rule.versions.select_related("recorded_by").order_by("-version"))


# -- what changed between two versions --------------------------------------------------------


@dataclass(frozen=True)
class VersionChange:
    """One field that differs between a version and the one before it."""

    label: str
    before: str
    after: str
    note: str = ""  # for the priority order: what was added, removed or moved


def amount_text(amount: Decimal) -> str:
    """15.00 as "15", 2.50 as "2,5" (in Dutch): a norm as people write it."""
    whole = amount.to_integral_value()
    shown = whole.quantize(Decimal(1)) if amount == whole else amount.normalize()
    return formats.number_format(shown, use_l10n=True)


def norm_text(version: AllocationRuleVersion) -> str:
    if version.norm_amount is None:
        return _("no norm")
    return f"{amount_text(version.norm_amount)} {version.norm_unit}".strip()


def _numbered(lines: list[str]) -> str:
    return "; ".join(f"{n}. {line}" for n, line in enumerate(lines, start=1)) or "—"


def _order_note(before: list[str], after: list[str]) -> str:
    parts = []
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    if added:
        parts.append(_("added: %(lines)s") % {"lines": ", ".join(added)})
    if removed:
        parts.append(_("removed: %(lines)s") % {"lines": ", ".join(removed)})
    kept_before = [line for line in before if line in after]
    kept_after = [line for line in after if line in before]
    if kept_before != kept_after:
        parts.append(_("the order changed"))
    return "; ".join(parts)


def _default_text(version: AllocationRuleVersion) -> str:
    if version.norm_amount is None:
        return "—"
    if version.norm_is_default:
        return _("standard value from a public source")
    return _("the organisation's own norm")


def version_changes(
    *, version: AllocationRuleVersion, previous: AllocationRuleVersion | None
) -> list[VersionChange]:
    """What ``version`` changed compared with ``previous``, field by field, in words; nothing
    for a first version."""
    if previous is None:
        return []
    changes: list[VersionChange] = []
    before_lines, after_lines = previous.priorities, version.priorities
    if before_lines != after_lines:
        changes.append(
            VersionChange(
                label=_("Priority order"),
                before=_numbered(before_lines),
                after=_numbered(after_lines),
                note=_order_note(before_lines, after_lines),
            )
        )
    pairs: list[tuple[str, str, str]] = [
        (_("Norm"), norm_text(previous), norm_text(version)),
        (_("Source of the norm"), previous.norm_source or "—", version.norm_source or "—"),
        (_("Kind of norm"), _default_text(previous), _default_text(version)),
        (_("Conditions"), previous.conditions or "—", version.conditions or "—"),
        (_("Decided by"), previous.decided_by, version.decided_by),
        (
            _("Decided on"),
            formats.date_format(previous.decided_on, "DATE_FORMAT"),
            formats.date_format(version.decided_on, "DATE_FORMAT"),
        ),
        (_("Reasons"), previous.reasons, version.reasons),
    ]
    changes.extend(
        VersionChange(label=label, before=before, after=after)
        for label, before, after in pairs
        if before != after
    )
    return changes
