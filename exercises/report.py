"""The evaluation report of a run as an A4 PDF: the scenario, the learning objectives with their
ratings, the timeline of meeting phases and injects on the exercise clock, the decisions with
their time after the injects, the observations, the feedback and the leerpunten. OEFENING on
every page. Views only wrap the bytes."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from formats.pdf import PDF_VARIANT

from .models import Exercise
from .selectors import evaluation as selectors


def render_evaluation_report(*, exercise: Exercise) -> bytes:
    """The report for the team and the exercise control. It never holds an inject's note for
    the exercise control or its expected response: the players read it too."""
    with translation.override("nl"), timezone.override(settings.TIME_ZONE):
        version = exercise.scenario_version
        html = render_to_string(
            "exercises/pdf/evaluation_report.html",
            {
                "exercise": exercise,
                "crisis": exercise.crisis,
                "organisation": exercise.crisis.organisation,
                "version": version,
                "leaders": selectors.exercise_leaders_of(exercise=exercise),
                "status": selectors.run_status(exercise),
                "objectives": selectors.objectives_with_ratings(exercise=exercise),
                "timeline": selectors.timeline_of(exercise=exercise),
                "decisions": selectors.decisions_of(exercise=exercise),
                "observations": selectors.observations_of(exercise=exercise),
                "feedback": selectors.feedback_of(exercise=exercise),
                "lessons": selectors.lessons_of(exercise=exercise),
                "made_at": timezone.now(),
                "time_zone": settings.TIME_ZONE,
            },
        )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
