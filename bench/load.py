"""Fifty screens and two loggers in one meeting, against the production setup on PostgreSQL.

    scripts/with-postgres .venv/bin/python -m bench.load [--seconds 120] [--mode push|poll]
    scripts/with-postgres .venv/bin/python -m bench.load --meetings 10 --loggers 1   (scale)

Each screen behaves like meeting.js in a browser: it loads the meeting page once, then either
holds the meeting's Server-Sent Events stream (``--mode push``, the default: production's
gunicorn with uvicorn workers) or, as before push, polls its ``/live/<token>/`` address every
second (``--mode poll``: gunicorn's gthread workers, where the stream is refused). When told
that something changed it fetches the changed regions with ``?region=``, except those an event
carries itself. The loggers save entries through the real form (as htmx posts it, each with a
fresh client token) every one to two seconds, and their own screens refresh too. Afterwards
the database must hold every acknowledged entry exactly once, numbered 1..N without gaps, in
the order each logger saved them; with push, every screen must have been told of every entry.

Timing is measured and printed, never asserted. The exit status is 1 only for a correctness
failure: a request error, or an entry lost, duplicated, out of order or missing a number.
"""

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import re
import secrets
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench._common import print_rows, write_results
from bench._server import (
    Client,
    Server,
    child_pids,
    manage,
    process_cpu_seconds,
    production_env,
    static_root,
)

WATCHERS = 50
LOGGERS = 2
HTMX = {"HX-Request": "true"}
KINDS = ("beeld", "knelpunt", "notitie")  # kinds that need no reasons, owner or deadline
POLL_RE = re.compile(r'id="live-poller"[^>]*hx-get="([^"]+)"')
STREAM_RE = re.compile(r'id="live-poller"[^>]*data-stream="([^"]+)"')
REVISION_RE = re.compile(r'id="live-poller"[^>]*data-revision="(\d+)"')
MEETING_RE = re.compile(r'data-live-status[^>]*data-meeting="(\d+)"')
REGION_RE = re.compile(r'data-live-region="([\w-]+)"')
TARGETS = {
    "p95_ms": 50,
    "rss_mb": 200,
    "delivery_p95_ms": 300,
    "scale_delivery_p95_ms": 500,
    "scale_rss_mb": 250,
}
OPENING_SECONDS = 5  # the screens open the meeting page spread over this long, not at once


# -- the room: a crisis with a running meeting, its screens and its loggers -----------------------


@dataclass
class Room:
    crisis_pk: int
    meeting_path: str
    entry_path: str
    watchers: list[str]
    loggers: list[str]
    password: str
    # Before the run: the log's revision minus its last entry number. Only entries are written
    # during the run, so entry n is revision ``revision_offset + n``.
    revision_offset: int = 0

    def mark_start(self) -> None:
        from meetings.models import Logbook

        revision, last_seq = Logbook.objects.values_list("revision", "last_seq").get(
            pk=self.crisis_pk
        )
        self.revision_offset = revision - last_seq


def ensure_database(url: str) -> None:
    """Create the database DATABASE_URL names: scripts/with-postgres only starts the server."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(
    database_url: str, secret_key: str, *, watchers: int = WATCHERS, loggers: int = LOGGERS
) -> Room:
    """Migrate, then build the room in this process with the production settings."""
    # The collected static files too: the baseline view renders a page in this process.
    env = production_env(database_url, secret_key, static_root())
    manage(env, "migrate", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    return build_room(password=secrets.token_urlsafe(16), watchers=watchers, loggers=loggers)


def build_room(*, password: str, watchers: int, loggers: int) -> Room:
    """A fresh organisation and crisis per run, so a second run in one database starts clean."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse

    from crisisroom import services
    from crisisroom.models import Organisation
    from crisisroom.roles import Role, TeamKind
    from crisisroom.services import organisation_create
    from meetings.services import meeting_start

    run = secrets.token_hex(3)
    organisation = organisation_create(
        actor=None, name=f"Gemeente Belasting {run}", kind=Organisation.Kind.MUNICIPALITY
    )
    crisis = services.crisis_open(
        organisation=organisation,
        title=f"Belastingproef {run}",
        team_kind=TeamKind.GBT,
        actor=None,
        staff_from_roster=False,
    )
    hashed = make_password(password)  # one Argon2 hash for all: the logins still verify it

    def seat(username: str, role: str):
        user = get_user_model().objects.create(username=username, password=hashed)
        services.organisation_member_set(organisation=organisation, user=user, actor=None)
        services.membership_add(crisis=crisis, user=user, role=role, actor=None)
        return user

    chair = seat(f"load-{run}-chair", Role.TECHNICAL_CHAIR)
    watcher_names = [f"load-{run}-w{i:02}" for i in range(watchers)]
    logger_names = [f"load-{run}-l{i}" for i in range(loggers)]
    for name in watcher_names:
        seat(name, Role.OBSERVER)
    for name in logger_names:
        seat(name, Role.LOGGER)
    meeting = meeting_start(crisis=crisis, actor=chair)
    args = [crisis.pk, meeting.number]
    return Room(
        crisis_pk=crisis.pk,
        meeting_path=reverse("meeting_detail", args=args),
        entry_path=reverse("entry_create", args=args),
        watchers=watcher_names,
        loggers=logger_names,
        password=password,
    )


