"""Live by push across server processes and servers, in real Chromium with the fallback poll
switched off, so only the stream (and PostgreSQL's LISTEN/NOTIFY between the processes) can bring
what a screen shows.

Two meeting screens see each other's entries, the phase and the clock; a server restart
mid-meeting breaks every stream, and each screen reconnects and catches up with what was recorded
while it was away. Then the faults of the production server (gunicorn with uvicorn workers,
bench/_server.py): PostgreSQL restarted, a worker killed, two servers on one database. Every
screen ends up with every acknowledged entry, in order."""

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection

import pytest
from django.db import connection, connections
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from bench._server import LOGIN_PATH, ROOT, Client, Server, child_pids, free_port
from meetings import push, services
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.faults.test_faults import logged_in, save_until_acknowledged

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The poll, not the stream: /live/<token>/?r=…
POLL = re.compile(r"/live/[^/]+/\?r=")
# The refresh of the phase and clock: /crises/<pk>/overleg/<n>/?region=status
STATUS_REGION = re.compile(r"[?&]region=status")
# The stream: /live/<token>/stroom/?r=…
STREAM = re.compile(r"/live/[^/]+/stroom/")
# Every state the screen's live mark takes, in order, in window.liveStates: a reconnect that
# already ended is still seen.
RECORD_LIVE_STATES = """
document.addEventListener("DOMContentLoaded", () => {
  const mark = document.querySelector("[data-live-status]");
  if (!mark) { return; }
  window.liveStates = [mark.dataset.state];
  new MutationObserver(() => window.liveStates.push(mark.dataset.state))
    .observe(mark, { attributes: true, attributeFilter: ["data-state"] });
});
"""


