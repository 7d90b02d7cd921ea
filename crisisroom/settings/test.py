"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL names one."""

from crisisroom.env import database_from_url, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-crisisroom-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///:memory:"))}
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Hashing with the real hasher makes every login in the suite slow and tests nothing extra.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
