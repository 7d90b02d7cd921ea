"""Routes of the exercises app (publishing): what a region publishes to its member
organisations, and what a member adopts of it."""

from django.urls import URLPattern, path

from .views import publishing as views

urlpatterns: list[URLPattern] = [
    path("oefenen/<int:org_pk>/regio/", views.exercise_region, name="exercise_region"),
    path("oefenen/<int:org_pk>/regio/publiceren/", views.publish, name="publish"),
    path(
        "oefenen/<int:org_pk>/regio/<int:publication_pk>/overnemen/",
        views.adopt,
        name="adopt",
    ),
]
