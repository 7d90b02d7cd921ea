"""Local development and the demo served by ``make run``: SQLite, DEBUG on, loopback only."""

from crisisroom.env import database_from_url, env_bool, env_str

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = env_bool("DJANGO_DEBUG", True)
# A development key: this settings module only ever serves 127.0.0.1.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-crisisroom-key-not-for-production")  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}

# Static files straight from static/ (no collectstatic needed for the demo).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
