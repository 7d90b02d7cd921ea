"""Faults in production: the database restarts, a save times out, a worker is killed, two
servers share the work. What a logger was told is saved must be in the log, once, in order.

Each test runs the production server (gunicorn, production settings) against the test
database of the PostgreSQL pass; see conftest.py.
"""

import http.client
import secrets
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

import pytest

from bench._server import Client, Response, Server
from meetings.chain import verify_chain
from meetings.models import Entry, Logbook

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HTMX = {"HX-Request": "true"}


def logged_in(server: Server, room, username: str) -> Client:
    client = Client(server.base_url, timeout=10)
    client.login(username, room.password)
    return client


def entry_data(token: str, text: str) -> dict:
    return {"client_token": token, "kind": "beeld", "text": text}


def save(client: Client, room, token: str, text: str) -> Response | None:
    """One save through the entry form as htmx sends it; None when it was not acknowledged."""
    try:
        response = client.post(room.entry_path, entry_data(token, text), headers=HTMX)
    except (OSError, http.client.HTTPException):
        return None
    return response if response.status == 200 else None


def save_until_acknowledged(client: Client, room, text: str, timeout: float = 15) -> tuple:
    """Save with one client token until acknowledged, as a logger pressing Enter again on the
    form still on screen would. Returns the token and how many attempts failed first."""
    token = str(uuid.uuid4())
    deadline = time.monotonic() + timeout
    failures = 0
    while save(client, room, token, text) is None:
        failures += 1
        assert time.monotonic() < deadline, f"{text!r} not acknowledged in {failures} attempts"
        time.sleep(0.2)
    return token, failures


def assert_log_holds(room, acknowledged: list[str]) -> None:
    """Every acknowledged save is in the log exactly once, numbered 1..N, the chain intact."""
    entries = list(Entry.objects.filter(crisis=room.crisis).order_by("seq"))
    counts = Counter(str(e.client_token) for e in entries)
    assert [t for t in acknowledged if counts[t] == 0] == [], "acknowledged, not in the log"
    assert [t for t, n in counts.items() if n > 1] == [], "in the log more than once"
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    last_seq = Logbook.objects.get(crisis=room.crisis).last_seq
    report = verify_chain(room.crisis.pk, entries, last_seq=last_seq)
    assert report.intact, report.reason


class Saver(threading.Thread):
    """A logger saving back to back until stopped, each save retried until acknowledged."""

    def __init__(self, client: Client, room, name: str):
        super().__init__(daemon=True)
        self.client, self.room, self.name = client, room, name
        self.acknowledged: list[str] = []
        self.failures = 0
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                text = f"{self.name} regel {len(self.acknowledged) + 1}"
                token, failures = save_until_acknowledged(self.client, self.room, text)
                self.acknowledged.append(token)
                self.failures += failures
        except BaseException as error:  # reported by stop(), in the test's thread
            self.error = error

    def stop(self) -> list[str]:
        self.stopping.set()
        self.join(30)
        assert not self.is_alive(), f"{self.name} did not finish its save"
        if self.error is not None:
            raise self.error
        return self.acknowledged

    def wait_for(self, count: int, timeout: float = 15) -> None:
        """Until ``count`` more saves are acknowledged from now on."""
        target = len(self.acknowledged) + count
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < target:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, f"{self.name}: no {count} saves in {timeout} s"
            time.sleep(0.05)


def test_the_app_recovers_when_the_database_restarts_mid_meeting(room, server, restart_postgres):
    """PostgreSQL restarts while a logger is saving: no server restart is needed, saves go on
    (a save caught in the restart succeeds when sent again) and none is lost."""
    logger = logged_in(server, room, room.loggers[0])
    before = [save_until_acknowledged(logger, room, f"voor de herstart {i}")[0] for i in range(3)]
    workers = server.worker_pids()
    saver = Saver(logged_in(server, room, room.loggers[1]), room, room.loggers[1])
    saver.start()
    saver.wait_for(2)
    restart_postgres()
    saver.wait_for(3)
    during = saver.stop()
    after = [save_until_acknowledged(logger, room, f"na de herstart {i}") for i in range(3)]

    assert [failures for _token, failures in after] == [0, 0, 0], "a save failed after recovery"
    assert server.worker_pids() == workers, "a worker died of the database restart"
    watcher = logged_in(server, room, room.watcher)
    assert watcher.get(room.meeting_path).status == 200
    assert_log_holds(room, before + during + [token for token, _failures in after])


