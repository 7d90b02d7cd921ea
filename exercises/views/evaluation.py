"""The evaluation of a run: every participant's feedback, the exercise leader's ratings,
leerpunten and close; the evaluation report as PDF; and the region's comparison of the runs of
one scenario.

Players see only their own feedback form until the evaluation is closed; the exercise control
(EXCON) sees the observations, ratings, leerpunten and feedback all along."""

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from .. import report
from ..access import ExerciseAccess, exercise_for_user, scenario_for_user
from ..forms.evaluation import FeedbackForm, LessonForm, RatingForm
from ..selectors import evaluation as selectors
from ..services import evaluation as services


def _page(
    request: AuthenticatedRequest,
    access: ExerciseAccess,
    *,
    feedback_form: FeedbackForm | None = None,
    rating_form: RatingForm | None = None,
    lesson_form: LessonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    exercise = access.exercise
    organisation = exercise.crisis.organisation
    is_open = exercise.ended_at is not None and exercise.evaluation_closed_at is None
    given = selectors.feedback_given_by(exercise=exercise, user=request.user)
    context: dict[str, Any] = {
        "crisis": exercise.crisis,
        "access": access.crisis_access,
        "exercise_access": access,
        "exercise": exercise,
        "version": exercise.scenario_version,
        "is_open": is_open,
        "feedback_given": given,
        # A refused form comes back with its message, even when the feedback was given.
        "feedback_form": feedback_form
        or (FeedbackForm(prefix="feedback") if is_open and not given else None),
        "plan_available": services.programme_plan_available(organisation),
        "show_results": access.can_see_observations,
    }
    if access.can_lead and (is_open or rating_form or lesson_form):
        context["rating_form"] = rating_form or RatingForm(exercise=exercise, prefix="rating")
        context["lesson_form"] = lesson_form or LessonForm(exercise=exercise, prefix="lesson")
    if access.can_see_observations:
        context.update(
            observations=selectors.observations_of(exercise=exercise),
            objectives=selectors.objectives_with_ratings(exercise=exercise),
            lessons=selectors.lessons_of(exercise=exercise),
            feedback=selectors.feedback_of(exercise=exercise),
        )
    return render(request, "exercises/evaluation/evaluation.html", context, status=status)


@require_GET
@login_required
def exercise_evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "view")
    return _page(request, access)


@require_POST
@login_required
def exercise_feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "view")
    form = FeedbackForm(request.POST, prefix="feedback")
    if form.is_valid():
        try:
            feedback = services.feedback_give(
                exercise=access.exercise,
                user=request.user,
                went_well=form.cleaned_data["went_well"],
                to_improve=form.cleaned_data["to_improve"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if feedback.author_id is None:
                flash.success(request, _("Thank you. Your feedback was saved without your name."))
            else:
                flash.success(request, _("Thank you for your feedback."))
            return redirect("exercise_evaluation", pk=pk)
    return _page(request, access, feedback_form=form, status=422)


@require_POST
@login_required
def exercise_rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    form = RatingForm(request.POST, exercise=access.exercise, prefix="rating")
    if form.is_valid():
        try:
            services.ratings_set(
                exercise=access.exercise, ratings=list(form.ratings()), actor=request.user
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(request, _("The ratings are saved."))
            return redirect("exercise_evaluation", pk=pk)
    return _page(request, access, rating_form=form, status=422)


@require_POST
@login_required
def exercise_lesson(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    form = LessonForm(request.POST, exercise=access.exercise, prefix="lesson")
    if form.is_valid():
        try:
            lesson = services.lesson_record(
                exercise=access.exercise,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                deadline=form.cleaned_data["deadline"],
                objective=form.cleaned_data.get("objective"),
                as_measure=bool(form.cleaned_data.get("as_measure")),
                actor=request.user,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if lesson.measure is not None:
                flash.success(
                    request,
                    _("Lesson L%(number)d is recorded, as measure %(code)s of the programme plan.")
                    % {"number": lesson.number, "code": lesson.measure.code},
                )
            else:
                flash.success(
                    request, _("Lesson L%(number)d is recorded.") % {"number": lesson.number}
                )
            return redirect("exercise_evaluation", pk=pk)
    return _page(request, access, lesson_form=form, status=422)


@require_POST
@login_required
def exercise_evaluation_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "lead")
    try:
        services.evaluation_close(exercise=access.exercise, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            flash.error(request, message)
    else:
        flash.success(
            request,
            _("The evaluation is closed. The players now see the observations and the report."),
        )
    return redirect("exercise_evaluation", pk=pk)


@require_GET
@login_required
def exercise_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = exercise_for_user(request, pk, "view")
    if not access.can_see_observations:
        raise PermissionDenied(_("The report opens to the players when the evaluation is closed."))
    exercise = access.exercise
    pdf = report.render_evaluation_report(exercise=exercise)
    name = slugify(exercise.crisis.title) or str(exercise.crisis_id)
    filename = f"oefenrapport-{name}-{timezone.localdate():%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def exercise_compare(request: AuthenticatedRequest, org_pk: int, scenario_pk: int) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "read")
    # Only the scenario's owner compares its runs: a member reading the region's scenario
    # learns nothing of the other members' tables.
    if not access.is_own:
        raise Http404(_("No such scenario."))
    scenario = access.scenario
    return render(
        request,
        "exercises/evaluation/compare.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scenario": scenario,
            "newest": scenario.versions.order_by("-number").first(),
            "comparison": selectors.runs_compare(scenario=scenario),
        },
    )
