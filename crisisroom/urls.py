from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import account_views, views

urlpatterns = [
    path("", views.crisis_list, name="crisis_list"),
    path("crises/<int:pk>/", views.crisis_home, name="crisis_home"),
    path("crises/<int:pk>/team/", views.crisis_team, name="crisis_team"),
    path("crises/<int:pk>/team/add/", views.crisis_member_add, name="crisis_member_add"),
    path(
        "crises/<int:pk>/team/<int:membership_pk>/end/",
        views.crisis_member_end,
        name="crisis_member_end",
    ),
    path(
        "crises/<int:pk>/team/<int:membership_pk>/beschikbaar/",
        views.crisis_member_availability,
        name="crisis_member_availability",
    ),
    path(
        "crises/<int:pk>/team/<int:membership_pk>/plaatsvervanger/",
        views.crisis_call_deputy,
        name="crisis_call_deputy",
    ),
    path("crises/<int:pk>/audit/", views.crisis_audit, name="crisis_audit"),
    path("crises/<int:pk>/start/", views.crisis_start, name="crisis_start"),
    path("", include("meetings.urls")),
    path("", include("formats.urls")),
    path("", include("resilience.urls")),
    path("", include("exercises.urls")),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/code/", account_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/tweestaps/", account_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # One way in: the admin's own login form would skip throttling and the code step.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
]
