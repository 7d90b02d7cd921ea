"""Routes of the exercises app (run): an organisation's runs, and one run's screens."""

from django.urls import URLPattern, path

from .views import run

urlpatterns: list[URLPattern] = [
    path("oefenen/<int:org_pk>/oefeningen/", run.exercise_runs, name="exercise_runs"),
    path("oefenen/<int:org_pk>/oefeningen/nieuw/", run.exercise_new, name="exercise_new"),
    path("crises/<int:pk>/oefening/", run.exercise_overview, name="exercise_overview"),
    path("crises/<int:pk>/oefening/regie/", run.exercise_control, name="exercise_control"),
    path(
        "crises/<int:pk>/oefening/regie/live/",
        run.exercise_control_region,
        name="exercise_control_region",
    ),
    path("crises/<int:pk>/oefening/regie/klok/", run.exercise_clock, name="exercise_clock"),
    path("crises/<int:pk>/oefening/regie/einde/", run.exercise_end_view, name="exercise_end_view"),
    path(
        "crises/<int:pk>/oefening/injects/<int:inject_pk>/vrijgeven/",
        run.inject_release_view,
        name="inject_release_view",
    ),
    path("crises/<int:pk>/oefening/waarnemen/", run.exercise_observe, name="exercise_observe"),
]
