from django.urls import path

from . import views

urlpatterns = [
    path("crises/<int:pk>/analyse/", views.analysis_page, name="analysis_page"),
    path("crises/<int:pk>/analyse/concept/", views.analysis_save, name="analysis_save"),
    path(
        "crises/<int:pk>/analyse/overdragen/", views.analysis_hand_over, name="analysis_hand_over"
    ),
    path(
        "crises/<int:pk>/analyse/versies/<int:number>/pdf/",
        views.analysis_pdf,
        name="analysis_pdf",
    ),
    path("crises/<int:pk>/analyse/verschil/", views.analysis_diff, name="analysis_diff"),
    path("crises/<int:pk>/analyse/delen/", views.analysis_sharing, name="analysis_sharing"),
    path("crises/<int:pk>/analyse/delen/nieuw/", views.analysis_share, name="analysis_share"),
    path(
        "crises/<int:pk>/analyse/delen/<int:share_pk>/intrekken/",
        views.analysis_share_revoke,
        name="analysis_share_revoke",
    ),
    path("organisaties/<int:org_pk>/format/", views.format_edit, name="format_edit"),
    path("organisaties/<int:org_pk>/kaarten/", views.cards_edit, name="cards_edit"),
]
