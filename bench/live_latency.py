"""From Enter on the logger's screen to the text on every other screen, with fifty screens open,
and how many requests an idle screen makes.

    python -m bench.live_latency                          SQLite, as `make run` serves it
    scripts/with-postgres python -m bench.live_latency    PostgreSQL, as production serves it

Fifty watchers and a logger each open the running meeting in real Chromium (a context of their
own, logged in). The logger types N entries and presses Enter; every watcher's page notes, with
a MutationObserver, the moment the text is in its log region. Then nobody writes for a while
and every page's requests are counted.

Each setup is measured twice in one run: with push (ASGI: `make run`'s uvicorn on SQLite;
production's gunicorn with two uvicorn workers on PostgreSQL) and as before push (the screens
poll once a second: runserver on SQLite, gunicorn's gthread workers on PostgreSQL), so the two
compare on the same machine at the same time. Times are also given as a multiple of a trivial
view measured in this process (``baseline_ms``, ``ratio``). Measures and prints; never fails on
a timing.
"""

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench._common import print_rows, trivial_view_ms, with_baseline, write_results
from bench._server import LOGIN_PATH, ROOT, Client, Server, free_port, manage
from bench.load import Room, build_room, ensure_database, percentile, prepare

SCREENS = int(os.environ.get("BENCH_LIVE_SCREENS", "50"))
ENTRIES = int(os.environ.get("BENCH_LIVE_ENTRIES", "20"))
IDLE_SECONDS = int(os.environ.get("BENCH_LIVE_IDLE_SECONDS", "30"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Fifty pages in one headless browser are all "visible": none may be throttled as hidden.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
# Each page notes when a wanted text is first in its log region (Date.now(): the same clock as
# this process's time.time()).
WATCH_SCRIPT = """
(() => {
  const wanted = new Set();
  window.__liveSeen = {};
  window.__liveWatch = (text) => { wanted.add(text); check(); };
  function check() {
    if (!wanted.size) { return; }
    const log = document.getElementById("region-log");
    if (!log) { return; }
    const shown = log.textContent;
    for (const text of Array.from(wanted)) {
      if (shown.includes(text)) { window.__liveSeen[text] = Date.now(); wanted.delete(text); }
    }
  }
  const all = {childList: true, subtree: true, characterData: true};
  new MutationObserver(check).observe(document, all);
})();
"""


class DevServer:
    """`make run` on a SQLite file: uvicorn (push), or runserver as before push (poll)."""

    def __init__(self, env: dict, kind: str):
        self.env, self.kind = env, kind
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "DevServer":
        if self.kind == "asgi":
            command = [
                *(sys.executable, "-m", "uvicorn", "crisisroom.asgi:application"),
                *("--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"),
                *("--lifespan", "off", "--timeout-graceful-shutdown", "2"),
            ]
        else:
            command = [
                *(sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}"),
                *("--noreload", "--insecure"),
            ]
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            probe = Client(self.base_url, timeout=2)
            try:
                if probe.get(LOGIN_PATH).status == 200:
                    return self
            except OSError:
                time.sleep(0.1)
            finally:
                probe.close()
        raise RuntimeError(f"{command[2]} did not answer within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)


def log_in(base_url: str, room: Room) -> dict[str, dict]:
    """Every user's session cookies, logged in through the form (eight at a time)."""

    def one(name: str) -> tuple[str, dict]:
        client = Client(base_url)
        client.login(name, room.password)
        client.close()
        return name, dict(client.cookies)

    with ThreadPoolExecutor(8) as pool:
        return dict(pool.map(one, room.watchers + room.loggers))


def measure(base_url: str, room: Room, mode: str, *, behind_proxy: bool) -> dict:
    """Open every screen, time ENTRIES entries to every watcher, then count idle requests."""
    from playwright.sync_api import sync_playwright

    cookies = log_in(base_url, room)
    latencies: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        requests = {name: 0 for name in room.watchers}

        def screen(name: str):
            context = browser.new_context(
                viewport={"width": 1280, "height": 800},
                # Production expects a TLS proxy in front; make run does not.
                extra_http_headers={"X-Forwarded-Proto": "https"} if behind_proxy else None,
            )
            context.add_cookies(
                [{"name": k, "value": v, "url": base_url} for k, v in cookies[name].items()]
            )
            context.add_init_script(WATCH_SCRIPT)
            page = context.new_page()
            page.goto(base_url + room.meeting_path)
            if name in requests:
                page.on(
                    "request", lambda _r, name=name: requests.__setitem__(name, requests[name] + 1)
                )
            return page

        watchers = [screen(name) for name in room.watchers]
        logger = screen(room.loggers[0])
        state = "live" if mode == "push" else "poll"
        for page in watchers:  # every stream open (or, before push, every poll running)
            page.wait_for_selector(f"[data-live-status][data-state='{state}']", state="attached")
        time.sleep(2)
        text = logger.locator("textarea[name=text]")
        missing = 0
        for i in range(ENTRIES):
            marker = f"Meting {i} {secrets.token_hex(4)}"
            for page in watchers:
                page.evaluate("text => window.__liveWatch(text)", marker)
            text.fill(marker)
            start = time.time() * 1000
            text.press("Enter")
            deadline = time.monotonic() + 15
            seen: dict[int, float] = {}
            while len(seen) < len(watchers) and time.monotonic() < deadline:
                time.sleep(0.1)
                for n, page in enumerate(watchers):
                    if n not in seen:
                        at = page.evaluate("text => window.__liveSeen[text] || null", marker)
                        if at:
                            seen[n] = at
            missing += len(watchers) - len(seen)
            latencies += [at - start for at in seen.values()]
            time.sleep(random.uniform(0.5, 1.2))  # do not line up with a poll period
        for name in requests:
            requests[name] = 0
        # Playwright hands over the pages' events only while it is called: wait through it.
        logger.wait_for_timeout(IDLE_SECONDS * 1000)
        idle = list(requests.values())
        browser.close()
    return {
        "latencies": latencies,
        "missing": missing,
        "idle_per_min": statistics.mean(idle) * 60 / IDLE_SECONDS,
        "idle_max_per_min": max(idle) * 60 / IDLE_SECONDS,
    }


def rows_for(result: dict, *, database: str, server: str, mode: str, view_ms: float) -> list:
    cond = {
        "screens": SCREENS,
        "entries": ENTRIES,
        "database": database,
        "server": server,
        "mode": mode,
        "browser": "chromium",
    }
    latencies = result["latencies"]
    rows = [
        {
            "name": f"live_visible_{stat}_ms",
            "value": round(percentile(latencies, q)),
            "unit": "ms",
            "conditions": {**cond, "statistic": f"p{q} over every screen and entry"},
        }
        for stat, q in (("p50", 50), ("p95", 95))
    ]
    rows.append(
        {
            "name": "live_visible_missing",
            "value": result["missing"],
            "unit": "screens",
            "conditions": {**cond, "statistic": "entry not on a screen within 15 s"},
        }
    )
    rows.append(
        {
            "name": "live_idle_requests_per_screen_min",
            "value": round(result["idle_per_min"], 1),
            "unit": "requests",
            "conditions": {
                **cond,
                "idle_seconds": IDLE_SECONDS,
                "statistic": f"mean over screens (max {result['idle_max_per_min']:.1f})",
            },
        }
    )
    return with_baseline(rows, view_ms)


def run_postgres(database_url: str) -> list[dict]:
    secret_key = secrets.token_urlsafe(50)
    ensure_database(database_url)
    room = prepare(database_url, secret_key, watchers=SCREENS, loggers=1)
    view_ms = trivial_view_ms()
    rows = []
    for kind, mode, label in (
        ("asgi", "push", "gunicorn + 2 uvicorn workers"),
        ("wsgi", "poll", "gunicorn gthread 2x2 (before push)"),
    ):
        server = Server(database_url, kind=kind, secret_key=secret_key)
        # Chromium says Origin: http://…, where the server believes it is behind TLS.
        server.extra_env["DJANGO_CSRF_TRUSTED_ORIGINS"] = server.base_url
        with server:
            result = measure(server.base_url, room, mode, behind_proxy=True)
        rows += rows_for(result, database="postgresql", server=label, mode=mode, view_ms=view_ms)
    return rows


def run_sqlite() -> list[dict]:
    workdir = tempfile.mkdtemp(prefix="crisisroom-live-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"sqlite:///{workdir}/live.sqlite3",
        DJANGO_SETTINGS_MODULE="crisisroom.settings.dev",
        DJANGO_DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    manage(env, "migrate", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    room = build_room(password=secrets.token_urlsafe(16), watchers=SCREENS, loggers=1)
    view_ms = trivial_view_ms()
    rows = []
    for kind, mode, label in (
        ("asgi", "push", "uvicorn (make run)"),
        ("wsgi", "poll", "runserver (make run before push)"),
    ):
        with DevServer(env, kind) as server:
            result = measure(server.base_url, room, mode, behind_proxy=False)
        rows += rows_for(result, database="sqlite", server=label, mode=mode, view_ms=view_ms)
    Path(workdir, "live.sqlite3").unlink(missing_ok=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        rows = run_postgres(database_url)
    else:
        rows = run_sqlite()
    print(f"Entry visible on every other screen ({SCREENS} screens, {ENTRIES} entries):")
    print_rows(rows)
    if not args.no_results:
        write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