# -- what the clients record ----------------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # page, poll, region, post, stream
    status: int  # 0: no answer (connection error, timeout)
    ms: float
    error: str = ""


@dataclass
class Save:
    crisis_pk: int
    token: str
    sent: float  # time.monotonic() when the logger pressed Enter
    acknowledged: bool


@dataclass
class Record:
    """Everything the clients saw. list.append is atomic in CPython: no lock needed."""

    samples: list[Sample] = field(default_factory=list)
    poll_lag_ms: list[float] = field(default_factory=list)
    posted: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    saves: list[Save] = field(default_factory=list)
    # Per screen (an index): the crisis, when its stream opened and every (revision,
    # time.monotonic()) it told.
    heard: dict[int, tuple[int, float, list[tuple[int, float]]]] = field(default_factory=dict)
    login_ms: list[float] = field(default_factory=list)
    until: float = 0.0  # time.monotonic() at the end of the run

    def call(self, kind: str, fn, *args, ok=(200,), **kwargs):
        """Make one request and keep its sample; None when it failed, so the caller moves on."""
        start = time.perf_counter()
        try:
            response = fn(*args, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            ms = (time.perf_counter() - start) * 1000
            self.samples.append(Sample(kind, 0, ms, type(error).__name__))
            return None
        failed = "" if response.status in ok else f"HTTP {response.status}"
        self.samples.append(Sample(kind, response.status, response.seconds * 1000, failed))
        return None if failed else response


# -- the screens and the loggers ------------------------------------------------------------------


class Screen:
    """One meeting screen: the page once, then its stream (or a poll every second), and the
    changed regions on demand.

    One connection for the page and the regions, so a screen's fetches queue behind each other:
    when the server is slow the screens slow down with it, rather than piling on. The stream
    holds a second connection, as EventSource does in a browser.
    """

    def __init__(self, client: Client, room: Room, record: Record, regions: str, mode: str):
        self.client, self.room, self.record = client, room, record
        self.all_regions = regions == "all"
        self.mode = mode
        self.poll_url = ""
        self.stream_url = ""
        self.regions: list[str] = []
        self.saved_here = threading.Event()  # a save from this screen's own form
        self.has_form = False  # a logger's screen: its own saves refresh it at once
        self.fetching = threading.Lock()  # the stream and a save's answer share the connection

    def open(self) -> bool:
        page = self.record.call("page", self.client.get, self.room.meeting_path)
        if page is None:
            return False
        self.poll_url = _poll_url(page.text)
        stream = STREAM_RE.search(page.text)
        self.stream_url = stream.group(1).replace("&amp;", "&") if stream else ""
        # As meeting.js: from the revision the page shows; the event carries the entry regions.
        revision = REVISION_RE.search(page.text)
        meeting = MEETING_RE.search(page.text)
        if self.stream_url and revision:
            self.stream_url += f"?r={revision.group(1)}"
            if meeting:
                self.stream_url += f"&m={meeting.group(1)}"
        on_page = REGION_RE.findall(page.text)
        self.regions = on_page if self.all_regions else [r for r in on_page if r == "log"]
        return True

    def refresh(self, only: list[str] | None = None, carried: tuple[str, ...] = ()) -> None:
        """What meeting.js does on crisis-changed: each region (or each one the event names)
        fetches itself again, unless the event carried its markup."""
        with self.fetching:
            for region in self.regions:
                if (only is not None and region not in only) or region in carried:
                    continue
                self.record.call(
                    "region",
                    self.client.get,
                    f"{self.room.meeting_path}?region={region}",
                    headers={**HTMX, "HX-Target": f"region-{region}"},
                )

    def poll(self) -> None:
        """One tick of htmx's poller: 204 is nothing new, 200 a new poller and the event."""
        headers = {**HTMX, "HX-Trigger": "live-poller", "HX-Target": "live-poller"}
        response = self.record.call(
            "poll", self.client.get, self.poll_url, headers=headers, ok=(200, 204)
        )
        if response is None:
            return  # htmx keeps polling after an error; the error is recorded
        if response.status == 200:
            self.poll_url = _poll_url(response.text)
            trigger = response.header("HX-Trigger")
            if "crisis-changed" in trigger:
                event = json.loads(trigger)["crisis-changed"] or {}
                self.refresh(event.get("regions"))

    def run(self, until: float, index: int = 0) -> None:
        """Open the page within the first seconds, then follow the meeting from there."""
        time.sleep(random.uniform(0, OPENING_SECONDS))
        if self.open():
            if self.mode == "push":
                self.listen(until, index)
            else:
                self.watch(until)
        self.client.close()

    def watch(self, until: float) -> None:
        due = time.monotonic() + random.random()
        while due < until:
            if self.saved_here.wait(max(0.0, due - time.monotonic())):
                # The save's answer carries the event: this screen refreshes at once.
                self.saved_here.clear()
                self.refresh()
                continue
            self.record.poll_lag_ms.append((time.monotonic() - due) * 1000)
            self.poll()
            # A poll still under way when the next is due is dropped, as htmx does.
            due = max(due + 1.0, time.monotonic())

    def listen(self, until: float, index: int) -> None:
        """Hold the stream: on every event, note it and refresh what it names. A save from this
        screen's own form refreshes it at once as well (the save's answer says so)."""
        heard: list[tuple[int, float]] = []
        own = threading.Thread(target=self._own_saves, args=(until,), daemon=True)
        if self.has_form:
            own.start()
        # A heartbeat comes every 15 s: 30 s without a byte is a dead stream.
        stream = Client(f"http://{self.client.host}", cookies=self.client.cookies, timeout=30)
        start = time.perf_counter()
        try:
            for event, data in stream.events(self.stream_url, until=until):
                if event == "open":
                    self.record.samples.append(
                        Sample("stream", 200, (time.perf_counter() - start) * 1000)
                    )
                    self.record.heard[index] = (self.room.crisis_pk, time.monotonic(), heard)
                elif event == "changed":
                    revision, detail = data
                    heard.append((revision, time.monotonic()))
                    self.refresh(detail.get("regions"), tuple(detail.get("html", {})))
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() < until:
                self.record.samples.append(Sample("stream", 0, 0.0, type(error).__name__))
        finally:
            stream.close()
        if self.has_form:
            own.join()

    def _own_saves(self, until: float) -> None:
        from meetings.views.live import ENTRY_REGIONS  # Django is set up by now

        while time.monotonic() < until:
            if self.saved_here.wait(0.2):
                self.saved_here.clear()
                self.refresh(list(ENTRY_REGIONS))  # what the save's answer names


def _poll_url(html: str) -> str:
    return POLL_RE.search(html).group(1).replace("&amp;", "&")


class Logger:
    """A logger at the console: saves an entry every one to two seconds, through the form.

    A failed save is sent again with the same client token, as pressing Enter again on the
    form that is still on screen does; only a 200 counts as acknowledged. Saves go over the
    browser's second connection, while the screen keeps following on the first.
    """

    RETRIES = 5

    def __init__(self, name: str, screen: Screen, saver: Client):
        self.name, self.screen, self.saver = name, screen, saver
        self.room, self.record = screen.room, screen.record
        screen.has_form = True

    def save(self, number: int) -> None:
        token = str(uuid.uuid4())
        data = {
            "client_token": token,
            "kind": random.choice(KINDS),
            "text": f"{self.name} regel {number}: situatie om {time.strftime('%H:%M:%S')}",
        }
        headers = {**HTMX, "HX-Target": "entry-form"}
        sent = time.monotonic()
        for _attempt in range(self.RETRIES):
            response = self.record.call(
                "post", self.saver.post, self.room.entry_path, data, headers=headers
            )
            if response is not None:
                self.record.posted[self.name].append((token, True))
                self.record.saves.append(Save(self.room.crisis_pk, token, sent, True))
                self.screen.saved_here.set()
                return
            time.sleep(0.5)
        self.record.posted[self.name].append((token, False))
        self.record.saves.append(Save(self.room.crisis_pk, token, sent, False))

    def run(self, until: float, index: int = 0) -> None:
        """Type for one to two seconds after each save, then save; the form waits for the answer
        (htmx disables its button), so a slow server slows the logger down too."""
        number = 0
        while True:
            time.sleep(random.uniform(1.0, 2.0))
            if time.monotonic() >= until:
                break
            number += 1
            self.save(number)
        self.saver.close()


# -- the server's processes -----------------------------------------------------------------------

# checkpointer, background writer, walwriter, autovacuum launcher, logical replication launcher
PG_AUXILIARY_PROCESSES = 5


class Monitor(threading.Thread):
    """Twice a second: every worker's RSS (its peak is kept), and the CPU the workers and the
    PostgreSQL server have used. A process that went away keeps the CPU it was last seen with.
    """

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server = server
        self.postmaster = postmaster_pid()
        self.peak: dict[int, float] = {}
        self.fds_peak: dict[int, int] = {}
        self.threads_peak: dict[int, int] = {}
        self.pg_connections_peak = 0
        self.cpu_last: dict[str, dict[int, float]] = {"workers": {}, "postgres": {}}
        self.sample()
        self.cpu_first = {group: dict(seen) for group, seen in self.cpu_last.items()}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.sample()

    def sample(self) -> None:
        for pid, mb in self.server.worker_rss_mb().items():
            self.peak[pid] = max(mb, self.peak.get(pid, 0.0))
        for pid in self.server.worker_pids():
            with contextlib.suppress(OSError):
                fds = len(os.listdir(f"/proc/{pid}/fd"))
                self.fds_peak[pid] = max(fds, self.fds_peak.get(pid, 0))
                threads = len(os.listdir(f"/proc/{pid}/task"))
                self.threads_peak[pid] = max(threads, self.threads_peak.get(pid, 0))
        if self.postmaster:
            # Every PostgreSQL backend but the server's own processes: the clients' sessions.
            backends = len(child_pids(self.postmaster)) - PG_AUXILIARY_PROCESSES
            self.pg_connections_peak = max(self.pg_connections_peak, backends)
        self.cpu_last["workers"].update(self.server.worker_cpu_seconds())
        if self.postmaster:
            for pid in [self.postmaster, *child_pids(self.postmaster)]:
                if (seconds := process_cpu_seconds(pid)) is not None:
                    self.cpu_last["postgres"][pid] = seconds

    def start_run(self) -> dict[int, float]:
        """Count CPU and peak memory from now on; returns the peaks of the logins before."""
        self.sample()
        self.cpu_first = {group: dict(seen) for group, seen in self.cpu_last.items()}
        before, self.peak = self.peak, {}
        return before

    def cpu_seconds(self, group: str) -> float:
        first = self.cpu_first[group]
        return sum(s - first.get(pid, 0.0) for pid, s in self.cpu_last[group].items())


def postmaster_pid() -> int | None:
    """The PostgreSQL server of scripts/with-postgres, from its data directory; None elsewhere."""
    data = os.environ.get("CRISISROOM_PG_DATA")
    try:
        return int((Path(data) / "postmaster.pid").read_text().split()[0]) if data else None
    except (OSError, ValueError, IndexError):
        return None


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# -- the run --------------------------------------------------------------------------------------


def log_in_all(server: Server, rooms: list[Room]) -> tuple[dict[str, Client], list[float]]:
    """Every user logs in, eight at a time: people arrive over a minute, not in one instant."""
    password = {name: room.password for room in rooms for name in room.watchers + room.loggers}
    clients = {name: Client(server.base_url) for name in password}

    def log_in(name: str) -> float:
        start = time.perf_counter()
        clients[name].login(name, password[name])
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(8) as pool:
        return clients, list(pool.map(log_in, clients))


def browsers(server: Server, rooms: list[Room], record: Record, args) -> list:
    """Log everyone in; one screen per watcher, a screen and a console per logger."""
    clients, login_ms = log_in_all(server, rooms)
    record.login_ms = login_ms
    actors = []
    for room in rooms:
        for name in room.watchers:
            actors.append(Screen(clients[name], room, record, args.regions, args.mode).run)
        for name in room.loggers:
            screen = Screen(clients[name], room, record, args.regions, args.mode)
            console = Client(server.base_url, cookies=clients[name].cookies)
            actors += [screen.run, Logger(name, screen, console).run]
    return actors


def run_load(server: Server, rooms: list[Room], args) -> tuple[Record, dict]:
    """Run every screen and logger in its own thread for ``seconds``, watching the server."""
    record = Record()
    monitor = Monitor(server)
    monitor.start()
    actors = browsers(server, rooms, record, args)
    for room in rooms:
        room.mark_start()
    rss_logins = monitor.start_run()
    cpu_before, machine_before, started = os.times(), machine_busy_seconds(), time.monotonic()
    record.until = started + args.seconds
    threading.stack_size(512 * 1024)  # hundreds of screens: threads that mostly wait
    threads = [
        threading.Thread(target=act, args=(started + args.seconds, n))
        for n, act in enumerate(actors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    cpu, machine = os.times(), machine_busy_seconds() - machine_before
    monitor.stopped.set()
    monitor.join()
    monitor.sample()
    facts = {
        "wall_s": wall,
        "client_cpu_s": (cpu.user - cpu_before.user) + (cpu.system - cpu_before.system),
        "server_cpu_s": monitor.cpu_seconds("workers"),
        "postgres_cpu_s": monitor.cpu_seconds("postgres") if monitor.postmaster else None,
        "machine_cpu_s": machine,
        "rss_logins": rss_logins,
        "rss_peak": monitor.peak,
        "rss_end": server.worker_rss_mb(),
        "fds_peak": monitor.fds_peak,
        "threads_peak": monitor.threads_peak,
        "pg_connections_peak": monitor.pg_connections_peak,
    }
    return record, facts


# -- the log afterwards ---------------------------------------------------------------------------


@dataclass
class LogCheck:
    entries: int
    acknowledged: int
    unacknowledged: int
    lost: int
    duplicates: int
    gaps: int
    out_of_order: int
    strays: int
    chain: str

    @property
    def correct(self) -> bool:
        wrong = self.lost or self.duplicates or self.gaps or self.out_of_order or self.strays
        return not wrong and self.chain == "intact"


def check_logs(rooms: list[Room], record: Record) -> LogCheck:
    """Every meeting's log checked; the counts added up, the first broken chain named."""
    checks = [check_log(room, record) for room in rooms]
    numbers = {
        name: sum(getattr(c, name) for c in checks)
        for name in LogCheck.__dataclass_fields__
        if name != "chain"
    }
    broken = [c.chain for c in checks if c.chain != "intact"]
    return LogCheck(**numbers, chain=broken[0] if broken else "intact")


def check_log(room: Room, record: Record) -> LogCheck:
    """Compare what the loggers were told with what the database holds."""
    from meetings.chain import verify_chain
    from meetings.models import Entry, Logbook

    entries = list(Entry.objects.filter(crisis_id=room.crisis_pk).order_by("seq"))
    counts = Counter(str(e.client_token) for e in entries)
    seq_of = {str(e.client_token): e.seq for e in entries}
    posted_by = {name: record.posted[name] for name in room.loggers}
    posted = [(t, ok) for saves in posted_by.values() for t, ok in saves]
    acked = [t for t, ok in posted if ok]
    out_of_order = 0
    for saves in posted_by.values():
        seqs = [seq_of[t] for t, ok in saves if ok and t in seq_of]
        out_of_order += sum(1 for a, b in zip(seqs, seqs[1:], strict=False) if b <= a)
    numbers = [e.seq for e in entries]
    last_seq = Logbook.objects.get(crisis_id=room.crisis_pk).last_seq
    report = verify_chain(room.crisis_pk, entries, last_seq=last_seq)
    return LogCheck(
        entries=len(entries),
        acknowledged=len(acked),
        unacknowledged=len(posted) - len(acked),
        lost=sum(1 for t in acked if t not in seq_of),
        duplicates=sum(n - 1 for n in counts.values()),
        gaps=len(set(range(1, last_seq + 1)) - set(numbers)),
        out_of_order=out_of_order,
        strays=len(set(counts) - {t for t, _ok in posted}),
        chain="intact" if report.intact else f"broken at #{report.broken_seq}: {report.reason}",
    )


# -- the report -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least ``q`` percent of the values at or below."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _spread(values: list[float]) -> str:
    return "  ".join(f"p{q}={percentile(values, q):7.1f}" for q in (50, 95, 99)) + (
        f"  max={max(values, default=0):7.1f}"
    )


def deliveries(rooms: list[Room], record: Record) -> tuple[list[float], int]:
    """For every acknowledged entry and every screen of its meeting whose stream was open when
    the logger pressed Enter: the ms until that stream told of it (its first event with an id at
    or past the entry's revision). Also how many such screens were never told. Entries sent in
    the last two seconds of the run are left out: their events may come after it."""
    from meetings.models import Entry

    crisis_pks = [room.crisis_pk for room in rooms]
    seq_of = {
        str(token): seq
        for token, seq in Entry.objects.filter(crisis_id__in=crisis_pks).values_list(
            "client_token", "seq"
        )
    }
    offset = {room.crisis_pk: room.revision_offset for room in rooms}
    delays, never = [], 0
    for save in record.saves:
        if not save.acknowledged or save.token not in seq_of or save.sent > record.until - 2:
            continue
        revision = offset[save.crisis_pk] + seq_of[save.token]
        for crisis_pk, opened, heard in record.heard.values():
            if crisis_pk != save.crisis_pk or opened > save.sent:
                continue
            told = next((at for rev, at in heard if rev >= revision), None)
            if told is None:
                never += 1
            else:
                delays.append(max(0.0, told - save.sent) * 1000)
    return delays, never


def print_report(record: Record, facts: dict, check: LogCheck, args, delivery) -> dict:
    samples = record.samples
    requests = [s for s in samples if s.kind != "stream"]
    errors = [s for s in samples if s.error]
    ms = [s.ms for s in requests]
    delays, never = delivery
    figures = {
        "requests": len(requests),
        "rps": len(requests) / facts["wall_s"],
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "errors": len(errors),
        "rss_end": max(facts["rss_end"].values(), default=0.0),
        "rss_peak": max(facts["rss_peak"].values(), default=0.0),
        "rss_logins": max(facts["rss_logins"].values(), default=0.0),
        "streams": sum(1 for s in samples if s.kind == "stream" and not s.error),
        "delivery_p50": percentile(delays, 50),
        "delivery_p95": percentile(delays, 95),
        "deliveries": len(delays),
        "never_told": never,
        "fds_peak": max(facts["fds_peak"].values(), default=0),
        "threads_peak": max(facts["threads_peak"].values(), default=0),
        "pg_connections_peak": facts["pg_connections_peak"],
    }
    server = (
        f"gunicorn + {args.workers} uvicorn workers"
        if args.mode == "push"
        else f"gunicorn gthread {args.workers}x{args.threads}"
    )
    print(
        f"\nLoad ({args.mode}): {args.meetings} meeting(s) x ({args.watchers} screens + "
        f"{args.loggers} loggers) for {facts['wall_s']:.0f} s; {server}; PostgreSQL; "
        f"regions fetched: {args.regions}"
    )
    print(f"  logins: {len(record.login_ms)}, {_spread(record.login_ms)} ms (Argon2)")
    print(f"  requests: {len(requests)} ({figures['rps']:.1f}/s)")
    print(f"  latency ms, all: {_spread(ms)}")
    for kind in ("page", "poll", "stream", "region", "post"):
        of_kind = [s.ms for s in samples if s.kind == kind]
        if of_kind:
            print(f"    {kind:<7} n={len(of_kind):<6} {_spread(of_kind)}")
    if args.mode == "push":
        print(f"  streams held: {figures['streams']}")
        print(
            f"  Enter to the stream's event, ms: {_spread(delays)} over {len(delays)} "
            f"(entry, screen) pairs; never told: {never}"
        )
    by_status = Counter(s.status for s in samples)
    print(f"  statuses: {dict(sorted(by_status.items()))}")
    print(f"  errors: {len(errors)} {dict(Counter((s.kind, s.error) for s in errors))}")
    _print_cpu(facts, len(requests), record.poll_lag_ms)
    print(f"  worker RSS MB: peak during the logins {facts['rss_logins']}")
    print(f"    peak during the run {facts['rss_peak']}, at the end {facts['rss_end']}")
    print(
        f"  open files per worker, peak: {facts['fds_peak']} (limit {_fd_limit()}); threads "
        f"per worker, peak: {facts['threads_peak']}; "
        f"PostgreSQL sessions, peak: {facts['pg_connections_peak']}"
    )
    print(
        f"  log: {check.entries} entries, {check.acknowledged} acknowledged saves, "
        f"{check.unacknowledged} never acknowledged; lost {check.lost}, duplicated "
        f"{check.duplicates}, missing numbers {check.gaps}, out of order {check.out_of_order}, "
        f"not ours {check.strays}; chain {check.chain}"
    )
    _print_targets(figures, check, args)
    return figures


def _fd_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def _print_cpu(facts: dict, requests: int, poll_lag_ms: list[float]) -> None:
    """Who used the cores: is the server, the database, the client or someone else the limit?"""
    wall, cores = facts["wall_s"], os.cpu_count()
    share = {
        "gunicorn workers": facts["server_cpu_s"],
        "PostgreSQL": facts["postgres_cpu_s"],
        "this client": facts["client_cpu_s"],
    }
    known = {name: seconds for name, seconds in share.items() if seconds is not None}
    known["everything else on the machine"] = facts["machine_cpu_s"] - sum(known.values())
    parts = ", ".join(f"{name} {100 * seconds / wall:.0f}%" for name, seconds in known.items())
    machine = 100 * facts["machine_cpu_s"] / wall
    print(f"  CPU over the run ({cores} cores = {100 * cores}%): machine busy {machine:.0f}%")
    print(f"    {parts}")
    print(f"    workers: {1000 * facts['server_cpu_s'] / max(requests, 1):.1f} ms CPU per request")
    if poll_lag_ms:
        print(
            f"  client timing: polls started p50 {percentile(poll_lag_ms, 50):.1f} ms, p95 "
            f"{percentile(poll_lag_ms, 95):.1f} ms after they were due"
        )


def _print_targets(figures: dict, check: LogCheck, args) -> None:
    scale = args.meetings > 1
    p95_target = TARGETS["p95_ms"]
    rss_mb = TARGETS["scale_rss_mb" if scale else "rss_mb"]
    lines = [
        ("zero errors", figures["errors"] == 0, f"{figures['errors']}"),
        ("nothing lost or duplicated", check.correct, f"{check.lost} / {check.duplicates}"),
    ]
    if not scale:
        lines.append(
            (f"p95 <= {p95_target} ms", figures["p95"] <= p95_target, f"{figures['p95']:.1f}")
        )
    if args.mode == "push":
        delivery = TARGETS["scale_delivery_p95_ms" if scale else "delivery_p95_ms"]
        lines += [
            (
                f"every screen told of every entry, p95 <= {delivery} ms",
                figures["never_told"] == 0 and figures["delivery_p95"] <= delivery,
                f"{figures['delivery_p95']:.1f}, never told {figures['never_told']}",
            )
        ]
    for when in ("run", "logins"):
        rss = figures[f"rss_{when}" if when == "logins" else "rss_peak"]
        lines.append((f"RSS <= {rss_mb} MB per worker, {when}", rss <= rss_mb, f"peak {rss:.0f}"))
    print("  targets:")
    for label, met, value in lines:
        print(f"    [{'met' if met else 'MISSED'}] {label}: {value}")


def result_rows(figures: dict, check: LogCheck, args) -> list[dict]:
    prefix = "scale" if args.meetings > 1 else "load"
    cond = {
        "meetings": args.meetings,
        "users": args.meetings * (args.watchers + args.loggers),
        "screens": args.meetings * (args.watchers + args.loggers),
        "loggers": args.meetings * args.loggers,
        "database": "postgresql",
        "mode": args.mode,
        "server": "gunicorn uvicorn" if args.mode == "push" else "gunicorn gthread",
        "workers": args.workers,
        "regions": args.regions,
        "seconds": args.seconds,
    }
    if args.mode == "poll":
        cond["threads"] = args.threads
    rows = [
        (f"{prefix}_rps", round(figures["rps"], 1), "req/s"),
        (f"{prefix}_p50_ms", round(figures["p50"], 1), "ms"),
        (f"{prefix}_p95_ms", round(figures["p95"], 1), "ms"),
        (f"{prefix}_p99_ms", round(figures["p99"], 1), "ms"),
        (f"{prefix}_errors", figures["errors"], "requests"),
        (f"{prefix}_lost_entries", check.lost, "entries"),
        (f"{prefix}_duplicate_entries", check.duplicates, "entries"),
    ]
    if args.mode == "push":
        rows += [
            (f"{prefix}_streams", figures["streams"], "streams"),
            (f"{prefix}_delivery_p50_ms", round(figures["delivery_p50"], 1), "ms"),
            (f"{prefix}_delivery_p95_ms", round(figures["delivery_p95"], 1), "ms"),
            (f"{prefix}_never_told", figures["never_told"], "screen-entries"),
            (f"{prefix}_open_files_peak", figures["fds_peak"], "per worker"),
            (f"{prefix}_threads_peak", figures["threads_peak"], "per worker"),
            (f"{prefix}_postgres_sessions_peak", figures["pg_connections_peak"], "sessions"),
        ]
    result = [
        {"name": n, "value": v, "unit": u, "conditions": {**cond, "requests": figures["requests"]}}
        for n, v, u in rows
    ]
    for key, statistic in (
        ("rss_end", "max over workers, at the end"),
        ("rss_peak", "max over workers, peak during the run"),
        ("rss_logins", "max over workers, peak during the logins"),
    ):
        result.append(
            {
                "name": f"{prefix}_worker_rss_mb" if prefix == "scale" else "worker_rss_mb",
                "value": figures[key],
                "unit": "MB",
                "conditions": {**cond, "statistic": statistic},
            }
        )
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 120)))
    parser.add_argument("--mode", choices=("push", "poll"), default="push")
    parser.add_argument("--meetings", type=int, default=1)
    parser.add_argument("--watchers", type=int, default=WATCHERS, help="screens per meeting")
    parser.add_argument("--loggers", type=int, default=LOGGERS, help="loggers per meeting")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="per gthread worker (poll)")
    parser.add_argument(
        "--regions",
        choices=("log", "all"),
        default="all",
        help="on a change fetch what meeting.js fetches (all: the regions the event names, or "
        "every region of the page), or the log region only",
    )
    parser.add_argument(
        "--no-results", action="store_true", help="print only; leave bench/results.json alone"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name PostgreSQL: use scripts/with-postgres", file=sys.stderr)
        return 2
    secret_key = secrets.token_urlsafe(50)
    ensure_database(database_url)
    rooms = [prepare(database_url, secret_key, watchers=args.watchers, loggers=args.loggers)]
    rooms += [
        build_room(password=rooms[0].password, watchers=args.watchers, loggers=args.loggers)
        for _ in range(args.meetings - 1)
    ]
    kind = "asgi" if args.mode == "push" else "wsgi"
    with Server(
        database_url, kind=kind, workers=args.workers, threads=args.threads, secret_key=secret_key
    ) as server:
        record, facts = run_load(server, rooms, args)
    check = check_logs(rooms, record)
    delivery = deliveries(rooms, record)
    figures = print_report(record, facts, check, args, delivery)
    rows = result_rows(figures, check, args)
    print_rows(rows)
    if not args.no_results:
        write_results(rows, replace_names=False)
    correct = check.correct and figures["errors"] == 0 and figures["never_told"] == 0
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
