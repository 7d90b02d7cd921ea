"""Scarce goods and services, their stocks, and the allocation rules decided in the cold phase."""

from django.urls import path

from .views import scarce as views

P = "weerbaarheid/<int:pk>/schaarste/"

urlpatterns = [
    path(P, views.scarce_goods, name="scarce_goods"),
    path(P + "nieuw/", views.scarce_good_create, name="scarce_good_create"),
    path(P + "<int:good_pk>/bewerken/", views.scarce_good_edit, name="scarce_good_edit"),
    path(
        P + "<int:good_pk>/voorraad/nieuw/", views.scarce_stock_create, name="scarce_stock_create"
    ),
    path(
        P + "voorraad/<int:stock_pk>/bewerken/", views.scarce_stock_edit, name="scarce_stock_edit"
    ),
    path(
        P + "voorraad/<int:stock_pk>/verwijderen/",
        views.scarce_stock_remove,
        name="scarce_stock_remove",
    ),
    path(
        P + "<int:good_pk>/regels/nieuw/",
        views.allocation_rule_create,
        name="allocation_rule_create",
    ),
    path(P + "regels/<int:number>/", views.allocation_rule, name="allocation_rule"),
    path(
        P + "regels/<int:number>/besluit/",
        views.allocation_rule_decide,
        name="allocation_rule_decide",
    ),
    path(
        P + "regels/<int:number>/buiten-werking/",
        views.allocation_rule_retire,
        name="allocation_rule_retire",
    ),
    path(
        P + "regels/<int:number>/versies/<int:version>/",
        views.allocation_rule_version,
        name="allocation_rule_version",
    ),
]
