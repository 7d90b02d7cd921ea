"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL names one."""

import os
import tempfile
from pathlib import Path

from crisisroom.env import database_from_url, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-crisisroom-key"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///:memory:"))}
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A real file, not shared-cache memory: concurrent writers in the tests then meet SQLite's
    # real locking (and its busy timeout), as they would in `make run`.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"crisisroom-test-{os.getpid()}.sqlite3")
    }

# Hashing with the real hasher makes every login in the suite slow and tests nothing extra.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tiles from an address that never answers (the discard port): the map's tests see the offline
# fallback and never reach the internet.
CRISISROOM_MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
