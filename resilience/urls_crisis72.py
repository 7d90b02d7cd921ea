"""The first 72 hours in a crisis: affected districts, requests, allocation decisions; and the
mayor's overview of what open crises claim of the same scarce goods (samenloop)."""

from django.urls import path

from .views import crisis72 as views

C = "crises/<int:pk>/eerste-72-uur/"

urlpatterns = [
    path(C, views.crisis_first72, name="crisis_first72"),
    path(C + "gebied/", views.crisis_first72_area, name="crisis_first72_area"),
    path(
        C + "noodsteunpunten/<int:point_pk>/status/",
        views.crisis_first72_point_status,
        name="crisis_first72_point_status",
    ),
    path(C + "aanvragen/", views.crisis_first72_request, name="crisis_first72_request"),
    path(
        C + "aanvragen/<int:number>/afwijzen/",
        views.crisis_first72_refuse,
        name="crisis_first72_refuse",
    ),
    path(C + "toedelen/", views.crisis_first72_decide, name="crisis_first72_decide"),
    path(C + "naar-analyse/", views.crisis_first72_to_analysis, name="crisis_first72_to_analysis"),
    path("weerbaarheid/<int:pk>/samenloop/", views.samenloop, name="samenloop"),
]
