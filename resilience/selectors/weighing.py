"""Reads of the afwegingskader. The ranking is computed, never stored, except as the basis a
priority decision was taken on."""

from collections.abc import Iterable, Mapping
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
    rows = Assessment.objects.filter(scenario_id__in=ids).annotate(newest=newest).filter(newest=1)
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
    impact: Decimal | None  # weighted mean of the impact classes, 1–5
    likelihood: int | None
    risk: Decimal | None  # impact × likelihood, 1–25
    missing: list[str] = field(default_factory=list)  # names of what is not scored yet
    rank: int | None = None

    @property
    def is_complete(self) -> bool:
        return not self.missing


def _impact(scores: Mapping[str, Assessment], weights: Mapping[str, Decimal]) -> Decimal | None:
    total = sum((w for c, w in weights.items() if c in scores), Decimal(0))
    if total == 0:
        return None
    weighted = sum((w * scores[c].value for c, w in weights.items() if c in scores), Decimal(0))
    return (weighted / total).quantize(TWO_PLACES, ROUND_HALF_UP)


def _rank(rows: list[RankRow]) -> list[RankRow]:
    # Complete rows first, highest risk first; equal risk: higher impact, then the title.
    rows.sort(
        key=lambda r: (
            not r.is_complete,
            -(r.risk or 0),
            -(r.impact or 0),
            r.scenario.title.lower(),
        )
    )
    for position, row in enumerate(rows, start=1):
        row.rank = position if row.is_complete else None
    return rows


def ranking(
    *,
    framework: Framework | None,
    scenarios: Iterable[ThreatScenario],
    scores: Mapping[int, dict[str, Assessment]] | None = None,
    weights: Mapping[str, Decimal] | None = None,
) -> list[RankRow]:
    """Scenarios in order of risk under ``framework`` (or under ``weights``, for the
    sensitivity view). Impact is the weighted mean of the criterion classes; risk is impact
    times the likelihood class. A scenario not fully scored is listed last, unranked."""
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
        impact_scores = {code: a for code, a in own.items() if code in weights}
        likelihood = own.get(LIKELIHOOD)
        impact = _impact(impact_scores, weights)
        missing = [names.get(code, code) for code in weights if code not in own]
        if likelihood is None:
            missing.append(gettext("likelihood"))
        rows.append(
            RankRow(
                scenario=scenario,
                scores=own,
                impact=impact,
                likelihood=likelihood.value if likelihood else None,
                risk=(impact * likelihood.value).quantize(TWO_PLACES)
                if impact is not None and likelihood is not None
                else None,
                missing=missing,
            )
        )
    return _rank(rows)


@dataclass
class SensitivityRow:
    criterion: Criterion
    direction: int  # -1 for −25 %, +1 for +25 %
    order: list[RankRow]
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
    unchanged; the weighted mean renormalises). Says which scenarios change place."""
    scenarios = list(scenarios)
    if scores is None:
        scores = scores_current(scenarios=scenarios)
    criteria = list(framework.criteria.all())
    base_weights = {c.code: c.weight for c in criteria}
    base = ranking(framework=framework, scenarios=scenarios, scores=scores)
    base_rank = {r.scenario.pk: r.rank for r in base if r.rank is not None}
    result = []
    for criterion in criteria:
        for direction in (-1, 1):
            weights = dict(base_weights)
            weights[criterion.code] = criterion.weight * (1 + direction * SENSITIVITY_STEP)
            order = ranking(
                framework=framework, scenarios=scenarios, scores=scores, weights=weights
            )
            moved = {
                r.scenario.pk: base_rank[r.scenario.pk] - r.rank
                for r in order
                if r.rank is not None and r.scenario.pk in base_rank
            }
            result.append(
                SensitivityRow(criterion=criterion, direction=direction, order=order, moved=moved)
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
