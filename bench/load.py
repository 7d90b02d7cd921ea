"""Fifty screens and two loggers in one meeting, against the production setup on PostgreSQL.

    scripts/with-postgres .venv/bin/python -m bench.load [--seconds 120]

Each screen behaves like meeting.js in a browser: it loads the meeting page once, polls its
``/live/<token>/`` address every second and, when told that something changed, fetches the
changed regions with ``?region=``. Two loggers save entries through the real form (as htmx
posts it, each with a fresh client token) every one to two seconds, and their own screens
refresh too. Afterwards the database must hold every acknowledged entry exactly once,
numbered 1..N without gaps, in the order each logger saved them.

Timing is measured and printed, never asserted. The exit status is 1 only for a correctness
failure: a request error, or an entry lost, duplicated, out of order or missing a number.
"""

import argparse
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
)

WATCHERS = 50
LOGGERS = 2
HTMX = {"HX-Request": "true"}
KINDS = ("beeld", "knelpunt", "notitie")  # kinds that need no reasons, owner or deadline
POLL_RE = re.compile(r'id="live-poller"[^>]*hx-get="([^"]+)"')
REGION_RE = re.compile(r'data-live-region="([\w-]+)"')
TARGETS = {"p95_ms": 100, "rss_mb": 200}
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


