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


# What a row's conditions say about this run rather than about what was measured: a newer row
# of the same name and otherwise the same conditions replaces the older one.
RUN_CONDITIONS = ("baseline_ms", "ratio", "requests")


def _key(row: dict) -> tuple[str, str]:
    conditions = {k: v for k, v in row["conditions"].items() if k not in RUN_CONDITIONS}
    return row["name"], json.dumps(conditions, sort_keys=True)


def write_results(rows: list[dict], *, replace_names: bool = False) -> None:
    """Merge rows into results.json, replacing rows of the same name and conditions; with
    ``replace_names``, every earlier row of the same name (a run whose conditions include
    counts that differ each time, such as the load run's number of requests)."""
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    keys = {_key(r) for r in rows}
    names = {r["name"] for r in rows} if replace_names else set()
    kept = [r for r in existing if _key(r) not in keys and r["name"] not in names]
    RESULTS.write_text(json.dumps(kept + rows, indent=2, ensure_ascii=False) + "\n")


def print_rows(rows: list[dict]) -> None:
    for r in rows:
        cond = ", ".join(f"{k}={v}" for k, v in r["conditions"].items())
        print(f"  {r['name']:<28} {r['value']:>10} {r['unit']:<8} ({cond})")


def trivial_view_ms(repeat: int = 200) -> float:
    """The baseline of a page: the login page (no query) through the whole middleware stack,
    in this process with its settings, median of ``repeat``. Machines differ several times in
    speed; a time divided by this compares across them."""
    from django.test import Client

    # secure: the production settings redirect plain HTTP; as behind the TLS proxy.
    client = Client(HTTP_HOST="127.0.0.1")

    def view() -> None:
        response = client.get("/accounts/login/", secure=True)
        assert response.status_code == 200, response.status_code  # nosec B101

    return median_ms(view, repeat)


def weasyprint_two_pages_ms(repeat: int = 5) -> float:
    """The baseline of a PDF: WeasyPrint on a plain two-page A4, nothing of ours in it."""
    from weasyprint import HTML

    text = "<p>" + "Crisisroom meet de tijd van een gewone pagina. " * 12 + "</p>"
    html = f"<html><body style='font-family: DejaVu Sans'>{text * 40}</body></html>"
    return median_ms(lambda: HTML(string=html).write_pdf(), repeat)


def with_baseline(rows: list[dict], view_ms: float, pdf_ms: float | None = None) -> list[dict]:
    """Every time in ``rows`` also as a multiple of this run's baseline: ``baseline_ms`` and
    ``ratio`` in its conditions (a PDF rendered against the plain PDF, the rest, a PDF served
    from the cache too, against the view)."""
    for row in rows:
        if row["unit"] != "ms" or row["name"].startswith("baseline_"):
            continue
        renders_pdf = "pdf" in row["name"] and "cached" not in row["name"]
        base = pdf_ms if pdf_ms is not None and renders_pdf else view_ms
        # A row's own copy: benchmarks share one conditions dict between their rows.
        row["conditions"] = {
            **row["conditions"],
            "baseline_ms": round(base, 2),
            "ratio": round(row["value"] / base, 1) if base else None,
        }
    return rows


def baselined(rows: list[dict]) -> list[dict]:
    """``with_baseline`` with this run's baseline: the rows' own baseline rows where they have
    them, otherwise measured now (the plain PDF only when a row times a PDF)."""
    value = {r["name"]: r["value"] for r in rows}
    view = value.get("baseline_trivial_view_ms") or trivial_view_ms()
    pdf = value.get("baseline_weasyprint_two_pages_ms")
    if pdf is None and any("pdf" in r["name"] and r["unit"] == "ms" for r in rows):
        pdf = weasyprint_two_pages_ms()
    return with_baseline(rows, view, pdf)
