"""The registers of the first 72 hours: noodsteunpunten, vulnerable locations, groups, districts.
Every name starts with first72_, which the cold phase's navigation highlights."""

from django.urls import path

from .views import first72_districts as districts
from .views import first72_registers as views

P = "weerbaarheid/<int:pk>/"
POINT = P + "noodsteunpunten/<int:point_pk>/"

urlpatterns = [
    # Noodsteunpunten
    path(P + "noodsteunpunten/", views.first72_points, name="first72_points"),
    path(P + "noodsteunpunten/nieuw/", views.first72_point_create, name="first72_point_create"),
    path(POINT, views.first72_point_detail, name="first72_point_detail"),
    path(POINT + "bewerken/", views.first72_point_edit, name="first72_point_edit"),
    path(POINT + "status/", views.first72_point_status, name="first72_point_status"),
    path(POINT + "buiten-gebruik/", views.first72_point_retire, name="first72_point_retire"),
    # Vulnerable locations
    path(P + "kwetsbare-locaties/", views.first72_locations, name="first72_locations"),
    path(
        P + "kwetsbare-locaties/nieuw/",
        views.first72_location_create,
        name="first72_location_create",
    ),
    path(
        P + "kwetsbare-locaties/<int:location_pk>/bewerken/",
        views.first72_location_edit,
        name="first72_location_edit",
    ),
    # Vulnerable groups: counts per district, never people
    path(P + "kwetsbare-groepen/", views.first72_groups, name="first72_groups"),
    path(P + "kwetsbare-groepen/nieuw/", views.first72_group_create, name="first72_group_create"),
    path(P + "kwetsbare-groepen/aantal/", views.first72_count_set, name="first72_count_set"),
    # Wijken en buurten
    path(P + "wijken/", districts.first72_districts, name="first72_districts"),
    path(P + "wijken/nieuw/", districts.first72_district_create, name="first72_district_create"),
    path(
        P + "wijken/<int:district_pk>/bewerken/",
        districts.first72_district_edit,
        name="first72_district_edit",
    ),
    path(
        P + "wijken/importeren/",
        districts.first72_districts_import,
        name="first72_districts_import",
    ),
]
