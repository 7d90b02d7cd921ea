"""The cold phase on paper for the council: the programme plan and the weighing as A4 PDFs.
An organisation in, bytes out; views only wrap the bytes."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from crisisroom.models import Organisation
from formats.pdf import PDF_VARIANT

from . import charts
from .models import Criterion, Measure, MeasureStatus, ProgressNote
from .models.programme import OPEN_STATUSES
from .selectors import (
    RankRow,
    SensitivityRow,
    critical_processes,
    decisions_of,
    framework_current,
    measures_of,
    programme_state,
    ranking,
    scenarios_of,
    scores_current,
    sensitivity,
)
from .spreadsheets import latest_progress


@dataclass(frozen=True)
class MeasureLine:
    """A measure as the plan prints it, with what the table shows beside it."""

    measure: Measure
    overdue: bool
    note: ProgressNote | None


@dataclass(frozen=True)
class Move:
    title: str
    places: int
    up: bool


@dataclass(frozen=True)
class SensitivityLine:
    """A criterion's weight 25 % lower and 25 % higher, and which scenarios change place."""

    criterion: Criterion
    lower: list[Move]
    higher: list[Move]


@dataclass(frozen=True)
class RankLine:
    row: RankRow
    likelihood: str  # the class as the national method names it: "C (3)"
    unscored: bool  # nothing scored yet: said in a word, not as a list of every criterion


def _in_timeline(measures: list[Measure]) -> list[Measure]:
    """The open measures with a due date: what is still to be done, and by when. Done and
    stopped measures are in the list; a bar for each would bury the open ones on paper."""
    return [m for m in measures if m.due_on is not None and m.status in OPEN_STATUSES]


def render_programme_pdf(*, organisation: Organisation, today: date | None = None) -> bytes:
    """The programme plan: the decided priority, the state, the timeline, every measure and
    the critical processes, as the council reads it."""
    with translation.override("nl"), timezone.override(settings.TIME_ZONE):
        today = today or timezone.localdate()
        measures = list(measures_of(organisation=organisation, today=today))
        progress = latest_progress(measures=measures)
        state = programme_state(organisation=organisation, today=today)
        in_timeline = _in_timeline(measures)
        html = render_to_string(
            "resilience/pdf/programme.html",
            {
                "organisation": organisation,
                "today": today,
                "made_at": timezone.localtime(),
                "decision": decisions_of(organisation=organisation).first(),
                "state": state,
                "statuses": [
                    (label, state.by_status.get(value, 0)) for value, label in MeasureStatus.choices
                ],
                "lines": [
                    MeasureLine(measure=m, overdue=m.is_overdue(today), note=progress.get(m.pk))
                    for m in measures
                ],
                "not_in_timeline": len(measures) - len(in_timeline),
                "timeline": charts.theme_timeline_svg(in_timeline, today=today),
                "processes": list(critical_processes(organisation=organisation)),
            },
        )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def _sensitivity_lines(rows: list[RankRow], results: list[SensitivityRow]) -> list[SensitivityLine]:
    titles = {r.scenario.pk: r.scenario.title for r in rows}
    moves: dict[tuple[int, int], list[Move]] = {
        (s.criterion.pk, s.direction): [
            Move(title=titles[pk], places=abs(places), up=places > 0)
            for pk, places in s.moved.items()
            if places
        ]
        for s in results
    }
    criteria = list({s.criterion.pk: s.criterion for s in results}.values())
    return [
        SensitivityLine(
            criterion=c, lower=moves.get((c.pk, -1), []), higher=moves.get((c.pk, 1), [])
        )
        for c in criteria
    ]


def _rank_lines(rows: list[RankRow], aspects: int) -> list[RankLine]:
    return [
        RankLine(
            row=r,
            likelihood=f"{charts.CLASS_LETTERS[r.likelihood - 1]} ({r.likelihood})"
            if r.likelihood
            else "",
            unscored=len(r.missing) >= aspects,
        )
        for r in rows
    ]


def render_weighing_pdf(*, organisation: Organisation, today: date | None = None) -> bytes:
    """The weighing: the framework with its weights, the computed ranking, the risk diagram,
    how sensitive the order is to the weights, and the priority decisions."""
    with translation.override("nl"), timezone.override(settings.TIME_ZONE):
        today = today or timezone.localdate()
        framework = framework_current(organisation=organisation)
        scenarios = list(scenarios_of(organisation=organisation))
        scores = scores_current(scenarios=scenarios, detail=False)
        rows = ranking(framework=framework, scenarios=scenarios, scores=scores)
        criteria = list(framework.criteria.all()) if framework is not None else []
        decisions = list(decisions_of(organisation=organisation))
        sensitive = _sensitivity_lines(
            rows,
            sensitivity(framework=framework, scenarios=scenarios, scores=scores)
            if framework is not None
            else [],
        )
        html = render_to_string(
            "resilience/pdf/weighing.html",
            {
                "organisation": organisation,
                "today": today,
                "made_at": timezone.localtime(),
                "framework": framework,
                "criteria": criteria,
                "weight_total": sum((c.weight for c in criteria), Decimal(0)),
                "rows": _rank_lines(rows, aspects=len(criteria) + 1),
                "diagram": charts.risk_diagram_svg(rows),
                "sensitivity": sensitive,
                "order_changes": sum(bool(s.lower) + bool(s.higher) for s in sensitive),
                "decision": decisions[0] if decisions else None,
                "earlier": decisions[1:],
            },
        )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
