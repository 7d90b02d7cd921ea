import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from crisisroom.env import database_from_url, env_bool, env_list


def test_a_misspelt_boolean_stops_the_start(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "ja")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


def test_lists_are_split_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "crisis.example.nl, www.crisis.example.nl ,")
    assert env_list("HOSTS") == ["crisis.example.nl", "www.crisis.example.nl"]


def test_postgres_urls_become_django_settings():
    db = database_from_url("postgres://app:s%40cret@db.internal:5433/crisisroom")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "s@cret",
        "db.internal",
        "5433",
        "crisisroom",
    )


def test_sqlite_urls_become_django_settings():
    assert database_from_url("sqlite:////var/lib/crisis.db")["NAME"] == "/var/lib/crisis.db"
    assert database_from_url("sqlite:///:memory:")["NAME"] == ":memory:"


def test_an_unknown_database_is_refused():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x@y/z")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "crisis.example.nl")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        importlib.reload(importlib.import_module("crisisroom.settings.production"))
