"""Threat scenarios and the afwegingskader: the AOV describes and scores scenarios and keeps
the criteria and weights; the ranking and its sensitivity are computed; the mayor or the
college records the priority they decided."""

import html
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.models import AuditEvent

from .. import charts, selectors, services
from ..access import ResilienceAccess, resilience_for_user
from ..forms.weighing import (
    DecisionForm,
    FrameworkForm,
    ScenarioForm,
    ScoreForm,
    criterion_formset,
    criterion_formset_with_another_row,
    two_places,
)
from ..models import (
    LIKELIHOOD,
    Assessment,
    Criterion,
    Framework,
    ImpactClass,
    LikelihoodClass,
    PriorityDecision,
    ThreatScenario,
)
from ..selectors import RankRow, SensitivityRow
from ..selectors.weighing import SENSITIVITY_STEP


def _scenario(access: ResilienceAccess, scenario_pk: int) -> ThreatScenario:
    scenario = ThreatScenario.objects.filter(
        pk=scenario_pk, organisation=access.organisation
    ).first()
    if scenario is None:
        raise Http404(_("No such scenario."))
    return scenario


def class_label(aspect: str, value: int | None) -> str:
    """The class's letter and words: "C — serious" for impact, "C — possible" for likelihood."""
    if value is None:
        return ""
    classes = LikelihoodClass if aspect == LIKELIHOOD else ImpactClass
    return str(classes(value).label)


# -- scenarios -----------------------------------------------------------------------------------


