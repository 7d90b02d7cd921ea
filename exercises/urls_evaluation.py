"""Routes of the exercises app (evaluation): the evaluation of a run, its report, and the
comparison of a scenario's runs."""

from django.urls import URLPattern, path

from .views import evaluation

urlpatterns: list[URLPattern] = [
    path(
        "crises/<int:pk>/oefening/evaluatie/",
        evaluation.exercise_evaluation,
        name="exercise_evaluation",
    ),
    path(
        "crises/<int:pk>/oefening/evaluatie/feedback/",
        evaluation.exercise_feedback,
        name="exercise_feedback",
    ),
    path(
        "crises/<int:pk>/oefening/evaluatie/beoordeling/",
        evaluation.exercise_rate,
        name="exercise_rate",
    ),
    path(
        "crises/<int:pk>/oefening/evaluatie/leerpunten/",
        evaluation.exercise_lesson,
        name="exercise_lesson",
    ),
    path(
        "crises/<int:pk>/oefening/evaluatie/afsluiten/",
        evaluation.exercise_evaluation_close,
        name="exercise_evaluation_close",
    ),
    path(
        "crises/<int:pk>/oefening/rapport.pdf",
        evaluation.exercise_report,
        name="exercise_report",
    ),
    path(
        "oefenen/<int:org_pk>/scenarios/<int:scenario_pk>/vergelijking/",
        evaluation.exercise_compare,
        name="exercise_compare",
    ),
]