def test_a_save_sent_again_after_a_timeout_is_recorded_once(room, server):
    """The answer never arrives (the connection is dropped, or the client gives up waiting);
    the same form is saved again. One entry, and the second save is acknowledged."""
    logger = logged_in(server, room, room.loggers[0])
    dropped, impatient = [], Client(server.base_url, timeout=0.001, cookies=logger.cookies)
    for i in range(3):
        token = str(uuid.uuid4())
        hang_up_after_sending(server, logger, room, token, f"verbinding weg {i}")
        assert save(logger, room, token, f"verbinding weg {i}") is not None
        dropped.append(token)
    for i in range(3):
        token = str(uuid.uuid4())
        with pytest.raises(TimeoutError):
            impatient.post(room.entry_path, entry_data(token, f"te ongeduldig {i}"), headers=HTMX)
        assert save(logger, room, token, f"te ongeduldig {i}") is not None
        dropped.append(token)
    time.sleep(0.5)  # let any abandoned request finish before counting

    assert_log_holds(room, dropped)
    assert Entry.objects.filter(crisis=room.crisis).count() == len(dropped)


def hang_up_after_sending(server: Server, client: Client, room, token: str, text: str) -> None:
    """Send the save as ``client`` would and close the connection without reading the answer."""
    conn = http.client.HTTPConnection(server.host, timeout=5)
    headers = {**client.headers("POST"), **HTMX}
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request("POST", room.entry_path, urlencode(entry_data(token, text)), headers)
    conn.close()


def test_a_worker_killed_mid_request_loses_no_acknowledged_save(room, start_server):
    """SIGKILL a worker while two loggers save back to back: gunicorn starts a new one, the
    saves go on, and every save a logger saw acknowledged is in the log exactly once."""
    server = start_server(workers=2)
    savers = [Saver(logged_in(server, room, name), room, name) for name in room.loggers]
    for saver in savers:
        saver.start()
    savers[0].wait_for(3)
    killed = []
    # Kill until a save was caught by it (a kept-alive connection or a request in flight died).
    for _attempt in range(3):
        killed.append(server.kill_worker())
        workers = server.wait_workers()
        for saver in savers:
            saver.wait_for(2)
        if sum(s.failures for s in savers) > 0:
            break
    acknowledged = [token for saver in savers for token in saver.stop()]

    assert sum(s.failures for s in savers) > 0, "no save was caught by a killed worker"
    assert not set(killed) & set(workers), "gunicorn did not replace the killed worker"
    assert_log_holds(room, acknowledged)
    seq_of = {str(t): s for t, s in Entry.objects.values_list("client_token", "seq")}
    for saver in savers:  # each logger's saves are numbered in the order it made them
        seqs = [seq_of[token] for token in saver.acknowledged]
        assert seqs == sorted(seqs)


def test_two_servers_show_one_meeting_consistently(room, start_server):
    """Two gunicorn masters on one database, as two nodes behind a load balancer: the page,
    the poll and the regions may each come from either, and agree."""
    secret_key = secrets.token_urlsafe(50)
    a = start_server(workers=1, secret_key=secret_key)
    b = start_server(workers=1, secret_key=secret_key)
    watcher_a = logged_in(a, room, room.watcher)
    watcher_b = Client(b.base_url, cookies=watcher_a.cookies)  # the same browser, other node
    page = watcher_a.get(room.meeting_path)
    poll_url = poller_url(page.text)
    assert watcher_b.get(poll_url, headers=HTMX).status == 204

    token, _failures = save_until_acknowledged(
        logged_in(a, room, room.loggers[0]), room, "Vanaf server A opgeslagen"
    )
    changed = watcher_b.get(poll_url, headers=HTMX)
    assert changed.status == 200
    assert "crisis-changed" in changed.header("HX-Trigger")
    log_b = watcher_b.get(f"{room.meeting_path}?region=log", headers=HTMX)
    assert log_b.status == 200 and "Vanaf server A opgeslagen" in log_b.text

    poll_url = poller_url(changed.text)
    save_until_acknowledged(logged_in(b, room, room.loggers[1]), room, "Vanaf server B opgeslagen")
    assert watcher_a.get(poll_url, headers=HTMX).status == 200
    log_a = watcher_a.get(f"{room.meeting_path}?region=log", headers=HTMX).text
    log_b = watcher_b.get(f"{room.meeting_path}?region=log", headers=HTMX).text
    assert log_a.index("Vanaf server B") < log_a.index("Vanaf server A")  # newest first
    assert log_a == log_b
    assert_log_holds(room, [token])


def poller_url(html: str) -> str:
    start = html.index('id="live-poller"')
    url = html[html.index('hx-get="', start) + len('hx-get="') :].split('"', 1)[0]
    return url.replace("&amp;", "&")
