"""The programmaplan: the programme page (summary, measures, timeline, coverage), a measure
with its progress and revisions, and the forms that create and change measures."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.text import display_name

from .. import selectors, services
from ..access import MeasureAccess, ResilienceAccess, measure_for_user, resilience_for_user
from ..charts import timeline_svg
from ..forms.programme import (
    MeasureEditForm,
    MeasureForm,
    MeasureOwnerForm,
    ProgrammeFilterForm,
    ProgressForm,
)
from ..models import Measure, MeasurePhase, MeasureStatus, MeasureTheme

# -- the programme page -------------------------------------------------------------------------

MEASURES_PER_PAGE = 50


@dataclass(frozen=True)
class MeasureRow:
    """One line of the measures table, its words looked up once here rather than per cell in
    the template: the page lists hundreds of measures."""

    measure: Measure
    url: str
    theme: str
    phase: str
    status: str
    owner: str  # person, function and partner, whichever are named
    starts_on: str
    due_on: str
    is_overdue: bool


def _rows(measures: list[Measure], *, organisation_pk: int, today: date) -> list[MeasureRow]:
    themes = {t.value: str(t.label) for t in MeasureTheme}
    phases = {p.value: str(p.label) for p in MeasurePhase}
    statuses = {s.value: str(s.label) for s in MeasureStatus}
    short = formats.get_format("SHORT_DATE_FORMAT")
    # One reverse for the whole table: every measure's address differs only in its pk, the
    # last number in it.
    head, _zero, tail = reverse("measure_detail", args=[organisation_pk, 0]).rpartition("/0/")
    return [
        MeasureRow(
            measure=m,
            url=f"{head}/{m.pk}/{tail}",
            theme=themes.get(m.theme, m.theme),
            phase=phases.get(m.phase, m.phase),
            status=statuses.get(m.status, m.status),
            owner=" · ".join(
                name
                for name in (
                    display_name(m.owner) if m.owner else "",
                    m.owner_function,
                    m.owner_partner.name if m.owner_partner else "",
                )
                if name
            ),
            starts_on=formats.date_format(m.starts_on, short) if m.starts_on else "",
            due_on=formats.date_format(m.due_on, short) if m.due_on else "",
            is_overdue=m.is_overdue(today),
        )
        for m in measures
    ]


@require_GET
@login_required
def programme_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    organisation = access.organisation
    today = timezone.localdate()
    filters = ProgrammeFilterForm(request.GET)
    # A page of measures at a time: the table, and the timeline of the same measures, stay
    # readable (and quick) with a programme of hundreds.
    paginator = Paginator(
        selectors.measures_of(organisation=organisation, today=today, **filters.chosen()),
        MEASURES_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("pagina"))
    measures = list(page.object_list)
    kept = request.GET.copy()
    kept.pop("pagina", None)
    state = selectors.programme_state(organisation=organisation, today=today)
    themes = list(MeasureTheme)
    decision = selectors.decision_current(organisation=organisation)
    return render(
        request,
        "resilience/programme/programme.html",
        {
            "access": access,
            "organisation": organisation,
            "filters": filters,
            "page": page,
            "page_query": kept.urlencode(),
            "rows": _rows(measures, organisation_pk=organisation.pk, today=today),
            "state": state,
            "status_counts": [(s.label, state.by_status[s.value]) for s in MeasureStatus],
            "timeline": timeline_svg(measures, today=today),
            "themes": themes,
            "decision": decision,
            "coverage": selectors.coverage_matrix(
                organisation=organisation,
                decision=decision,
                themes=[theme.value for theme in themes],
            ),
        },
    )


# -- creating and changing a measure ------------------------------------------------------------


def _form_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    form: MeasureForm | MeasureOwnerForm,
    *,
    measure: Measure | None = None,
    current: Measure | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "resilience/programme/measure_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "owner_only": isinstance(form, MeasureOwnerForm),
            "measure": measure,
            "current": current,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    if request.method == "GET":
        return _form_page(request, access, MeasureForm(organisation=access.organisation))
    form = MeasureForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        try:
            measure = services.measure_create(
                organisation=access.organisation, actor=request.user, data=form.measure_input()
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(request, _("%(code)s added to the programme.") % {"code": measure.code})
            return redirect("measure_detail", pk=pk, measure_pk=measure.pk)
    return _form_page(request, access, form, status=422)


def _is_stale(error: ValidationError) -> bool:
    return getattr(error, "code", None) == "stale"


def _edit_form(
    access: MeasureAccess, data: Any = None, *, measure: Measure
) -> MeasureEditForm | MeasureOwnerForm:
    """The adviser's form; for the measure's owner without that role, the owner's narrower one
    (it names nothing of the organisation beyond this measure)."""
    if access.can_maintain:
        initial = None if data is not None else MeasureForm.initial_of(measure)
        return MeasureEditForm(
            data, organisation=access.organisation, measure=measure, initial=initial
        )
    initial = None if data is not None else MeasureOwnerForm.initial_of(measure)
    return MeasureOwnerForm(data, measure=measure, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request: AuthenticatedRequest, pk: int, measure_pk: int) -> HttpResponse:
    access = measure_for_user(request, pk, measure_pk, "update")
    measure = access.measure
    if request.method == "GET":
        return _form_page(request, access, _edit_form(access, measure=measure), measure=measure)
    form = _edit_form(access, request.POST, measure=measure)
    if form.is_valid():
        try:
            services.measure_update(
                measure=measure,
                actor=request.user,
                data=form.measure_input(),
                based_on_revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            if not _is_stale(error):
                attach_validation_error(form, error)
                return _form_page(request, access, form, measure=measure, status=422)
            # Keep everything the editor typed, now based on the saved revision shown beside
            # it, so a second save (after comparing) goes through.
            current = Measure.objects.select_related("owner", "owner_partner").get(pk=measure.pk)
            data = request.POST.copy()
            data["revision"] = str(current.revision)
            form = _edit_form(access, data, measure=current)
            form.is_valid()
            form.add_error(None, error)
            return _form_page(request, access, form, measure=current, current=current, status=409)
        flash.success(request, _("%(code)s saved.") % {"code": measure.code})
        return redirect("measure_detail", pk=pk, measure_pk=measure.pk)
    return _form_page(request, access, form, measure=measure, status=422)


# -- a measure, its progress and its revisions --------------------------------------------------


def _detail_page(
    request: AuthenticatedRequest,
    access: MeasureAccess,
    *,
    progress_form: ProgressForm | None = None,
    status: int = 200,
) -> HttpResponse:
    measure = access.measure
    today = timezone.localdate()
    return render(
        request,
        "resilience/programme/measure_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "measure": measure,
            "overdue": measure.is_overdue(today),
            "scenarios": list(measure.scenarios.order_by("title")),
            "partners": list(measure.partners.order_by("name")),
            "notes": list(measure.progress.select_related("written_by")),
            "revisions": list(selectors.measure_history(measure=measure)),
            "processes": list(measure.critical_processes.order_by("max_outage_hours", "name")),
            "progress_form": (
                (progress_form or ProgressForm(measure=measure)) if access.can_update else None
            ),
        },
        status=status,
    )


@require_GET
@login_required
def measure_detail(request: AuthenticatedRequest, pk: int, measure_pk: int) -> HttpResponse:
    return _detail_page(request, measure_for_user(request, pk, measure_pk, "read"))


@require_POST
@login_required
def measure_progress(request: AuthenticatedRequest, pk: int, measure_pk: int) -> HttpResponse:
    access = measure_for_user(request, pk, measure_pk, "update")
    form = ProgressForm(request.POST, measure=access.measure)
    if form.is_valid():
        try:
            services.measure_progress_record(
                measure=access.measure, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(request, _("Progress recorded."))
            return redirect("measure_detail", pk=pk, measure_pk=measure_pk)
    return _detail_page(request, access, progress_form=form, status=422)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value  # A choice since removed: show what was stored.


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
@login_required
def measure_revision(
    request: AuthenticatedRequest, pk: int, measure_pk: int, revision: int
) -> HttpResponse:
    """A measure as it was saved at one revision: read-only, from the revision's own copy."""
    access = measure_for_user(request, pk, measure_pk, "read")
    measure = access.measure
    old = get_object_or_404(measure.revisions.select_related("changed_by"), revision=revision)
    snapshot: dict[str, Any] = old.snapshot
    return render(
        request,
        "resilience/programme/measure_revision.html",
        {
            "access": access,
            "organisation": access.organisation,
            "measure": measure,
            "old": old,
            "snapshot": snapshot,
            "theme": _label(MeasureTheme, snapshot.get("theme", "")),
            "phase": _label(MeasurePhase, snapshot.get("phase", "")),
            "status": _label(MeasureStatus, snapshot.get("status", "")),
            "starts_on": _date(snapshot.get("starts_on", "")),
            "due_on": _date(snapshot.get("due_on", "")),
        },
    )
