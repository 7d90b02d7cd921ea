"""Reads of the programmaplan: the measures, who owns them, what is late, what is covered."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from crisisroom.models import Organisation

from ..models import (
    CriticalProcess,
    Measure,
    MeasureRevision,
    MeasureStatus,
    PriorityDecision,
    ThreatScenario,
)
from ..models.programme import OPEN_STATUSES


def measures_of(
    *,
    organisation: Organisation,
    theme: str = "",
    phase: str = "",
    status: str = "",
    overdue_only: bool = False,
    today: date | None = None,
) -> QuerySet[Measure]:
    """The organisation's measures with everything a list shows, in a constant number of
    queries (one for the measures, one each for their scenarios and partners)."""
    today = today or timezone.localdate()
    measures = (
        Measure.objects.filter(organisation=organisation)
        .select_related("owner", "owner_partner")
        .prefetch_related(
            Prefetch("scenarios", queryset=ThreatScenario.objects.only("pk", "title")),
            "partners",
        )
        .order_by("number")
    )
    if theme:
        measures = measures.filter(theme=theme)
    if phase:
        measures = measures.filter(phase=phase)
    if status:
        measures = measures.filter(status=status)
    if overdue_only:
        measures = measures.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    return measures


def measures_for_owner(*, user: User) -> QuerySet[Measure]:
    """Open measures a person owns, in every organisation, for their home page."""
    return (
        Measure.objects.filter(owner=user, status__in=OPEN_STATUSES)
        .select_related("organisation")
        .order_by("due_on", "number")
    )


def measure_history(*, measure: Measure) -> QuerySet[MeasureRevision]:
    return measure.revisions.select_related("changed_by").order_by("-revision")


def critical_processes(*, organisation: Organisation) -> QuerySet[CriticalProcess]:
    return (
        CriticalProcess.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.only("pk", "number", "title", "status"))
        )
        .order_by("max_outage_hours", "name")
    )


@dataclass
class ProgrammeState:
    total: int
    by_status: dict[str, int]
    overdue: int
    done_percent: int
    next_due: list[Measure] = field(default_factory=list)


def programme_state(*, organisation: Organisation, today: date | None = None) -> ProgrammeState:
    today = today or timezone.localdate()
    rows = list(Measure.objects.filter(organisation=organisation).values_list("status", "due_on"))
    by_status = {s.value: 0 for s in MeasureStatus}
    overdue = 0
    for status, due_on in rows:
        by_status[status] += 1
        if status in OPEN_STATUSES and due_on is not None and due_on < today:
            overdue += 1
    counted = len(rows) - by_status[MeasureStatus.GESTOPT]
    done = by_status[MeasureStatus.GEREED]
    next_due = list(
        Measure.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES, due_on__isnull=False
        )
        .select_related("owner", "owner_partner")
        .order_by("due_on", "number")[:5]
    )
    return ProgrammeState(
        total=len(rows),
        by_status=by_status,
        overdue=overdue,
        done_percent=round(100 * done / counted) if counted else 0,
        next_due=next_due,
    )


@dataclass
class CoverageRow:
    scenario: ThreatScenario
    position: int | None  # priority in the current decision; None if not prioritised
    cells: list[bool]  # per theme: does any measure address this scenario in that theme?
    count: int  # measures (not stopped) that address the scenario

    @property
    def is_gap(self) -> bool:
        return not self.count


def coverage_matrix(
    *,
    organisation: Organisation,
    decision: PriorityDecision | None,
    themes: list[str],
) -> list[CoverageRow]:
    """Prioritised scenarios (in decided order; without a decision: every scenario) against the
    programme's themes. A row without measures is a gap. Two queries, whatever the number of
    measures: the scenarios, and the (scenario, theme) pairs of the measures addressing them."""
    if decision is not None:
        order = {item.scenario_id: item.position for item in decision.items.all()}
        scenarios = list(ThreatScenario.objects.filter(pk__in=order).only("pk", "title"))
        scenarios.sort(key=lambda s: order[s.pk])
    else:
        order = {}
        scenarios = list(
            ThreatScenario.objects.filter(organisation=organisation, is_archived=False)
            .only("pk", "title")
            .order_by("title")
        )
    links = (
        Measure.scenarios.through.objects.filter(
            measure__organisation=organisation, threatscenario_id__in=[s.pk for s in scenarios]
        )
        .exclude(measure__status=MeasureStatus.GESTOPT)
        .values_list("threatscenario_id", "measure__theme")
    )
    counts: dict[int, int] = {s.pk: 0 for s in scenarios}
    covered: dict[int, set[str]] = {s.pk: set() for s in scenarios}
    for scenario_id, theme in links:
        counts[scenario_id] += 1
        covered[scenario_id].add(theme)
    return [
        CoverageRow(
            scenario=scenario,
            position=order.get(scenario.pk),
            cells=[theme in covered[scenario.pk] for theme in themes],
            count=counts[scenario.pk],
        )
        for scenario in scenarios
    ]
