"""How long until an entry the logger saves is visible on the chair's screen?

    python -m bench.live_latency

Starts a real server (runserver, SQLite file) with the demo, opens the logger's console and
the chair's console in two Chromium windows, and times N entries from pressing Enter to the
text being on the chair's screen. The chair's screen learns of changes by polling once a
second, so the expected figure is about half a second plus one region fetch.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._common import print_rows, write_results

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_LIVE_ENTRIES", "15"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main() -> int:
    from playwright.sync_api import sync_playwright

    workdir = tempfile.mkdtemp(prefix="crisisroom-live-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/live.sqlite3",
        "DJANGO_SETTINGS_MODULE": "crisisroom.settings.dev",
        "DJANGO_DEBUG": "false",
    }
    _manage(env, "migrate", "-v", "0")
    _manage(env, "demo_data")
    _manage(
        env,
        "shell",
        "-c",
        "from crisisroom.models import Crisis; from meetings import services;"
        "from django.contrib.auth import get_user_model as U;"
        "services.meeting_start(crisis=Crisis.objects.get(team_kind='gbt'),"
        " actor=U().objects.get(username='voorzitter'))",
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    latencies = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

            def screen(user):
                page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", "crisisroom")
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")
                page.goto(f"{base}/crises/1/overleg/2/")
                return page

            chair, logger = screen("voorzitter"), screen("logger")
            text = logger.locator("textarea[name=text]")
            for i in range(N):
                marker = f"Meting {i} om {time.time():.3f}"
                text.fill(marker)
                start = time.perf_counter()
                text.press("Enter")
                chair.locator("#region-log").get_by_text(marker).wait_for(timeout=10_000)
                latencies.append((time.perf_counter() - start) * 1000)
                time.sleep(0.37)  # do not line up with the poll period
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    cond = {
        "entries": N,
        "users": 2,
        "database": "sqlite",
        "server": "runserver",
        "poll_interval_s": 1,
    }
    rows = [
        {
            "name": "live_visible_median_ms",
            "value": round(statistics.median(latencies)),
            "unit": "ms",
            "conditions": {**cond, "statistic": "median"},
        },
        {
            "name": "live_visible_max_ms",
            "value": round(max(latencies)),
            "unit": "ms",
            "conditions": {**cond, "statistic": "max"},
        },
    ]
    print(f"Entry visible on the chair's screen ({N} entries):")
    print_rows(rows)
    write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
