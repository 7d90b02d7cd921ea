"""The map of the first 72 hours and its printable list."""

from django.urls import path

from .views import first72_map as views

P = "weerbaarheid/<int:pk>/"

urlpatterns = [
    path(P + "kaart/", views.first72_map, name="first72_map"),
    path(P + "kaart/lijst/", views.first72_print, name="first72_print"),
]
