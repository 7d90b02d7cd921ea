"""Live by push across server processes: two meeting screens on an ASGI server with two worker
processes see each other's entries with the fallback poll switched off, so only the stream (and
PostgreSQL's LISTEN/NOTIFY between the processes) can bring them; a server restart mid-meeting
breaks every stream, and each screen reconnects and catches up with what was recorded while it
was away."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection

import pytest
from django.db import connection
from playwright.sync_api import expect, sync_playwright

from bench._server import LOGIN_PATH, ROOT, child_pids, free_port
from meetings import services
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The poll, not the stream: /live/<token>/?r=…
POLL = re.compile(r"/live/[^/]+/\?r=")


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


def _screen(browser, server: AsgiServer, room, username: str):
    page = browser.new_context(locale="nl-NL").new_page()
    page.route(POLL, lambda route: route.abort())  # the fallback poll switched off
    page.goto(server.base_url + LOGIN_PATH)
    page.fill("#id_username", username)
    page.fill("#id_password", room.password)
    page.click("button[type=submit]")
    page.wait_for_url(server.base_url + "/")
    page.goto(server.base_url + room.meeting_path)
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    return page


def test_screens_on_two_processes_see_each_other_by_push_and_catch_up_after_a_restart(
    room, database_url
):
    server = AsgiServer(database_url)
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            watcher = _screen(browser, server, room, room.watcher)
            logger = _screen(browser, server, room, room.loggers[0])
            log = watcher.locator("#region-log")
            for n in range(1, 4):  # several, so both worker processes serve some of them
                logger.locator("textarea[name=text]").fill(f"Melding {n} via de stroom")
                logger.locator("textarea[name=text]").press("Enter")
                expect(log).to_contain_text(f"Melding {n} via de stroom", timeout=5000)

            server.stop()  # every stream breaks
            expect(watcher.locator("[data-live-status]")).to_have_attribute(
                "data-state", "reconnecting"
            )
            # Recorded while the screens were away (by the service: the server is down), on a
            # thread of its own with its own connection, closed after.
            recorder = threading.Thread(target=_record_while_away, args=(room,))
            recorder.start()
            recorder.join()
            server.start()
            expect(log).to_contain_text("Gemist tijdens de herstart", timeout=15000)
            expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
            for n in range(1, 4):
                expect(log).to_contain_text(f"Melding {n} via de stroom")
            browser.close()
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
