"""Settings shared by every environment. Environment-specific modules import from here."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from crisisroom.env import env_str


def _map_tiles_url(name: str, default: str) -> str:
    """A tile URL template from the environment: unset is ``default``, empty is no tiles; any
    other value must be an http(s) URL with {z}, {x} and {y}, or the server does not start."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip()
    if value == "":
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, not {value!r}.")
    if "{" in parts.netloc:
        # The page allows exactly this origin for images; {s} would need a wildcard.
        raise ImproperlyConfigured(f"{name} must name one host, without {{s}}: {value!r}.")
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(f"{name} must contain {{z}}, {{x}} and {{y}}, not {value!r}.")
    return value


BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_htmx",
    "guardian",
    "template_partials",
    "crisisroom",
    # Before resilience: its demo_data command extends the cold phase's with the exercises.
    "exercises",
    # Before meetings: its demo_data command extends the meetings one with the cold phase.
    "resilience",
    "meetings",
    "formats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "crisisroom.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "crisisroom.middleware.ChosenLanguageMiddleware",
    "crisisroom.middleware.BadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crisisroom.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "crisisroom.urls"
WSGI_APPLICATION = "crisisroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {{ user|display_name }} in every template, without {% load %}.
            "builtins": ["crisisroom.templatetags.people"],
        },
    },
]
# {{ field.as_field_group }} renders templates/forms/field.html (crisisroom/renderers.py).
FORM_RENDERER = "crisisroom.renderers.FormRenderer"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# guardian's anonymous user is not needed: anonymous visitors never see a crisis.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Argon2id first (crisisroom/hashers.py says why these parameters); older hashes are upgraded
# at the next login.
PASSWORD_HASHERS = [
    "crisisroom.hashers.CrisisroomArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Trusted reverse proxies in front (their X-Forwarded-For names the client for throttling).
CRISISROOM_PROXY_COUNT = 0

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crisis_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | str | None = BASE_DIR / "staticfiles"  # production: DJANGO_STATIC_ROOT

# Each worker's own memory: only rendered regions keyed by the database's log revision live
# here (meetings/views/regions.py), so what a worker serves never depends on what it remembers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A working day and a night shift; the session ends when it is over, whatever happens.
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = True  # htmx reads no cookie: the token travels in hx-headers.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The map of the first 72 hours: background tiles (an XYZ template with {z}, {x}, {y}) and
# their attribution. By default the Dutch government's PDOK BRT-Achtergrondkaart in Web
# Mercator. CRISISROOM_MAP_TILES_URL set but empty means no background at all: points and
# district outlines on a plain ground, and no request leaves for a tile service. The map
# view adds the tile service's origin (never a wildcard) to its page's img-src.
CRISISROOM_MAP_TILES_URL = _map_tiles_url(
    "CRISISROOM_MAP_TILES_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)
CRISISROOM_MAP_TILES_ATTRIBUTION = env_str(
    "CRISISROOM_MAP_TILES_ATTRIBUTION", "Kaartgegevens © Kadaster"
)
