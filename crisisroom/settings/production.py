"""Production: PostgreSQL from DATABASE_URL, behind an ASGI server (gunicorn.conf.py) and HTTPS.

Refuses to start without DJANGO_SECRET_KEY, DATABASE_URL and DJANGO_ALLOWED_HOSTS.
"""

from crisisroom.env import database_from_url, env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under an ASGI server each request runs on a thread of its own, where a persistent
    # connection would never be used again: each worker process keeps a pool instead, and a
    # request (or a stream's read) borrows a connection and gives it back when it is done. A
    # connection the database dropped (a restart) is checked and replaced before it is lent.
    # (CONN_HEALTH_CHECKS, set by database_from_url, makes Django's pool do that check.)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 2, "max_size": env_int("CRISISROOM_DB_POOL_SIZE", 8), "timeout": 10}
    }

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 12 * 60 * 60)
CRISISROOM_PROXY_COUNT = env_int("CRISISROOM_PROXY_COUNT", 1)

# collectstatic writes compressed, content-hashed files; WhiteNoise serves them from each
# worker with far-future cache headers, so no separate static server is needed.
STATIC_ROOT = env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
