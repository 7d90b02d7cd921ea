"""Reads of the afwegingskader. The ranking is computed, never stored, except as the basis a
priority decision was taken on."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from crisisroom.models import Organisation

from ..models import (
    LIKELIHOOD,
    Assessment,
    Criterion,
    DecisionItem,
    Framework,
    PriorityDecision,
    ThreatScenario,
)

SENSITIVITY_STEP = Decimal("0.25")  # every weight moved by ±25 %
TWO_PLACES = Decimal("0.01")


def framework_current(*, organisation: Organisation) -> Framework | None:
    return (
        Framework.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .order_by("-version")
        .first()
    )


def framework_versions(*, organisation: Organisation) -> QuerySet[Framework]:
    """Every version of the organisation's framework, newest first, with who made it."""
    return (
        Framework.objects.filter(organisation=organisation)
        .select_related("created_by")
        .order_by("-version")
    )


def framework_version(*, organisation: Organisation, version: int) -> Framework | None:
    return (
        Framework.objects.filter(organisation=organisation, version=version)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .first()
    )


def scenarios_of(*, organisation: Organisation, archived: bool = False) -> QuerySet[ThreatScenario]:
    return ThreatScenario.objects.filter(organisation=organisation, is_archived=archived).order_by(
        "title"
    )


def scores_current(
    *, scenarios: Iterable[ThreatScenario], detail: bool = True
) -> dict[int, dict[str, Assessment]]:
    """The newest assessment per scenario and aspect, in one query: the database picks them
    (a window over each scenario's aspect), so the history never travels. Without ``detail``
    only the classes come, for a ranking: no reasons, sources or scorers."""
    ids = [s.pk for s in scenarios]
    current: dict[int, dict[str, Assessment]] = {pk: {} for pk in ids}
    newest = Window(
        RowNumber(),
        partition_by=[F("scenario_id"), F("aspect")],
        order_by=[F("scored_at").desc(), F("pk").desc()],
    )
    # No ordering: the model's default one (by scenario, hence by organisation and title)
    # joins two tables for nothing, as the rows land in a dict.
    rows = (
        Assessment.objects.filter(scenario_id__in=ids)
        .annotate(newest=newest)
        .filter(newest=1)
        .order_by()
    )
    if detail:
        rows = rows.select_related("scored_by")
    else:
        rows = rows.only("pk", "scenario_id", "aspect", "value")
    for row in rows:
        current[row.scenario_id][row.aspect] = row
    return current


def assessment_history(*, scenario: ThreatScenario) -> QuerySet[Assessment]:
    return scenario.assessments.select_related("scored_by").order_by("-scored_at", "-pk")


@dataclass
class RankRow:
    scenario: ThreatScenario
    scores: dict[str, Assessment]
    impact: Decimal | None  # weighted mean of the impact classes, 0–5, to two places
    likelihood: int | None
    risk: Decimal | None  # impact × likelihood, 0–25, to two places
    missing: list[str] = field(default_factory=list)  # names of what is not scored yet
    rank: int | None = None
    # Unrounded: the order and the ties are decided on these, so two scenarios a rounding
    # apart are not shown as equal, nor two equal ones put in an order by a rounding.
    exact_impact: Decimal | None = None
    exact_risk: Decimal | None = None

    @property
    def is_complete(self) -> bool:
        return not self.missing and self.impact is not None and self.likelihood is not None


def _rounded(value: Decimal | None) -> Decimal | None:
    return value.quantize(TWO_PLACES, ROUND_HALF_UP) if value is not None else None


def _competition_ranks(keys: Sequence[tuple[Decimal, Decimal]]) -> list[int]:
    """Ranks of rows already sorted highest first: equal keys share a rank and the next rank
    skips as many places (1, 2, 2, 4), as in a sports table."""
    ranks: list[int] = []
    previous: tuple[Decimal, Decimal] | None = None
    for position, key in enumerate(keys, start=1):
        ranks.append(ranks[-1] if key == previous else position)
        previous = key
    return ranks


def _rank(rows: list[RankRow]) -> list[RankRow]:
    # Complete rows first, highest risk first; equal risk: higher impact; equal both: the same
    # rank, listed by title.
    rows.sort(
        key=lambda r: (
            not r.is_complete,
            -(r.exact_risk or 0),
            -(r.exact_impact or 0),
            r.scenario.title.lower(),
        )
    )
    complete = [r for r in rows if r.is_complete]
    ranks = _competition_ranks(
        [(r.exact_risk or Decimal(0), r.exact_impact or Decimal(0)) for r in complete]
    )
    for row, rank in zip(complete, ranks, strict=True):
        row.rank = rank
    for row in rows[len(complete) :]:
        row.rank = None
    return rows


