"""Running an exercise: an organisation's runs and a new run; the exercise as every player sees
it; the exercise leader's control screen (clock, injects, the team's log as it happens); the
observer's keyboard-first notes."""

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom.forms import attach_validation_error, model_choice_field
from crisisroom.http import AuthenticatedRequest
from meetings import selectors as meeting_selectors

from ..access import ExerciseAccess, exercise_for_user, organisation_for_exercises
from ..forms.run import ExerciseNewForm, ObservationForm
from ..models import Exercise, Inject, InjectRelease
from ..selectors import run as selectors
from ..services import run as services

CONTROL_LOG_ENTRIES = 30


def _minute_now(exercise: Exercise) -> int | None:
    end = exercise.ended_at or timezone.now()
    return selectors.exercise_minute(exercise=exercise, at=end)


def _exercise_context(access: ExerciseAccess) -> dict[str, Any]:
    exercise = access.exercise
    return {
        "crisis": exercise.crisis,
        "access": access.crisis_access,
        "exercise_access": access,
        "exercise": exercise,
        "version": exercise.scenario_version,
        "state": selectors.exercise_state(exercise=exercise),
        "minute_now": _minute_now(exercise),
    }


# -- the organisation's runs ---------------------------------------------------------------------


@require_GET
@login_required
def exercise_runs(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    access = organisation_for_exercises(request, org_pk, "read")
    return render(
        request,
        "exercises/run/runs.html",
        {
            "access": access,
            "organisation": access.organisation,
            "rows": selectors.runs_of(organisation=access.organisation, user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def exercise_new(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    access = organisation_for_exercises(request, org_pk, "prepare")
    organisation = access.organisation
    if request.method == "POST":
        form = ExerciseNewForm(request.POST, organisation=organisation, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                exercise = services.exercise_create(
                    organisation=form.target(),
                    version=data["version"],
                    title=data["title"],
                    actor=request.user,
                    client_token=data["client_token"],
                    observers=list(data["observers"]),
                )
            except ValidationError as error:
                attach_validation_error(form, error)
            else:
                flash.success(
                    request,
                    _("Exercise prepared at %(organisation)s. Start the clock when the team sits.")
                    % {"organisation": exercise.crisis.organisation.name},
                )
                return redirect("exercise_control", pk=exercise.crisis_id)
        status = 422
    else:
        form = ExerciseNewForm(organisation=organisation, actor=request.user)
        # ?versie=<pk> from the scenario library preselects a version this form offers.
        chosen = request.GET.get("versie", "")
        if chosen.isdigit() and len(chosen) < 12:
            offered = model_choice_field(form, "version").queryset
            version = offered.filter(pk=int(chosen)).first() if offered is not None else None
            if version is not None:
                form = ExerciseNewForm(
                    organisation=organisation,
                    actor=request.user,
                    initial={"version": version, "title": version.title},
                )
        status = 200
    return render(
        request,
        "exercises/run/new.html",
        {"access": access, "organisation": organisation, "form": form},
        status=status,
    )


# -- the exercise as everyone sees it ------------------------------------------------------------


@require_GET
@login_required
def exercise_overview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "view")
    exercise = access.exercise
    return render(
        request,
        "exercises/run/overview.html",
        {
            **_exercise_context(access),
            "objectives": list(exercise.scenario_version.objectives.order_by("order", "pk")),
            # What the players were told, and nothing of the exercise control's notes.
            "released": selectors.injects_released_for_players(exercise=exercise),
            "evaluation_url": reverse("exercise_evaluation", args=[exercise.crisis_id]),
        },
    )


# -- the exercise leader's control screen --------------------------------------------------------


def _release_due(exercise: Exercise) -> list[InjectRelease]:
    """What the schedule says is due goes out while a control screen is open."""
    if not exercise.is_running or not exercise.crisis.is_active:
        return []
    return services.injects_release_due(exercise=exercise)


def _control_context(access: ExerciseAccess) -> dict[str, Any]:
    exercise = access.exercise
    exercise.refresh_from_db(fields=["clock_started_at", "ended_at", "evaluation_closed_at"])
    crisis = exercise.crisis
    rows = selectors.injects_for_control(exercise=exercise)
    meeting = meeting_selectors.meeting_current(crisis=crisis)
    return {
        **_exercise_context(access),
        "rows": rows,
        "released_count": sum(1 for row in rows if row.is_released),
        "meeting": meeting,
        "entries": meeting_selectors.log_recent(crisis=crisis, limit=CONTROL_LOG_ENTRIES),
        "can_release": exercise.is_running and crisis.is_active,
        "polling": exercise.ended_at is None and crisis.is_active,
        "now": timezone.now(),
    }


def _announcement(exercise: Exercise, seen: str | None) -> list[InjectRelease]:
    """The releases this screen has not shown yet, to say in its live region."""
    try:
        count = int(seen or "")
    except ValueError:
        return []
    if not 0 <= count < 1000:
        return []
    releases = list(
        InjectRelease.objects.filter(exercise=exercise)
        .select_related("inject")
        .order_by("released_at", "pk")
    )
    return releases[count:]


def _control_update(
    request: AuthenticatedRequest, access: ExerciseAccess, announce: list[InjectRelease]
) -> HttpResponse:
    return render(
        request,
        "exercises/run/_control_update.html",
        {**_control_context(access), "announce": announce},
    )


@require_GET
@login_required
def exercise_control(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    _release_due(access.exercise)
    return render(
        request,
        "exercises/run/control.html",
        {**_control_context(access), "observe_url": reverse("exercise_observe", args=[pk])},
    )


@require_GET
@login_required
def exercise_control_region(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live part of the control screen, polled every few seconds: first releases what is
    due, then says in the live region what went out since the screen last looked."""
    access = exercise_for_user(request, pk, "lead")
    _release_due(access.exercise)
    announce = _announcement(access.exercise, request.GET.get("gezien"))
    return _control_update(request, access, announce)


@require_POST
@login_required
def exercise_clock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    try:
        exercise = services.exercise_clock_start(exercise=access.exercise, actor=request.user)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        released = _release_due(exercise)
        flash.success(
            request,
            _("The exercise clock runs since %(time)s.")
            % {"time": timezone.localtime(exercise.clock_started_at).strftime("%H:%M")}
            + (
                " "
                + _("Released on schedule: %(injects)s.")
                % {"injects": ", ".join(str(r.inject.number) for r in released)}
                if released
                else ""
            ),
        )
    return redirect("exercise_control", pk=pk)


@require_POST
@login_required
def exercise_end_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    try:
        services.exercise_end(exercise=access.exercise, actor=request.user)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, _("The exercise has ended: no more injects. Time to evaluate."))
    return redirect("exercise_control", pk=pk)


@require_POST
@login_required
def inject_release_view(request: AuthenticatedRequest, pk: int, inject_pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    exercise = access.exercise
    inject = get_object_or_404(Inject, pk=inject_pk, version_id=exercise.scenario_version_id)
    try:
        release = services.inject_release(exercise=exercise, inject=inject, actor=request.user)
    except ValidationError as error:
        if request.htmx:
            return _control_update(request, access, [])
        flash.error(request, " ".join(error.messages))
        return redirect("exercise_control", pk=pk)
    if request.htmx:
        return _control_update(request, access, [release])
    flash.success(
        request,
        _("Inject %(number)d released: %(summary)s")
        % {"number": inject.number, "summary": inject.summary},
    )
    return redirect(reverse("exercise_control", args=[pk]) + f"#inject-{inject.number}")


# -- the observer ----------------------------------------------------------------------------------


def _observe_page(
    request: AuthenticatedRequest,
    access: ExerciseAccess,
    form: ObservationForm | None,
    status: int = 200,
) -> HttpResponse:
    exercise = access.exercise
    meeting = meeting_selectors.meeting_current(crisis=exercise.crisis)
    if form is None and not exercise.is_evaluated:
        form = ObservationForm(exercise=exercise, phase=meeting.phase if meeting else "")
    return render(
        request,
        "exercises/run/observe.html",
        {
            **_exercise_context(access),
            "form": form,
            "meeting": meeting,
            "observations": selectors.observations_of(exercise=exercise),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def exercise_observe(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "observe")
    if request.method == "GET":
        return _observe_page(request, access, None)
    exercise = access.exercise
    form = ObservationForm(request.POST, exercise=exercise)
    if form.is_valid():
        data = form.cleaned_data
        try:
            observation = services.observation_record(
                exercise=exercise,
                observer=request.user,
                text=data["text"],
                client_token=data["client_token"],
                at=form.observed_at(),
                phase=data["phase"],
                entry=data["entry"],
                inject=data["inject"],
                objective=data["objective"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            minute = selectors.exercise_minute(exercise=exercise, at=observation.at)
            flash.success(
                request,
                _("Observation recorded (%(time)s).")
                % {
                    "time": timezone.localtime(observation.at).strftime("%H:%M")
                    + (f", T+{minute}" if minute is not None and minute >= 0 else "")
                },
            )
            return redirect("exercise_observe", pk=pk)
    return _observe_page(request, access, form, status=422)
