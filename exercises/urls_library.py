"""Routes of the exercises app (library): an organisation's scenarios, their versions and
injects, under /oefenen/<organisation>/."""

from django.urls import URLPattern, path

from .views import library

P = "oefenen/<int:org_pk>/"
S = P + "scenarios/<int:scenario_pk>/"

# "scenario_page" and "scenario_change", not "scenario_detail" and "scenario_edit": those names
# are the cold phase's threat scenarios (resilience/urls.py), and a name used twice reverses to
# one of the two pages for both.
urlpatterns: list[URLPattern] = [
    path(P, library.exercise_library, name="exercise_library"),
    path(P + "scenarios/nieuw/", library.scenario_new, name="scenario_new"),
    path(S, library.scenario_page, name="scenario_page"),
    path(S + "bewerken/", library.scenario_change, name="scenario_change"),
    path(S + "nieuwe-versie/", library.scenario_new_version, name="scenario_new_version"),
    path(S + "injects/nieuw/", library.inject_new, name="inject_new"),
    path(S + "injects/<int:inject_pk>/bewerken/", library.inject_edit, name="inject_edit"),
    path(S + "injects/<int:inject_pk>/verwijderen/", library.inject_delete, name="inject_delete"),
]
