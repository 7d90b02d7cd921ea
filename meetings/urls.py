from django.urls import path

from .views import archive, cards, chair, desk, live, log, meeting, stakeholders, wall

urlpatterns = [
    path("crises/<int:pk>/overleg/", meeting.meeting_list, name="meeting_list"),
    path("crises/<int:pk>/overleg/start/", meeting.meeting_start, name="meeting_start"),
    path("crises/<int:pk>/overleg/op-papier/", meeting.meeting_on_paper, name="meeting_on_paper"),
    path("crises/<int:pk>/overleg/<int:number>/", meeting.meeting_detail, name="meeting_detail"),
    path(
        "crises/<int:pk>/overleg/<int:number>/projectie/",
        meeting.meeting_projection,
        name="meeting_projection",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/logboek/eerder/",
        meeting.meeting_log_older,
        name="meeting_log_older",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/opdrachten/meer/",
        meeting.meeting_assignments_more,
        name="meeting_assignments_more",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/kernbeeld/",
        chair.meeting_kernbeeld,
        name="meeting_kernbeeld",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/kernbeeld/versies/",
        meeting.meeting_kernbeeld_history,
        name="meeting_kernbeeld_history",
    ),
    path("crises/<int:pk>/overleg/<int:number>/fase/", chair.meeting_phase, name="meeting_phase"),
    path(
        "crises/<int:pk>/overleg/<int:number>/reflectie/",
        chair.meeting_reflection,
        name="meeting_reflection",
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/aanwezigheid/",
        chair.meeting_attendance,
        name="meeting_attendance",
    ),
    path("crises/<int:pk>/overleg/<int:number>/volgende/", chair.meeting_next, name="meeting_next"),
    path(
        "crises/<int:pk>/overleg/<int:number>/sluiten/", chair.meeting_close, name="meeting_close"
    ),
    path(
        "crises/<int:pk>/overleg/<int:number>/kaart/",
        chair.meeting_card_tick,
        name="meeting_card_tick",
    ),
    path("crises/<int:pk>/overleg/<int:number>/regels/", log.entry_create, name="entry_create"),
    path("crises/<int:pk>/logboek/<int:seq>/corrigeren/", log.entry_correct, name="entry_correct"),
    path(
        "crises/<int:pk>/opdrachten/<int:assignment_pk>/controle/",
        log.assignment_check,
        name="assignment_check",
    ),
    path("crises/<int:pk>/besluitenlijst/", log.decision_list, name="decision_list"),
    path("crises/<int:pk>/logboek/tussendoor/", log.entry_between, name="entry_between"),
    path("crises/<int:pk>/taken/", cards.task_cards, name="task_cards"),
    path("crises/<int:pk>/mijn-logboek/", cards.personal_logbook, name="personal_logbook"),
    path(
        "crises/<int:pk>/mijn-logboek/<int:item_pk>/voorstellen/",
        cards.personal_item_propose,
        name="personal_item_propose",
    ),
    path(
        "crises/<int:pk>/voorstellen/<int:proposal_pk>/",
        cards.proposal_decide,
        name="proposal_decide",
    ),
    path("crises/<int:pk>/papier/", cards.paper_pack_crisis, name="paper_pack_crisis"),
    path(
        "organisaties/<int:org_pk>/papier/",
        cards.paper_pack_organisation,
        name="paper_pack_organisation",
    ),
    path("crises/<int:pk>/berichten/", desk.desk, name="desk"),
    path("crises/<int:pk>/berichten/nieuw/", desk.message_create, name="message_create"),
    path(
        "crises/<int:pk>/berichten/<int:message_seq>/",
        desk.message_detail,
        name="message_detail",
    ),
    path(
        "crises/<int:pk>/berichten/<int:message_seq>/afhandelen/",
        desk.message_handle,
        name="message_handle",
    ),
    path(
        "crises/<int:pk>/berichten/<int:message_seq>/logboek/",
        desk.message_to_log,
        name="message_to_log",
    ),
    path(
        "crises/<int:pk>/berichten/<int:message_seq>/doorsturen/",
        desk.message_route,
        name="message_route",
    ),
    path(
        "crises/<int:pk>/berichten/<int:message_seq>/goedkeuren/",
        desk.message_approve,
        name="message_approve",
    ),
    path(
        "crises/<int:pk>/berichten/<int:message_seq>/corrigeren/",
        desk.message_correct,
        name="message_correct",
    ),
    path("crises/<int:pk>/stakeholders/", stakeholders.stakeholders, name="stakeholders"),
    path(
        "crises/<int:pk>/stakeholders/toevoegen/",
        stakeholders.stakeholder_add,
        name="stakeholder_add",
    ),
    path(
        "crises/<int:pk>/stakeholders/<int:stakeholder_pk>/contact/",
        stakeholders.stakeholder_keeper,
        name="stakeholder_keeper",
    ),
    path(
        "crises/<int:pk>/stakeholders/<int:stakeholder_pk>/geinformeerd/",
        stakeholders.stakeholder_inform,
        name="stakeholder_inform",
    ),
    path(
        "crises/<int:pk>/stakeholders/schema/",
        stakeholders.stakeholder_scheme,
        name="stakeholder_scheme",
    ),
    path("crises/<int:pk>/archief/", archive.crisis_archive, name="crisis_archive"),
    path("live/<str:token>/", live.live_poll, name="live_poll"),
    path("live/<str:token>/stroom/", live.live_stream, name="live_stream"),
    # The wall screen: the chair's set-up, and the public pages of a paired wall computer.
    path("crises/<int:pk>/scherm/", wall.wall_setup, name="wall_setup"),
    path("crises/<int:pk>/scherm/weergave/", wall.wall_settings, name="wall_settings"),
    path("crises/<int:pk>/scherm/koppelen/", wall.wall_pair, name="wall_pair"),
    path(
        "crises/<int:pk>/scherm/<int:pairing_pk>/intrekken/",
        wall.wall_revoke,
        name="wall_revoke",
    ),
    path("scherm/", wall.wall_enter, name="wall_enter"),
    path("scherm/beeld/", wall.wall_screen, name="wall_screen"),
    path("scherm/live/<str:wall_token>/", wall.wall_live, name="wall_live"),
    path("scherm/live/<str:wall_token>/stroom/", wall.wall_stream, name="wall_stream"),
]
