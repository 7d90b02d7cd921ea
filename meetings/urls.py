from django.urls import path

from . import views

urlpatterns = [
    path("crises/<int:pk>/overleg/", views.meeting_list, name="meeting_list"),
    path("crises/<int:pk>/overleg/start/", views.meeting_start, name="meeting_start"),
    path("crises/<int:pk>/overleg/<int:number>/", views.meeting_detail, name="meeting_detail"),
    path(
        "crises/<int:pk>/overleg/<int:number>/projectie/",
        views.meeting_projection,
        name="meeting_projection",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/logboek/eerder/",
        views.meeting_log_older,
        name="meeting_log_older",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/opdrachten/meer/",
        views.meeting_assignments_more,
        name="meeting_assignments_more",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/kernbeeld/",
        views.meeting_kernbeeld,
        name="meeting_kernbeeld",
    ),
    path("crises/<int:pk>/overleg/<int:number>/fase/", views.meeting_phase, name="meeting_phase"),
    path(
        "crises/<int:pk>/overleg/<int:number>/reflectie/",
        views.meeting_reflection,
        name="meeting_reflection",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/aanwezigheid/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("crises/<int:pk>/overleg/<int:number>/volgende/", views.meeting_next, name="meeting_next"),
    path(
        "crises/<int:pk>/overleg/<int:number>/sluiten/", views.meeting_close, name="meeting_close"
    ),
    path("crises/<int:pk>/overleg/<int:number>/regels/", views.entry_create, name="entry_create"),
    path(
        "crises/<int:pk>/logboek/<int:seq>/corrigeren/",
        views.entry_correct,
        name="entry_correct",
    ),
    path(
        "crises/<int:pk>/opdrachten/<int:assignment_pk>/controle/",
        views.assignment_check,
        name="assignment_check",
    ),
    path("crises/<int:pk>/besluitenlijst/", views.decision_list, name="decision_list"),
    path(
        "crises/<int:pk>/overleg/<int:number>/kaart/",
        views.meeting_card_tick,
        name="meeting_card_tick",
    ),
    path(
        "crises/<int:pk>/voorstellen/<int:proposal_pk>/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path(
        "crises/<int:pk>/mijn-logboek/<int:item_pk>/voorstellen/",
        views.personal_item_propose,
        name="personal_item_propose",
    ),
    path("crises/<int:pk>/archief/", views.crisis_archive, name="crisis_archive"),
    path("live/<str:token>/", views.live_poll, name="live_poll"),
]
