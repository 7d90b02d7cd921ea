"""Login with throttling and a second step (authenticator code), and setting up that app.

These pages concern the account, not a crisis: they have no crisis access check. The login and
code pages are public; the set-up page needs a logged-in user.
"""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import auth
from .forms import ThrottledAuthenticationForm, TwoFactorCodeForm

# Session keys. PENDING: password right, code still to come (the user is not logged in yet).
PENDING = "crisisroom_2fa_pending"
VERIFIED = "crisisroom_2fa_verified"
CHECKED_AT = "crisisroom_2fa_checked_at"
SETUP_KEY = "crisisroom_2fa_setup"
PENDING_SECONDS = 5 * 60


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if auth.has_device(user):
            # Not logged in yet: only the code page may finish this login, within minutes.
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_redirect_url(),
                "at": time.time(),
            }
            return redirect("two_factor_verify")
        auth.login_succeeded(
            username=user.get_username(), address=auth.client_address(self.request)
        )
        return super().form_valid(form)


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login; also where a logged-in but unconfirmed session is sent."""
    pending = request.session.get(PENDING)
    if pending and time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("That took too long. Log in again."))
        return redirect("login")
    if pending:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    elif request.user.is_authenticated and auth.has_device(request.user):
        user = request.user
    else:
        user = None
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = TwoFactorCodeForm(request.POST or None)
    address = auth.client_address(request)
    if request.method == "POST" and form.is_valid():
        wait = auth.login_wait_minutes(username=user.get_username(), address=address)
        if wait:
            form.add_error(
                None,
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": wait},
            )
        elif auth.device_verify(user=user, code=form.cleaned_data["code"]):
            auth.login_succeeded(username=user.get_username(), address=address)
            next_url = pending["next"] if pending else request.GET.get("next")
            if pending:
                auth_login(request, user, backend=pending["backend"])
                request.session.pop(PENDING, None)
            request.session[VERIFIED] = True
            return redirect(_safe_next(request, next_url))
        else:
            auth.login_failed(username=user.get_username(), address=address)
            form.add_error("code", _("This code is not right, or was used already."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the code, type the six digits it shows."""
    has_device = auth.has_device(request.user)
    if has_device and not request.session.get(VERIFIED):
        # Replacing the app needs the current one first.
        return redirect("two_factor_verify")
    secret = request.session.get(SETUP_KEY)
    if not secret:
        secret = request.session[SETUP_KEY] = auth.totp_new_secret()
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if auth.device_confirm(user=request.user, secret=secret, code=form.cleaned_data["code"]):
            request.session.pop(SETUP_KEY, None)
            request.session[VERIFIED] = True
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect("crisis_list")
        form.add_error("code", _("This code is not right. Check the time on your phone."))
    uri = auth.totp_setup_uri(secret=secret, user=request.user)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": auth.totp_qr_svg(uri),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "has_device": has_device,
            "required": auth.two_factor_required(request.user),
        },
        status=422 if form.errors else 200,
    )
