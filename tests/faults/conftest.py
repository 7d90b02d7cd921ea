"""The production server against the test database, and the faults done to it.

The tests here start ``gunicorn`` with the production settings (bench/_server.py) on the
pytest-django test database. Their data must be committed for the server to see it, so they
use transactional databases; every server is stopped before the database is flushed, or the
flush would wait on the server's connections.
"""

import os
import subprocess
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection, connections
from django.urls import reverse

from bench._server import Server
from crisisroom import services
from crisisroom.models import Crisis, Organisation
from crisisroom.roles import Role, TeamKind
from crisisroom.services import organisation_create
from meetings.services import meeting_start

PASSWORD = "een lang wachtwoord voor de proef"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A postgres test on another database fails before it starts: a skip would go unseen."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail(
            f"{item.nodeid} needs PostgreSQL, but the database is {connection.vendor}: "
            "run it through scripts/with-postgres",
            pytrace=False,
        )


@dataclass
class Room:
    """A GBT crisis with a running meeting, two loggers and a watcher, all with one password."""

    crisis: Crisis
    meeting_path: str
    entry_path: str
    loggers: list[str]
    watcher: str
    password: str = PASSWORD


@pytest.fixture
def room(transactional_db) -> Room:
    organisation = organisation_create(
        actor=None, name="Gemeente Storingsdorp", kind=Organisation.Kind.MUNICIPALITY
    )
    crisis = services.crisis_open(
        organisation=organisation,
        title="Uitval drinkwater Storingsdorp",
        team_kind=TeamKind.GBT,
        actor=None,
        staff_from_roster=False,
    )
    # The server hashes with Argon2, which the test settings leave out for speed.
    hasher = Argon2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    people = {}
    for username, role in (
        ("voorzitter", Role.TECHNICAL_CHAIR),
        ("logger1", Role.LOGGER),
        ("logger2", Role.LOGGER),
        ("kijker", Role.OBSERVER),
    ):
        user = get_user_model().objects.create(username=username, password=password)
        services.organisation_member_set(organisation=organisation, user=user, actor=None)
        services.membership_add(crisis=crisis, user=user, role=role, actor=None)
        people[username] = user
    meeting = meeting_start(crisis=crisis, actor=people["voorzitter"])
    args = [crisis.pk, meeting.number]
    return Room(
        crisis=crisis,
        meeting_path=reverse("meeting_detail", args=args),
        entry_path=reverse("entry_create", args=args),
        loggers=["logger1", "logger2"],
        watcher="kijker",
    )


@pytest.fixture
def database_url(transactional_db) -> str:
    """The test database (not the one DATABASE_URL names) as a URL for the server."""
    db = connection.settings_dict
    user = quote(db["USER"], safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def start_server(database_url):
    """Start production servers on the test database; all stop before the database is flushed."""
    servers = []

    def start(**options) -> Server:
        server = Server(database_url, **options)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server) -> Server:
    return start_server()


@pytest.fixture
def restart_postgres():
    """Restart the PostgreSQL server of scripts/with-postgres, as a fast (clean) shutdown.

    The test's own connection dies with it: it is closed here, so pytest-django's flush at
    teardown opens a fresh one.
    """
    pg_ctl = os.environ.get("CRISISROOM_PG_CTL")
    if not pg_ctl:
        pytest.fail("CRISISROOM_PG_CTL is not set: run the tests through scripts/with-postgres")
    as_user = os.environ.get("CRISISROOM_PG_USER", "")
    command = [
        *(["runuser", "-u", as_user, "--"] if as_user else []),
        *(pg_ctl, "-D", os.environ["CRISISROOM_PG_DATA"], "-l", os.environ["CRISISROOM_PG_LOG"]),
        *("-m", "fast", "-w", "-t", "30", "restart"),
    ]

    def restart() -> None:
        try:
            # The command is built from what scripts/with-postgres exported, not from input.
            subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603
        finally:
            connections.close_all()

    return restart
