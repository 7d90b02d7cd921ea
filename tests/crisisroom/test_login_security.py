"""Logging in: throttling, two-factor authentication (TOTP), session and cookie settings."""

import time

import pyotp
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from crisisroom import services
from crisisroom.account_views import SETUP_KEY
from crisisroom.auth import MAX_FAILURES_PER_USERNAME
from crisisroom.models import AuditEvent, LoginFailure, OrganisationMember, TwoFactorDevice
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _post_login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _code(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset_steps * totp.interval)


def _with_device(user) -> str:
    secret = pyotp.random_base32()
    TwoFactorDevice.objects.create(user=user, secret=secret)
    return secret


# -- throttling --------------------------------------------------------------------------------


def test_a_right_password_logs_in_and_lands_on_my_crises(world):
    response = _post_login(Client(), world.chair.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("crisis_list")


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(world):
    client = Client()
    for _ in range(MAX_FAILURES_PER_USERNAME):
        assert _post_login(client, world.chair.username, "wrong").status_code == 200
    response = _post_login(client, world.chair.username)
    assert response.status_code == 200
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_counts_per_account_and_is_shared_by_all_workers(world):
    for _ in range(MAX_FAILURES_PER_USERNAME):
        _post_login(Client(), world.chair.username.upper(), "wrong")
    # Kept in the database: a fresh client (another worker) sees the same count.
    assert LoginFailure.objects.filter(username=world.chair.username.lower()).count() == 5
    assert _post_login(Client(), world.chair.username).status_code == 200
    assert _post_login(Client(), world.mayor.username).status_code == 302


def test_throttling_ends_after_the_window(world):
    for _ in range(MAX_FAILURES_PER_USERNAME):
        _post_login(Client(), world.chair.username, "wrong")
    LoginFailure.objects.update(at=LoginFailure.objects.first().at - settings_window())
    assert _post_login(Client(), world.chair.username).status_code == 302


def settings_window():
    from crisisroom.auth import THROTTLE_WINDOW

    return THROTTLE_WINDOW


def test_a_successful_login_clears_earlier_failures(world):
    _post_login(Client(), world.chair.username, "wrong")
    _post_login(Client(), world.chair.username)
    assert not LoginFailure.objects.filter(username=world.chair.username).exists()


def test_the_admin_login_form_is_not_a_way_around(world):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


# -- two-factor authentication -----------------------------------------------------------------


def test_with_an_app_the_password_alone_does_not_log_in(world):
    secret = _with_device(world.chair)
    client = Client()
    response = _post_login(client, world.chair.username)
    assert response["Location"] == reverse("two_factor_verify")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("crisis_list")).status_code == 302  # still anonymous
    response = client.post(reverse("two_factor_verify"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.chair.pk)
    assert client.get(reverse("crisis_list")).status_code == 200


def test_a_wrong_code_is_refused_and_counts_as_a_failure(world):
    _with_device(world.chair)
    client = Client()
    _post_login(client, world.chair.username)
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username=world.chair.username).count() == 1


def test_a_code_works_only_once(world):
    secret = _with_device(world.chair)
    code = _code(secret)
    first = Client()
    _post_login(first, world.chair.username)
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    second = Client()
    _post_login(second, world.chair.username)
    assert second.post(reverse("two_factor_verify"), {"code": code}).status_code == 422


def test_the_code_page_returns_to_where_the_user_was_going(world):
    secret = _with_device(world.chair)
    client = Client()
    target = reverse("crisis_home", args=[world.crisis_a.pk])
    client.post(LOGIN, {"username": world.chair.username, "password": PASSWORD, "next": target})
    response = client.post(reverse("two_factor_verify"), {"code": _code(secret)})
    assert response["Location"] == target