def ranking(
    *,
    framework: Framework | None,
    scenarios: Iterable[ThreatScenario],
    scores: Mapping[int, dict[str, Assessment]] | None = None,
    weights: Mapping[str, Decimal] | None = None,
) -> list[RankRow]:
    """Scenarios in order of risk under ``framework`` (or under ``weights``). Impact is the
    weighted mean of the criterion classes (0 = no impact counts, and lowers the mean); risk is
    impact times the likelihood class. A scenario not fully scored is listed last, unranked;
    so is every scenario while there is no framework: a likelihood alone ranks nothing."""
    scenarios = list(scenarios)
    if scores is None:
        scores = scores_current(scenarios=scenarios)
    criteria = list(framework.criteria.all()) if framework is not None else []
    if weights is None:
        weights = {c.code: c.weight for c in criteria}
    names = {c.code: c.name for c in criteria}
    rows = []
    for scenario in scenarios:
        own = scores.get(scenario.pk, {})
        likelihood = own.get(LIKELIHOOD)
        total = weighted = Decimal(0)
        missing = []
        for code, weight in weights.items():
            assessment = own.get(code)
            if assessment is None:
                missing.append(names.get(code, code))
            else:
                total += weight
                weighted += weight * assessment.value
        if not weights:
            missing.append(gettext("impact (no weighing framework yet)"))
        if likelihood is None:
            missing.append(gettext("likelihood"))
        # One division each, of exact sums: two scenarios equal in fact are equal here too.
        exact_impact = weighted / total if total else None
        exact_risk = weighted * likelihood.value / total if total and likelihood else None
        rows.append(
            RankRow(
                scenario=scenario,
                scores=own,
                impact=_rounded(exact_impact),
                likelihood=likelihood.value if likelihood else None,
                risk=_rounded(exact_risk),
                missing=missing,
                exact_impact=exact_impact,
                exact_risk=exact_risk,
            )
        )
    return _rank(rows)


@dataclass
class SensitivityRow:
    criterion: Criterion
    direction: int  # -1 for −25 %, +1 for +25 %
    ranks: dict[int, int]  # scenario pk → its rank with this weight
    moved: dict[int, int]  # scenario pk → places moved up (positive) or down (negative)

    @property
    def changes_order(self) -> bool:
        return any(self.moved.values())


def sensitivity(
    *,
    framework: Framework,
    scenarios: Iterable[ThreatScenario],
    scores: Mapping[int, dict[str, Assessment]] | None = None,
) -> list[SensitivityRow]:
    """For each criterion, the ranking with its weight 25 % lower and 25 % higher (the others
    unchanged; the weighted mean renormalises). Says which scenarios change place.

    Only the ranked scenarios take part, and they are scored on every criterion, so they share
    one total weight: comparing the weighted sums orders them as the means would, without a
    division and exactly (an equal pair stays equal, and keeps one rank)."""
    scenarios = list(scenarios)
    if scores is None:
        scores = scores_current(scenarios=scenarios)
    criteria = list(framework.criteria.all())
    base = [r for r in ranking(framework=framework, scenarios=scenarios, scores=scores) if r.rank]
    base_rank = {r.scenario.pk: r.rank for r in base if r.rank is not None}
    # Per ranked scenario: its weighted sum under the framework's own weights, and its class on
    # each criterion. Moving one weight by d moves the sum by d × that class; exact decimals,
    # so the sum is the same as adding up all criteria again.
    entries = [
        (
            r.scenario.pk,
            r.likelihood or 0,
            r.scenario.title.lower(),
            [r.scores[c.code].value for c in criteria],
            sum((c.weight * r.scores[c.code].value for c in criteria), Decimal(0)),
        )
        for r in base
    ]
    result = []
    for index, criterion in enumerate(criteria):
        for direction in (-1, 1):
            change = criterion.weight * direction * SENSITIVITY_STEP
            keyed = []
            for pk, likelihood, title, values, weighted in entries:
                moved_sum = weighted + change * values[index]
                keyed.append((-moved_sum * likelihood, -moved_sum, title, pk))
            keyed.sort()
            ranks = _competition_ranks([(k[0], k[1]) for k in keyed])
            new_rank = {k[3]: rank for k, rank in zip(keyed, ranks, strict=True)}
            moved = {pk: base_rank[pk] - rank for pk, rank in new_rank.items()}
            result.append(
                SensitivityRow(
                    criterion=criterion, direction=direction, ranks=new_rank, moved=moved
                )
            )
    return result


def decisions_of(*, organisation: Organisation) -> QuerySet[PriorityDecision]:
    return (
        PriorityDecision.objects.filter(organisation=organisation)
        .select_related("recorded_by", "framework")
        .prefetch_related(Prefetch("items", queryset=DecisionItem.objects.order_by("position")))
        .order_by("-number")
    )


def decision_current(*, organisation: Organisation) -> PriorityDecision | None:
    return decisions_of(organisation=organisation).first()