@require_GET
@login_required
def scenario_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    organisation = access.organisation
    active = list(selectors.scenarios_of(organisation=organisation))
    framework = selectors.framework_current(organisation=organisation)
    rows = selectors.ranking(
        framework=framework,
        scenarios=active,
        scores=selectors.scores_current(scenarios=active, detail=False),
    )
    row_of = {row.scenario.pk: row for row in rows}
    return render(
        request,
        "resilience/weighing/scenario_list.html",
        {
            "access": access,
            "organisation": organisation,
            "rows": [row_of[s.pk] for s in active],
            "archived": list(selectors.scenarios_of(organisation=organisation, archived=True)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def scenario_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_save(
                organisation=access.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Scenario added. Score it below."))
            return redirect("scenario_detail", pk=pk, scenario_pk=scenario.pk)
    return render(
        request,
        "resilience/weighing/scenario_form.html",
        {"access": access, "organisation": access.organisation, "form": form, "scenario": None},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def scenario_edit(request: AuthenticatedRequest, pk: int, scenario_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    scenario = _scenario(access, scenario_pk)
    form = ScenarioForm(request.POST) if request.method == "POST" else ScenarioForm.of(scenario)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_save(
                organisation=access.organisation,
                actor=request.user,
                scenario=scenario,
                **form.cleaned_data,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Scenario saved."))
            return redirect("scenario_detail", pk=pk, scenario_pk=scenario.pk)
    return render(
        request,
        "resilience/weighing/scenario_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "scenario": scenario,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def scenario_archive(request: AuthenticatedRequest, pk: int, scenario_pk: int) -> HttpResponse:
    """Archive a scenario (it leaves the ranking, its scores stay), or restore it."""
    access = resilience_for_user(request, pk, "maintain")
    scenario = _scenario(access, scenario_pk)
    archive = request.POST.get("archived", "1") != "0"
    services.scenario_archive(scenario=scenario, actor=request.user, archived=archive)
    if archive:
        messages.success(request, _("Scenario archived; its scores are kept."))
    else:
        messages.success(request, _("Scenario restored to the weighing."))
    return redirect("scenario_list", pk=pk)


@dataclass
class AspectView:
    """One line of a scenario's scores: an impact criterion or the likelihood."""

    code: str
    name: str
    description: str
    weight: Decimal | None
    current: Assessment | None
    form: ScoreForm | None = None

    @property
    def is_likelihood(self) -> bool:
        return self.code == LIKELIHOOD

    @property
    def label(self) -> str:
        return class_label(self.code, self.current.value if self.current else None)

    @property
    def is_open(self) -> bool:
        """The scoring form shows open for what has no score yet, or was just refused."""
        return self.current is None or bool(self.form is not None and self.form.errors)


def _scenario_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    scenario: ThreatScenario,
    posted: ScoreForm | None = None,
) -> HttpResponse:
    framework = selectors.framework_current(organisation=access.organisation)
    criteria: list[Criterion] = list(framework.criteria.all()) if framework else []
    current = selectors.scores_current(scenarios=[scenario])[scenario.pk]
    aspects = [
        AspectView(
            code=c.code,
            name=c.name,
            description=c.description,
            weight=c.weight,
            current=current.get(c.code),
        )
        for c in criteria
    ]
    aspects.append(
        AspectView(
            code=LIKELIHOOD,
            name=_("Likelihood"),
            description="",
            weight=None,
            current=current.get(LIKELIHOOD),
        )
    )
    can_score = access.can_maintain and not scenario.is_archived
    for aspect in aspects:
        if not can_score:
            continue
        if posted is not None and posted.aspect == aspect.code:
            posted.name_criterion(aspect.name)
            aspect.form = posted
            continue
        initial = {}
        if aspect.current is not None:
            initial = {
                "value": aspect.current.value,
                "reasoning": aspect.current.reasoning,
                "source": aspect.current.source,
            }
        aspect.form = ScoreForm(
            aspect=aspect.code,
            is_likelihood=aspect.is_likelihood,
            initial=initial,
            name=aspect.name,
        )
    refused = next((a for a in aspects if posted is not None and a.form is posted), None)
    if posted is not None and refused is None:
        # A score for what is no longer in the framework (it changed while the form was open).
        messages.error(
            request,
            " ".join(str(e) for e in posted.non_field_errors())
            or _("This criterion is not in the current framework."),
        )
    names = {a.code: a.name for a in aspects}
    current_ids = {a.pk for a in current.values()}
    history = [
        {
            "assessment": a,
            "aspect": names.get(a.aspect, a.aspect),
            "label": class_label(a.aspect, a.value),
            "is_current": a.pk in current_ids,
        }
        for a in selectors.assessment_history(scenario=scenario)
    ]
    return render(
        request,
        "resilience/weighing/scenario_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scenario": scenario,
            "framework": framework,
            "aspects": aspects,
            "scored": sum(1 for a in aspects if a.current is not None),
            "history": history,
            "can_score": can_score,
            "refused": refused,
            "last_change": _last_change(access, scenario),
        },
        status=422 if posted is not None else 200,
    )


def _last_change(access: ResilienceAccess, scenario: ThreatScenario) -> AuditEvent | None:
    """The newest change of the scenario in the audit trail: when, and by whom."""
    return (
        AuditEvent.objects.filter(
            organisation=access.organisation,
            action=AuditEvent.Action.SCENARIO_CHANGED,
            detail__scenario=scenario.pk,
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


@require_GET
@login_required
def scenario_detail(request: AuthenticatedRequest, pk: int, scenario_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    return _scenario_page(request, access, _scenario(access, scenario_pk))


@require_POST
@login_required
def scenario_score(request: AuthenticatedRequest, pk: int, scenario_pk: int) -> HttpResponse:
    """Score one aspect. The same score with the same reasons again records nothing."""
    access = resilience_for_user(request, pk, "maintain")
    scenario = _scenario(access, scenario_pk)
    aspect = request.POST.get("aspect", "")
    form = ScoreForm(request.POST, aspect=aspect, is_likelihood=aspect == LIKELIHOOD)
    if scenario.is_archived:
        messages.error(request, _("Restore the scenario before scoring it."))
        return redirect("scenario_detail", pk=pk, scenario_pk=scenario.pk)
    if form.is_valid():
        try:
            recorded = services.assessment_record(
                scenario=scenario, actor=request.user, aspect=aspect, **form.cleaned_data
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if recorded is None:
                messages.info(request, _("Nothing changed: this score was already recorded."))
            else:
                messages.success(request, _("Score recorded."))
            url = reverse("scenario_detail", kwargs={"pk": pk, "scenario_pk": scenario.pk})
            return redirect(f"{url}#{_next_to_score(access, scenario, aspect)}")
    return _scenario_page(request, access, scenario, posted=form)


def _next_to_score(access: ResilienceAccess, scenario: ThreatScenario, aspect: str) -> str:
    """Where the page opens after a score: the next aspect without one, so the keyboard goes
    on from there; when all are scored, the line just saved in the table."""
    framework = selectors.framework_current(organisation=access.organisation)
    codes = [c.code for c in framework.criteria.all()] if framework else []
    codes.append(LIKELIHOOD)
    scored = selectors.scores_current(scenarios=[scenario])[scenario.pk]
    start = codes.index(aspect) + 1 if aspect in codes else 0
    for code in codes[start:] + codes[:start]:
        if code not in scored:
            return f"score-{code}"
    return f"aspect-{aspect}"


# -- the weighing --------------------------------------------------------------------------------


@dataclass
class Shift:
    title: str
    before: int
    after: int

    @property
    def up(self) -> bool:
        return self.after < self.before


@dataclass
class SensitivityLine:
    """One criterion of the sensitivity view: who moves with its weight 25 % lower or higher.
    Each cell is written once here, not by template loops: at fifty scenarios the moves are
    hundreds of lines, and the template engine made them the slowest part of the page."""

    criterion: Criterion
    lower_weight: Decimal
    higher_weight: Decimal
    lower: list[Shift] = field(default_factory=list)
    higher: list[Shift] = field(default_factory=list)

    @property
    def changes_order(self) -> bool:
        return bool(self.lower or self.higher)

    @property
    def cells(self) -> SafeString:
        return format_html(
            "{}{}",
            _sensitivity_cell(self.lower_weight, self.lower),
            _sensitivity_cell(self.higher_weight, self.higher),
        )


def _sensitivity_cell(weight: Decimal, shifts: list[Shift]) -> SafeString:
    """A table cell: the changed weight, then each move in words (the arrow only repeats it
    for the eye), or "order unchanged"."""
    said = format_html(
        '<span class="muted">{}</span>',
        _("weight %(w)s %%") % {"w": floatformat(weight, "-2")},
    )
    if not shifts:
        return format_html(
            '<td>{} <span class="order-same">{}</span></td>', said, _("order unchanged")
        )
    up = _("%(title)s: up from %(before)s to %(after)s")
    down = _("%(title)s: down from %(before)s to %(after)s")
    # html.escape rather than format_html per move: hundreds of moves at fifty scenarios, and
    # the whole text, the scenario's title with it, is escaped all the same.
    moves = "".join(
        '<li><span aria-hidden="true">{}</span> {}</li>'.format(
            "▲" if s.up else "▼",
            html.escape(
                (up if s.up else down) % {"title": s.title, "before": s.before, "after": s.after}
            ),
        )
        for s in shifts
    )
    return format_html(
        '<td>{} <ul class="shifts">{}</ul></td>',
        said,
        mark_safe(moves),  # noqa: S308 - every text in it went through html.escape  # nosec B308 B703
    )


def _shifts(row: SensitivityRow, titles: dict[int, str]) -> list[Shift]:
    shifts = [
        Shift(title=titles[pk], before=row.ranks[pk] + places, after=row.ranks[pk])
        for pk, places in row.moved.items()
        if places
    ]
    return sorted(shifts, key=lambda s: (s.after, s.before))


def _sensitivity_lines(
    rows: list[SensitivityRow], scenarios: list[ThreatScenario]
) -> list[SensitivityLine]:
    titles = {s.pk: s.title for s in scenarios}
    lines: dict[int, SensitivityLine] = {}
    for row in rows:
        criterion = row.criterion
        line = lines.setdefault(
            criterion.pk,
            SensitivityLine(
                criterion=criterion,
                lower_weight=criterion.weight * (1 - SENSITIVITY_STEP),
                higher_weight=criterion.weight * (1 + SENSITIVITY_STEP),
            ),
        )
        if row.direction < 0:
            line.lower = _shifts(row, titles)
        else:
            line.higher = _shifts(row, titles)
    return list(lines.values())


@dataclass
class Weighing:
    """What the weighing page and the decision form are computed from: one read of the scores,
    passed to the ranking and the sensitivity, so the page's queries do not grow with the
    number of scenarios."""

    framework: Framework | None
    rows: list[RankRow]
    scores: dict[int, dict[str, Assessment]]
    scenarios: list[ThreatScenario]

    @classmethod
    def of(cls, access: ResilienceAccess) -> "Weighing":
        framework = selectors.framework_current(organisation=access.organisation)
        scenarios = list(selectors.scenarios_of(organisation=access.organisation))
        # Classes only: the weighing shows ranks, not each score's reasons.
        scores = selectors.scores_current(scenarios=scenarios, detail=False)
        rows = selectors.ranking(framework=framework, scenarios=scenarios, scores=scores)
        return cls(framework=framework, rows=rows, scores=scores, scenarios=scenarios)

    def ranking_context(self, access: ResilienceAccess) -> dict[str, Any]:
        criteria = list(self.framework.criteria.all()) if self.framework else []
        codes = {c.code for c in criteria}
        # One address reversed, the others differ only in the scenario's number: a reverse
        # per row cost more than the rest of the row.
        sample = reverse("scenario_detail", kwargs={"pk": access.organisation.pk, "scenario_pk": 0})
        head, tail = sample.rsplit("/0/", 1)
        return {
            "framework": self.framework,
            "criteria": criteria,
            "rows": [
                RankLine(
                    row=row,
                    url=f"{head}/{row.scenario.pk}/{tail}",
                    impact=two_places(row.impact),
                    likelihood=class_label(LIKELIHOOD, row.likelihood) or "—",
                    risk=two_places(row.risk),
                    nothing_scored=row.likelihood is None and not codes & row.scores.keys(),
                    missing=", ".join(row.missing),
                )
                for row in self.rows
            ],
            "unscored": sum(1 for row in self.rows if not row.is_complete),
        }


@dataclass(frozen=True)
class RankLine:
    """A row of the ranking table with its texts made once; the template only places them."""

    row: RankRow
    url: str
    impact: str
    likelihood: str
    risk: str
    nothing_scored: bool
    missing: str


@require_GET
@login_required
def weighing_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    weighing = Weighing.of(access)
    sensitivity = (
        selectors.sensitivity(
            framework=weighing.framework, scenarios=weighing.scenarios, scores=weighing.scores
        )
        if weighing.framework is not None
        else []
    )
    decisions = list(selectors.decisions_of(organisation=access.organisation))
    current = decisions[0] if decisions else None
    return render(
        request,
        "resilience/weighing/weighing.html",
        {
            "access": access,
            "organisation": access.organisation,
            **weighing.ranking_context(access),
            "diagram": charts.risk_diagram_svg(weighing.rows),
            "sensitivity": _sensitivity_lines(sensitivity, weighing.scenarios),
            "step": int(SENSITIVITY_STEP * 100),
            "versions": list(selectors.framework_versions(organisation=access.organisation)),
            "decision": current,
            "review_overdue": current is not None and current.review_on < timezone.localdate(),
            "earlier_decisions": decisions[1:],
            "decide_form": DecisionForm(rows=weighing.rows) if access.can_decide else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def framework_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new version of the criteria and weights; the old one stays readable."""
    access = resilience_for_user(request, pk, "maintain")
    current = selectors.framework_current(organisation=access.organisation)
    added_row = request.method == "POST" and "add_row" in request.POST
    if added_row:
        # Another empty row, nothing checked or saved: the page as sent, one row longer.
        formset = criterion_formset_with_another_row(request.POST)
        form = FrameworkForm(
            initial={
                "note": request.POST.get("note", ""),
                "based_on_version": request.POST.get("based_on_version", ""),
            }
        )
    elif request.method == "POST":
        formset = criterion_formset(request.POST)
        form = FrameworkForm(request.POST)
        if all([formset.is_valid(), form.is_valid()]):
            started = timezone.now()
            try:
                framework = services.framework_revise(
                    organisation=access.organisation,
                    actor=request.user,
                    criteria=formset.criteria(),
                    note=form.cleaned_data["note"],
                    based_on_version=form.cleaned_data["based_on_version"],
                )
            except ValidationError as error:
                attach_validation_error(form, error)
            else:
                if framework.created_at < started:
                    messages.info(
                        request,
                        _(
                            "Version %(version)s of the weighing framework was already saved "
                            "with these criteria a moment ago; nothing new was recorded."
                        )
                        % {"version": framework.version},
                    )
                else:
                    messages.success(
                        request,
                        _("Version %(version)s of the weighing framework saved.")
                        % {"version": framework.version},
                    )
                return redirect("weighing_page", pk=pk)
    else:
        criteria = list(current.criteria.all()) if current else []
        formset = criterion_formset(
            initial=[
                {"code": c.code, "name": c.name, "description": c.description, "weight": c.weight}
                for c in criteria
            ],
        )
        form = FrameworkForm(initial={"based_on_version": current.version if current else 0})
    return render(
        request,
        "resilience/weighing/framework_edit.html",
        {
            "access": access,
            "organisation": access.organisation,
            "current": current,
            "formset": formset,
            "form": form,
            "weight_total": formset.weight_total(),
            "added_row": added_row,
        },
        status=422 if request.method == "POST" and not added_row else 200,
    )


@require_GET
@login_required
def framework_version(request: AuthenticatedRequest, pk: int, version: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    framework = selectors.framework_version(organisation=access.organisation, version=version)
    if framework is None:
        raise Http404(_("No such version of the weighing framework."))
    versions = list(selectors.framework_versions(organisation=access.organisation))
    return render(
        request,
        "resilience/weighing/framework_version.html",
        {
            "access": access,
            "organisation": access.organisation,
            "framework": framework,
            "criteria": list(framework.criteria.all()),
            "is_current": bool(versions) and versions[0].pk == framework.pk,
            "versions": versions,
        },
    )


# -- the priority decision -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def priority_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record the order the mayor or the college decided, next to the computed ranking."""
    access = resilience_for_user(request, pk, "decide")
    weighing = Weighing.of(access)
    form = DecisionForm(request.POST or None, rows=weighing.rows)
    if request.method == "POST" and form.is_valid():
        started = timezone.now()
        try:
            decision = services.priority_decide(
                organisation=access.organisation,
                actor=request.user,
                decided_by=form.cleaned_data["decided_by"],
                decided_on=form.cleaned_data["decided_on"],
                review_on=form.cleaned_data["review_on"],
                reasons=form.cleaned_data["reasons"],
                scenario_ids=form.scenario_ids(),
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if decision.recorded_at < started:
                messages.info(
                    request,
                    _(
                        "Priority decision %(number)s was already recorded a moment ago; "
                        "nothing new was recorded."
                    )
                    % {"number": decision.number},
                )
            else:
                messages.success(
                    request,
                    _("Priority decision %(number)s recorded.") % {"number": decision.number},
                )
            return redirect("priority_decision", pk=pk, number=decision.number)
    return render(
        request,
        "resilience/weighing/decide.html",
        {
            "access": access,
            "organisation": access.organisation,
            **weighing.ranking_context(access),
            "decide_form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def priority_decision(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    decisions = selectors.decisions_of(organisation=access.organisation)
    decision: PriorityDecision | None = decisions.filter(number=number).first()
    if decision is None:
        raise Http404(_("No such priority decision."))
    newest = decisions.first()
    basis = [
        {
            "rank": row.get("rank"),
            "title": row.get("title", ""),
            "impact": _decimal(row.get("impact")),
            "likelihood_label": class_label(LIKELIHOOD, row.get("likelihood")),
            "risk": _decimal(row.get("risk")),
        }
        for row in decision.basis
    ]
    return render(
        request,
        "resilience/weighing/decision.html",
        {
            "access": access,
            "organisation": access.organisation,
            "decision": decision,
            "basis": basis,
            "superseded_by": newest if newest and newest.number != decision.number else None,
            "review_overdue": newest is not None
            and newest.number == decision.number
            and decision.review_on < timezone.localdate(),
        },
    )


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None