def test_the_code_page_refuses_an_offsite_next(world):
    secret = _with_device(world.chair)
    client = Client()
    client.post(
        LOGIN,
        {"username": world.chair.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    response = client.post(reverse("two_factor_verify"), {"code": _code(secret)})
    assert response["Location"] in ("/", reverse("crisis_list"))


def test_the_code_page_without_a_pending_login_goes_to_login(db):
    assert Client().get(reverse("two_factor_verify"))["Location"] == reverse("login")


def test_a_session_that_skipped_the_code_is_sent_to_the_code_page(world):
    _with_device(world.chair)
    client = Client()
    client.force_login(world.chair)  # e.g. a session from before the app was set up
    response = client.get(reverse("crisis_home", args=[world.crisis_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_an_organisation_that_requires_it_sends_members_to_set_up(world):
    world.org_a.require_two_factor = True
    world.org_a.save()
    client = Client()
    assert _post_login(client, world.logger.username).status_code == 302
    response = client.get(reverse("crisis_list"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = client.session[SETUP_KEY]
    wrong = client.post(reverse("two_factor_setup"), {"code": "123456"})
    assert wrong.status_code == 422
    done = client.post(reverse("two_factor_setup"), {"code": _code(secret)})
    assert done["Location"] == reverse("crisis_list")
    assert TwoFactorDevice.objects.get(user=world.logger).secret == secret
    assert client.get(reverse("crisis_list")).status_code == 200


def test_members_of_other_organisations_are_not_asked(world):
    world.org_a.require_two_factor = True
    world.org_a.save()
    client = Client()
    _post_login(client, world.outsider.username)
    assert client.get(reverse("crisis_list")).status_code == 200


def test_htmx_requests_are_redirected_by_header(world):
    world.org_a.require_two_factor = True
    world.org_a.save()
    client = Client()
    client.force_login(world.logger)
    response = client.get(reverse("crisis_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200  # django-htmx's client redirect: htmx reloads the page
    assert "Location" not in response
    assert response["HX-Redirect"].startswith(reverse("two_factor_setup"))


def test_replacing_the_app_needs_the_current_code_first(world):
    _with_device(world.chair)
    client = Client()
    client.force_login(world.chair)
    assert client.get(reverse("two_factor_setup"))["Location"] == reverse("two_factor_verify")


def test_an_administrator_resets_a_lost_app_and_it_is_recorded(world):
    _with_device(world.logger)
    member = OrganisationMember.objects.get(organisation=world.org_a, user=world.logger)
    removed = services.two_factor_reset(
        organisation=member.organisation, user=world.logger, actor=world.org_admin
    )
    assert removed == 1
    assert not TwoFactorDevice.objects.filter(user=world.logger).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.TWO_FACTOR_RESET, subject=world.logger
    ).exists()


# -- settings that protect the session ---------------------------------------------------------


def test_passwords_are_hashed_with_argon2_and_need_twelve_characters():
    from crisisroom.hashers import CrisisroomArgon2PasswordHasher
    from crisisroom.settings import base

    assert base.PASSWORD_HASHERS[0] == "crisisroom.hashers.CrisisroomArgon2PasswordHasher"
    encoded = CrisisroomArgon2PasswordHasher().encode("correct horse battery", "saltsaltsalt")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert CrisisroomArgon2PasswordHasher().verify("correct horse battery", encoded)
    lengths = [v for v in base.AUTH_PASSWORD_VALIDATORS if "MinimumLength" in v["NAME"]]
    assert lengths[0]["OPTIONS"]["min_length"] == 12


def test_sessions_expire_and_cookies_are_not_readable_by_script():
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


@pytest.mark.parametrize("url", [LOGIN, "/"])
def test_pages_carry_a_csp_without_inline_script_and_refuse_frames(world, url):
    client = Client()
    client.force_login(world.chair)
    response = client.get(url, follow=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def test_a_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": world.chair.username, "password": PASSWORD})
    assert response.status_code == 403


def test_an_administrator_cannot_reset_the_app_of_someone_in_another_organisation(world):
    _with_device(world.outsider)  # member of organisation B
    services.organisation_member_set(organisation=world.org_a, user=world.outsider, actor=None)
    with pytest.raises(ValidationError, match="niet beheert"):
        services.two_factor_reset(
            organisation=world.org_a, user=world.outsider, actor=world.org_admin
        )
    assert TwoFactorDevice.objects.filter(user=world.outsider).exists()


def test_a_strangers_wrong_guesses_do_not_lock_out_the_mayor(world):
    for _ in range(MAX_FAILURES_PER_USERNAME):
        _post_login(Client(REMOTE_ADDR="203.0.113.9"), world.mayor.username, "wrong")
    assert _post_login(Client(REMOTE_ADDR="203.0.113.9"), world.mayor.username).status_code == 200
    assert _post_login(Client(REMOTE_ADDR="198.51.100.7"), world.mayor.username).status_code == 302


def test_a_pending_login_expires(world, monkeypatch):
    from crisisroom import account_views

    secret = _with_device(world.chair)
    client = Client()
    _post_login(client, world.chair.username)
    monkeypatch.setattr(account_views, "PENDING_SECONDS", -1)
    response = client.post(reverse("two_factor_verify"), {"code": _code(secret)})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
