import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from . import account_views, auth


class ChosenLanguageMiddleware:
    """Dutch unless the user chose another language with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a municipal
    laptop set to English must still show the mayor the Dutch words of the crisis organisation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """A Content Security Policy without inline script, and a few headers Django does not set.

    Every script and style comes from our own origin; no inline ``<script>``, no ``on…``
    attributes, no ``eval`` (htmx runs with ``allowEval`` off). Frames are refused twice:
    ``frame-ancestors`` here and X-Frame-Options from Django's clickjacking middleware.
    """

    POLICY = "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class TwoFactorMiddleware:
    """Sends a logged-in session that still owes its authenticator code to the code page, and
    a member of an organisation that requires two-factor authentication to the set-up page.

    A session confirmed with a code is never checked again. A session without an app is
    re-checked every few minutes, so an organisation switching the requirement on reaches
    everyone within that time, without a query on every request.
    """

    RECHECK_SECONDS = 300
    # Live polls carry their own signed token and never read the session.
    EXEMPT_PREFIXES = ("/live/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._exempt: set[str] | None = None

    def exempt_paths(self) -> set[str]:
        if self._exempt is None:
            names = ("login", "logout", "two_factor_verify", "two_factor_setup")
            self._exempt = {reverse(name) for name in names}
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            path.startswith(self.EXEMPT_PREFIXES)
            or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            or path in self.exempt_paths()
        ):
            return self.get_response(request)
        target = self.owed_step(request)
        if target is not None:
            url = reverse(target) + "?" + urlencode({"next": request.get_full_path()[:1000]})
            if request.headers.get("HX-Request"):
                return HttpResponseClientRedirect(url)  # htmx follows it with a full page load
            return HttpResponseRedirect(url)
        return self.get_response(request)

    def owed_step(self, request: HttpRequest) -> str | None:
        session = request.session
        if session.get(account_views.VERIFIED) or not request.user.is_authenticated:
            return None
        if time.time() - session.get(account_views.CHECKED_AT, 0) < self.RECHECK_SECONDS:
            return None
        if auth.has_device(request.user):
            return "two_factor_verify"
        if auth.two_factor_required(request.user):
            return "two_factor_setup"
        session[account_views.CHECKED_AT] = time.time()
        return None


class BadInputMiddleware:
    """Refuses a form post whose body is in a character set that is not one (``charset=rot13``):
    Django would fail decoding it deep inside the view. 400, never 500. NUL characters are the
    forms' business (a field error); text that skips a form goes through ``refuse_nul``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - decoding is the check
            except (LookupError, UnicodeDecodeError, ValueError):
                from django.utils.translation import gettext as _

                return HttpResponseBadRequest(
                    _("This form could not be read. Reload the page and try again."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
