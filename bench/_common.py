"""Shared helpers for benchmarks: a throw-away test database and a results file.

Benchmarks measure and print; they never fail on a timing. Results go to bench/results.json as
a list of {name, value, unit, conditions}.
"""

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisisroom.settings.test")
    import django

    django.setup()
    from django.db import connections

    # As in production (CONN_MAX_AGE=60): reuse the connection instead of reconnecting per
    # request, which the test settings do to keep tests independent.
    connections["default"].settings_dict["CONN_MAX_AGE"] = 60


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches (templates, translations, connection)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def database_label() -> str:
    from django.db import connection

    return connection.vendor


def write_results(rows: list[dict], *, replace_names: bool = False) -> None:
    """Merge rows into results.json, replacing rows of the same name and conditions; with
    ``replace_names``, every earlier row of the same name (a run whose conditions include
    counts that differ each time, such as the load run's number of requests)."""
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    keys = {(r["name"], json.dumps(r["conditions"], sort_keys=True)) for r in rows}
    names = {r["name"] for r in rows} if replace_names else set()
    kept = [
        r
        for r in existing
        if (r["name"], json.dumps(r["conditions"], sort_keys=True)) not in keys
        and r["name"] not in names
    ]
    RESULTS.write_text(json.dumps(kept + rows, indent=2, ensure_ascii=False) + "\n")


def print_rows(rows: list[dict]) -> None:
    for r in rows:
        cond = ", ".join(f"{k}={v}" for k, v in r["conditions"].items())
        print(f"  {r['name']:<28} {r['value']:>10} {r['unit']:<8} ({cond})")