class AsgiServer:
    """uvicorn with two worker processes on the test database, as ``make run`` serves (the
    development settings: plain HTTP on 127.0.0.1)."""

    def __init__(self, database_url: str, workers: int = 2):
        self.database_url, self.workers = database_url, workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="crisisroom.settings.dev",
            DATABASE_URL=self.database_url,
            PYTHONUNBUFFERED="1",
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [
                *(sys.executable, "-m", "uvicorn", "crisisroom.asgi:application"),
                *("--host", "127.0.0.1", "--port", str(self.port)),
                *("--workers", str(self.workers), "--lifespan", "off"),
                *("--timeout-graceful-shutdown", "1", "--no-access-log"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                connection = HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", LOGIN_PATH)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("uvicorn did not answer within 30 s")

    def stop(self) -> None:
        """Until the supervisor and its workers are gone, with their database connections."""
        if self.process is None:
            return
        workers = child_pids(self.process.pid)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        deadline = time.monotonic() + 10
        while any(pid in child_pids(self.process.pid) or _alive(pid) for pid in workers):
            if time.monotonic() > deadline:
                for pid in workers:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        self.process = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Screen:
    """A meeting screen in its own browser context, its poll switched off (every poll it tries
    is refused and counted)."""

    page: Page
    polls: list[str]

    @property
    def log(self) -> Locator:
        return self.page.locator("#region-log")

    @property
    def status(self) -> Locator:
        return self.page.locator("[data-live-status]")

    def states(self) -> list[str]:
        """Every state the live mark took since the page loaded."""
        return self.page.evaluate("window.liveStates")

    def expect_entries(self, texts: list[str], timeout: float) -> None:
        """Exactly these entries and no other, newest first as the log shows them."""
        entries = self.page.locator("#region-log li.entry .entry-text")
        expect(entries).to_have_text(list(reversed(texts)), timeout=timeout)

    def record(self, text: str) -> None:
        """Type an entry in the console's form and press Enter, as the logger does."""
        field = self.page.locator("[data-entry-form] [data-enter-submits]")
        field.fill(text)
        field.press("Enter")


@contextlib.contextmanager
def _chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_screen(browser: Browser, **context_options) -> Screen:
    context = browser.new_context(locale="nl-NL", **context_options)
    context.add_init_script(RECORD_LIVE_STATES)
    page = context.new_page()
    polls: list[str] = []

    def refuse_poll(route) -> None:  # the fallback poll switched off
        polls.append(route.request.url)
        route.abort()

    page.route(POLL, refuse_poll)
    return Screen(page, polls)


def _open_meeting(screen: Screen, base_url: str, room) -> Screen:
    screen.page.goto(base_url + room.meeting_path)
    expect(screen.status).to_have_attribute("data-state", "live")
    return screen


def _screen(browser: Browser, server: AsgiServer, room, username: str) -> Screen:
    """A member's meeting screen on the development server, logged in through the form."""
    screen = _new_screen(browser)
    page = screen.page
    page.goto(server.base_url + LOGIN_PATH)
    page.fill("#id_username", username)
    page.fill("#id_password", room.password)
    page.click("button[type=submit]")
    page.wait_for_url(server.base_url + "/")
    return _open_meeting(screen, server.base_url, room)


def _production_screen(browser: Browser, server: Server, room, username: str) -> Screen:
    """A member's meeting screen on the production server, behind the TLS proxy production
    expects (its header on every request). These screens only watch: the login is a Client's,
    whose session cookie the browser then sends."""
    client = logged_in(server, room, username)
    screen = _new_screen(browser, extra_http_headers={"X-Forwarded-Proto": "https"})
    screen.page.context.add_cookies(
        [
            {"name": name, "value": value, "url": server.base_url}
            for name, value in client.cookies.items()
        ]
    )
    client.close()
    return _open_meeting(screen, server.base_url, room)


@pytest.fixture
def start_production(start_server):
    """conftest's start_server, and at the end, once every server stopped, until PostgreSQL has
    ended their sessions too.

    Inside Chromium's block this thread runs an event loop, and Django keeps its connection
    there apart from the one opened outside (by the fixtures): a database restarted in the
    block leaves that one dead, so it is closed here before the database is used again."""
    started: list[Server] = []

    def start(**options) -> Server:
        server = start_server(**options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    connections.close_all()
    _until_the_server_s_sessions_are_gone()


class PacedLogger(threading.Thread):
    """A logger saving a numbered line a few times a second until stopped, each save sent
    again until acknowledged. Keeps the texts of the acknowledged saves, in order."""

    def __init__(self, client: Client, room, prefix: str):
        super().__init__(daemon=True)
        self.client, self.room, self.prefix = client, room, prefix
        self.acknowledged: list[str] = []
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                text = f"{self.prefix} {len(self.acknowledged) + 1}"
                save_until_acknowledged(self.client, self.room, text, timeout=30)
                self.acknowledged.append(text)
                self.stopping.wait(0.25)
        except BaseException as error:  # reported by stop(), in the test's thread
            self.error = error

    def wait_for(self, count: int, timeout: float = 30) -> None:
        """Until ``count`` more saves are acknowledged from now on."""
        target = len(self.acknowledged) + count
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < target:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, f"{self.prefix}: no {count} saves in {timeout} s"
            time.sleep(0.05)

    def stop(self) -> list[str]:
        self.stopping.set()
        self.join(40)
        assert not self.is_alive(), f"{self.prefix}: the last save did not finish"
        if self.error is not None:
            raise self.error
        return self.acknowledged


def test_two_screens_see_each_other_s_entries_the_phase_and_the_clock_by_push_alone(
    room, database_url
):
    """The chair's console and the logger's, on two worker processes, poll off: each sees what
    the other records, and the logger sees the chair move to the next phase and its clock
    start again; while the streams are open neither screen even tries to poll."""
    server = AsgiServer(database_url)
    server.start()
    try:
        with _chromium() as browser:
            chair = _screen(browser, server, room, "voorzitter")
            logger = _screen(browser, server, room, room.loggers[0])
            # Both streams are open: from here on a poll would mean a screen fell back to it.
            for screen in (chair, logger):
                screen.polls.clear()

            logger.record("Drinkwater afgesloten in de wijk Oost")
            expect(chair.log).to_contain_text("Drinkwater afgesloten in de wijk Oost")
            chair.record("Noodwater uitdelen bij het gemeentehuis")
            expect(logger.log).to_contain_text("Noodwater uitdelen bij het gemeentehuis")

            clock = logger.page.locator("#region-status [data-clock]")
            # In the first phase its clock runs from the meeting's start: both read the same.
            phase_clock, meeting_clock = _clock_reading(clock)
            assert phase_clock == meeting_clock
            chair_clock = chair.page.locator("#region-status [data-clock]")
            started = chair_clock.get_attribute("data-phase-start")
            chair.page.locator(".phase-bar button", has_text="Oordeelsvorming").click()
            expect(chair_clock).not_to_have_attribute("data-phase-start", started)
            phase_started = chair_clock.get_attribute("data-phase-start")

            phase = logger.page.locator("#region-status [data-phase]")
            expect(phase).to_have_attribute("data-phase", "oordeelsvorming")
            expect(phase).to_have_text("Oordeelsvorming")
            expect(clock).to_have_attribute("data-phase-start", phase_started)
            # The swapped clock has ticked once (its offset to the server's time is set).
            expect(clock).to_have_attribute("data-offset", re.compile(r"."))
            phase_clock, meeting_clock = _clock_reading(clock)
            assert phase_clock < meeting_clock, "the phase clock did not start again"

            for screen in (chair, logger):
                expect(screen.status).to_have_attribute("data-state", "live")
                assert screen.polls == [], "a screen polled while its stream was open"
    finally:
        server.stop()
        _until_the_server_s_sessions_are_gone()


def _clock_reading(clock: Locator) -> tuple[str, str]:
    """The phase clock and the meeting clock as shown (mm:ss), read in one go."""
    return tuple(
        clock.evaluate(
            "c => [c.querySelector('[data-clock-phase]').textContent,"
            " c.querySelector('[data-clock-meeting]').textContent]"
        )
    )


def test_screens_on_two_processes_catch_up_after_a_server_restart(room, database_url):
    """A server restart mid-meeting breaks every stream: each screen says it is reconnecting,
    comes back by itself and catches up with the entry recorded while it was away. A refresh
    that fails is tried again."""
    server = AsgiServer(database_url)
    server.start()
    try:
        with _chromium() as browser:
            watcher = _screen(browser, server, room, room.watcher)
            chair = _screen(browser, server, room, "voorzitter")
            for n in range(1, 4):  # several, so both worker processes serve some of them
                chair.record(f"Melding {n} via de stroom")
                expect(watcher.log).to_contain_text(f"Melding {n} via de stroom")

            server.stop()  # every stream breaks
            expect(watcher.status).to_have_attribute("data-state", "reconnecting")
            # Recorded while the screens were away (by the service: the server is down), on a
            # thread of its own with its own connection, closed after.
            recorder = threading.Thread(target=_record_while_away, args=(room,))
            recorder.start()
            recorder.join()
            server.start()
            texts = [f"Melding {n} via de stroom" for n in range(1, 4)]
            texts.append("Gemist tijdens de herstart")
            for screen in (watcher, chair):
                screen.expect_entries(texts, timeout=15000)
                expect(screen.status).to_have_attribute("data-state", "live")

            # The watcher's refresh of the phase after the chair moves on fails (the connection
            # lost mid-request) and is tried again: the screen already took the new revision,
            # and no later event would bring what it missed.
            failed: list[str] = []

            def fail_once(route) -> None:
                if failed:
                    route.continue_()
                else:
                    failed.append(route.request.url)
                    route.abort()

            watcher.page.route(STATUS_REGION, fail_once)
            chair.page.locator(".phase-bar button", has_text="Oordeelsvorming").click()
            phase = watcher.page.locator("#region-status [data-phase]")
            expect(phase).to_have_attribute("data-phase", "oordeelsvorming", timeout=15000)
            assert failed, "the phase was not fetched"
    finally:
        server.stop()
        _until_the_server_s_sessions_are_gone()


def _record_while_away(room) -> None:
    try:
        services.entry_record(
            crisis=room.crisis,
            meeting=room.crisis.meetings.get(),
            actor=room.crisis.memberships.get(role="logger", user__username="logger2").user,
            kind="beeld",
            text="Gemist tijdens de herstart",
            client_token=uuid.uuid4(),
        )
    finally:
        connection.close()


def test_every_screen_gets_every_acknowledged_entry_in_order_across_a_database_restart(
    room, start_production, restart_postgres
):
    """PostgreSQL restarts while a logger saves: every listening connection dies with it. The
    production server's workers listen again by themselves, and both screens, poll off, end up
    with every acknowledged entry (before, during and after the restart) in order."""
    server = start_production()
    with _chromium() as browser:
        screens = [_production_screen(browser, server, room, n) for n in ("kijker", "voorzitter")]
        logger = logged_in(server, room, room.loggers[0])
        texts = ["Voor de herstart van de database"]
        save_until_acknowledged(logger, room, texts[0])
        for screen in screens:
            screen.expect_entries(texts, timeout=5000)

        listening = _listening_sessions()
        assert listening >= 1, "no worker listens for news"

        during = PacedLogger(logged_in(server, room, room.loggers[1]), room, "Tijdens de herstart")
        during.start()
        during.wait_for(1)
        restart_postgres()
        during.wait_for(2)
        texts += during.stop()
        # The workers listen again by themselves; what is saved now comes by their NOTIFY.
        _until_listening(listening)
        for n in (1, 2):
            texts.append(f"Na de herstart {n}")
            save_until_acknowledged(logger, room, texts[-1])

        for screen in screens:
            screen.expect_entries(texts, timeout=30000)
            expect(screen.status).to_have_attribute("data-state", "live")


def _listening_sessions() -> int:
    """How many server processes listen for news (meetings/push.py), as PostgreSQL sees it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query = %s",
                [f"LISTEN {push.CHANNEL}"],
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()  # opened inside Chromium's block (see start_production)


def _until_listening(count: int, timeout: float = 20) -> None:
    """Until at least ``count`` processes listen (more, if a stream moved to another worker)."""
    deadline = time.monotonic() + timeout
    while (listening := _listening_sessions()) < count:
        assert time.monotonic() < deadline, f"{listening} of {count} listening after {timeout} s"
        time.sleep(0.1)


def test_screens_on_a_killed_worker_reconnect_and_catch_up(room, start_production):
    """Each of the two workers is killed in turn (SIGKILL, as an OOM kill) with three screens
    open, poll off, so every screen loses its stream once. Its stream is held off until an entry
    is recorded meanwhile; then every screen reconnects and shows every acknowledged entry, in
    order."""
    server = start_production(workers=2)
    with _chromium() as browser:
        screens = [
            _production_screen(browser, server, room, name)
            for name in ("kijker", "voorzitter", room.loggers[0])
        ]
        logger = logged_in(server, room, room.loggers[1])
        texts = ["Voor de uitval"]
        save_until_acknowledged(logger, room, texts[0])
        for screen in screens:
            screen.expect_entries(texts, timeout=5000)

        for n, pid in enumerate(server.worker_pids(), 1):
            for screen in screens:  # a screen whose stream breaks cannot come back yet
                screen.page.route(STREAM, lambda route: route.abort())
            server.kill_worker(pid)
            texts.append(f"Vastgelegd terwijl werker {n} weg was")
            save_until_acknowledged(logger, room, texts[-1])
            for screen in screens:
                screen.page.unroute(STREAM)
            server.wait_workers()
            for screen in screens:
                screen.expect_entries(texts, timeout=20000)
                expect(screen.status).to_have_attribute("data-state", "live")

        # Every stream was held by one of the two workers killed: every screen reconnected.
        for screen in screens:
            assert "reconnecting" in screen.states()


def test_screens_on_two_servers_see_each_other_s_entries_by_push(room, start_production):
    """Two servers on one database, as two nodes behind a load balancer, one screen on each,
    poll off: what is saved on one server reaches the screen on the other by PostgreSQL's
    NOTIFY, in order, and neither screen ever tries to poll."""
    secret_key = secrets.token_urlsafe(50)
    servers = [start_production(workers=1, secret_key=secret_key) for _ in "ab"]
    with _chromium() as browser:
        screens = [
            _production_screen(browser, server, room, name)
            for server, name in zip(servers, ("kijker", "voorzitter"), strict=True)
        ]
        for screen in screens:
            screen.polls.clear()
        loggers = [
            logged_in(server, room, name)
            for server, name in zip(servers, room.loggers, strict=True)
        ]
        texts: list[str] = []
        for n in (1, 2):
            for here, there, name in ((0, 1, "A"), (1, 0, "B")):
                texts.append(f"Op server {name} opgeslagen, {n}")
                save_until_acknowledged(loggers[here], room, texts[-1])
                expect(screens[there].log).to_contain_text(texts[-1])
        for screen in screens:
            screen.expect_entries(texts, timeout=5000)
            expect(screen.status).to_have_attribute("data-state", "live")
            assert screen.polls == [], "a screen polled while its stream was open"


def _until_the_server_s_sessions_are_gone(timeout: float = 10) -> None:
    """PostgreSQL ends a dead process's sessions a moment after it dies; the test database can
    only be flushed and dropped once they are gone."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