def prepare(database_url: str, secret_key: str) -> Room:
    """Migrate, then build the room in this process with the production settings."""
    env = production_env(database_url, secret_key)
    manage(env, "migrate", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    return build_room(password=secrets.token_urlsafe(16), watchers=WATCHERS, loggers=LOGGERS)


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
    kind: str  # page, poll, region, post
    status: int  # 0: no answer (connection error, timeout)
    ms: float
    error: str = ""


@dataclass
class Record:
    """Everything the clients saw. list.append is atomic in CPython: no lock needed."""

    samples: list[Sample] = field(default_factory=list)
    poll_lag_ms: list[float] = field(default_factory=list)
    posted: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    login_ms: list[float] = field(default_factory=list)

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
    """One meeting screen: the page once, a poll every second, changed regions on demand.

    One connection per screen, so a screen's polls and region fetches queue behind each
    other: when the server is slow the screens slow down with it, rather than piling on.
    """

    def __init__(self, client: Client, room: Room, record: Record, regions: str):
        self.client, self.room, self.record = client, room, record
        self.all_regions = regions == "all"
        self.poll_url = ""
        self.regions: list[str] = []
        self.saved_here = threading.Event()  # a save from this screen's own form

    def open(self) -> bool:
        page = self.record.call("page", self.client.get, self.room.meeting_path)
        if page is None:
            return False
        self.poll_url = _poll_url(page.text)
        on_page = REGION_RE.findall(page.text)
        self.regions = on_page if self.all_regions else [r for r in on_page if r == "log"]
        return True

    def refresh(self, only: list[str] | None = None) -> None:
        """What meeting.js does on crisis-changed: each region (or each one the event names)
        fetches itself again."""
        for region in self.regions:
            if only is not None and region not in only:
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

    def run(self, until: float) -> None:
        """Open the page within the first seconds, then poll every second from there."""
        time.sleep(random.uniform(0, OPENING_SECONDS))
        if self.open():
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


def _poll_url(html: str) -> str:
    return POLL_RE.search(html).group(1).replace("&amp;", "&")


class Logger:
    """A logger at the console: saves an entry every one to two seconds, through the form.

    A failed save is sent again with the same client token, as pressing Enter again on the
    form that is still on screen does; only a 200 counts as acknowledged. Saves go over the
    browser's second connection, while the screen keeps polling and refreshing on the first.
    """

    RETRIES = 5

    def __init__(self, name: str, screen: Screen, saver: Client):
        self.name, self.screen, self.saver = name, screen, saver
        self.room, self.record = screen.room, screen.record

    def save(self, number: int) -> None:
        token = str(uuid.uuid4())
        data = {
            "client_token": token,
            "kind": random.choice(KINDS),
            "text": f"{self.name} regel {number}: situatie om {time.strftime('%H:%M:%S')}",
        }
        headers = {**HTMX, "HX-Target": "entry-form"}
        for _attempt in range(self.RETRIES):
            response = self.record.call(
                "post", self.saver.post, self.room.entry_path, data, headers=headers
            )
            if response is not None:
                self.record.posted[self.name].append((token, True))
                self.screen.saved_here.set()
                return
            time.sleep(0.5)
        self.record.posted[self.name].append((token, False))

    def run(self, until: float) -> None:
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


class Monitor(threading.Thread):
    """Twice a second: every worker's RSS (its peak is kept), and the CPU the workers and the
    PostgreSQL server have used. A process that went away keeps the CPU it was last seen with.
    """

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server = server
        self.postmaster = postmaster_pid()
        self.peak: dict[int, float] = {}
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


def log_in_all(server: Server, room: Room) -> tuple[dict[str, Client], list[float]]:
    """Every user logs in, eight at a time: people arrive over a minute, not in one instant."""
    clients = {name: Client(server.base_url) for name in room.watchers + room.loggers}

    def log_in(name: str) -> float:
        start = time.perf_counter()
        clients[name].login(name, room.password)
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(8) as pool:
        return clients, list(pool.map(log_in, clients))


def browsers(server: Server, room: Room, record: Record, regions: str) -> list:
    """Log everyone in; one screen per watcher, a screen and a console per logger."""
    clients, login_ms = log_in_all(server, room)
    record.login_ms = login_ms
    actors = [Screen(clients[name], room, record, regions).run for name in room.watchers]
    for name in room.loggers:
        screen = Screen(clients[name], room, record, regions)
        console = Client(server.base_url, cookies=clients[name].cookies)
        actors += [screen.run, Logger(name, screen, console).run]
    return actors


def run_load(server: Server, room: Room, seconds: float, regions: str) -> tuple[Record, dict]:
    """Run every screen and logger in its own thread for ``seconds``, watching the server."""
    record = Record()
    monitor = Monitor(server)
    monitor.start()
    actors = browsers(server, room, record, regions)
    rss_logins = monitor.start_run()
    cpu_before, machine_before, started = os.times(), machine_busy_seconds(), time.monotonic()
    threads = [threading.Thread(target=act, args=(started + seconds,)) for act in actors]
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


def check_log(room: Room, record: Record) -> LogCheck:
    """Compare what the loggers were told with what the database holds."""
    from meetings.chain import verify_chain
    from meetings.models import Entry, Logbook

    entries = list(Entry.objects.filter(crisis_id=room.crisis_pk).order_by("seq"))
    counts = Counter(str(e.client_token) for e in entries)
    seq_of = {str(e.client_token): e.seq for e in entries}
    posted = [(t, ok) for saves in record.posted.values() for t, ok in saves]
    acked = [t for t, ok in posted if ok]
    out_of_order = 0
    for saves in record.posted.values():
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


def print_report(record: Record, facts: dict, check: LogCheck, args) -> dict:
    samples = record.samples
    errors = [s for s in samples if s.error]
    ms = [s.ms for s in samples]
    figures = {
        "requests": len(samples),
        "rps": len(samples) / facts["wall_s"],
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "errors": len(errors),
        "rss_end": max(facts["rss_end"].values(), default=0.0),
        "rss_peak": max(facts["rss_peak"].values(), default=0.0),
        "rss_logins": max(facts["rss_logins"].values(), default=0.0),
    }
    print(
        f"\nLoad: {WATCHERS} screens + {LOGGERS} loggers for {facts['wall_s']:.0f} s; gunicorn "
        f"gthread {args.workers}x{args.threads}; PostgreSQL; regions fetched: {args.regions}"
    )
    print(f"  logins: {len(record.login_ms)}, {_spread(record.login_ms)} ms (Argon2)")
    print(f"  requests: {len(samples)} ({figures['rps']:.1f}/s)")
    print(f"  latency ms, all: {_spread(ms)}")
    for kind in ("page", "poll", "region", "post"):
        of_kind = [s.ms for s in samples if s.kind == kind]
        print(f"    {kind:<7} n={len(of_kind):<6} {_spread(of_kind)}")
    by_status = Counter(s.status for s in samples)
    print(f"  statuses: {dict(sorted(by_status.items()))}")
    print(f"  errors: {len(errors)} {dict(Counter((s.kind, s.error) for s in errors))}")
    _print_cpu(facts, len(samples), record.poll_lag_ms)
    print(f"  worker RSS MB: peak during the logins {facts['rss_logins']}")
    print(f"    peak during the run {facts['rss_peak']}, at the end {facts['rss_end']}")
    print(
        f"  log: {check.entries} entries, {check.acknowledged} acknowledged saves, "
        f"{check.unacknowledged} never acknowledged; lost {check.lost}, duplicated "
        f"{check.duplicates}, missing numbers {check.gaps}, out of order {check.out_of_order}, "
        f"not ours {check.strays}; chain {check.chain}"
    )
    _print_targets(figures, check)
    return figures


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
    print(
        f"  client timing: polls started p50 {percentile(poll_lag_ms, 50):.1f} ms, p95 "
        f"{percentile(poll_lag_ms, 95):.1f} ms after they were due"
    )


def _print_targets(figures: dict, check: LogCheck) -> None:
    p95, rss_mb = figures["p95"], TARGETS["rss_mb"]
    lines = [
        ("zero errors", figures["errors"] == 0, f"{figures['errors']}"),
        ("nothing lost or duplicated", check.correct, f"{check.lost} / {check.duplicates}"),
        (f"p95 < {TARGETS['p95_ms']} ms", p95 < TARGETS["p95_ms"], f"{p95:.1f}"),
    ]
    for when in ("run", "logins"):
        rss = figures[f"rss_{when}" if when == "logins" else "rss_peak"]
        lines.append((f"RSS < {rss_mb} MB per worker, {when}", rss < rss_mb, f"peak {rss:.0f}"))
    print("  targets:")
    for label, met, value in lines:
        print(f"    [{'met' if met else 'MISSED'}] {label}: {value}")


def result_rows(figures: dict, check: LogCheck, args) -> list[dict]:
    cond = {
        "users": WATCHERS + LOGGERS,
        "database": "postgresql",
        "server": "gunicorn gthread",
        "workers": args.workers,
        "threads": args.threads,
        "regions": args.regions,
        "seconds": args.seconds,
        "requests": figures["requests"],
    }
    rows = [
        ("load_rps", round(figures["rps"], 1), "req/s"),
        ("load_p50_ms", round(figures["p50"], 1), "ms"),
        ("load_p95_ms", round(figures["p95"], 1), "ms"),
        ("load_p99_ms", round(figures["p99"], 1), "ms"),
        ("load_errors", figures["errors"], "requests"),
        ("load_lost_entries", check.lost, "entries"),
        ("load_duplicate_entries", check.duplicates, "entries"),
    ]
    result = [{"name": n, "value": v, "unit": u, "conditions": cond} for n, v, u in rows]
    for key, statistic in (
        ("rss_end", "max over workers, at the end"),
        ("rss_peak", "max over workers, peak during the run"),
        ("rss_logins", "max over workers, peak during the 52 logins"),
    ):
        result.append(
            {
                "name": "worker_rss_mb",
                "value": figures[key],
                "unit": "MB",
                "conditions": {**cond, "statistic": statistic},
            }
        )
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 120)))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)  # as gunicorn.conf.py
    parser.add_argument(
        "--regions",
        choices=("log", "all"),
        default="all",
        help="on a change fetch what meeting.js fetches (all: the regions the poll names, or "
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
    room = prepare(database_url, secret_key)
    with Server(
        database_url, workers=args.workers, threads=args.threads, secret_key=secret_key
    ) as server:
        record, facts = run_load(server, room, args.seconds, args.regions)
    check = check_log(room, record)
    figures = print_report(record, facts, check, args)
    rows = result_rows(figures, check, args)
    print_rows(rows)
    if not args.no_results:
        write_results(rows, replace_names=True)
    return 0 if check.correct and figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
