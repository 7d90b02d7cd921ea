"""The cold phase at municipal scale: the weighing page, the programme page and the PDFs.

    python -m bench.resilience            (SQLite; DATABASE_URL=postgres://... for PostgreSQL)

Builds, in a throw-away test database, a municipality with 50 fully scored scenarios, a priority
decision and 500 measures (each addressing one to three scenarios, most with partners, a tenth
overdue), and a small one with 10 scenarios and 50 measures. Renders the weighing page (as the
mayor, who also gets the decision form) and the programme page (as the adviser) through
Django's test client, no network: server time as median and p95, and the SQL queries of one
request at both sizes, which should be the same. Then the programme plan and the weighing as
PDF at the large size. The issue's targets (server time ≤ 50 ms, queries constant in the number
of rows, a 500-measure PDF ≤ 2 s) are printed beside the figures, never asserted.
"""

import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from bench._common import baselined, database_label, print_rows, setup_django, write_results

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
PDF_REPEAT = int(os.environ.get("BENCH_PDF_REPEAT", "3"))
SIZES = ((10, 50), (50, 500))  # (scenarios, measures); the last is the size
TARGET_PAGE_MS = 50
TARGET_PDF_MS = 2000
PDFINFO = Path("/usr/bin/pdfinfo")


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call, after one call that warms templates, translations and the
    connection."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def build(n_scenarios: int, n_measures: int):
    """An organisation's cold phase of the given size. Bulk rows: the benchmark measures reading
    the weighing and the programme, not writing them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from crisisroom import services as core
    from crisisroom.models import Partner
    from resilience import selectors, services
    from resilience.models import (
        LIKELIHOOD,
        Assessment,
        Measure,
        MeasurePhase,
        MeasureRevision,
        MeasureStatus,
        MeasureTheme,
        ResilienceRole,
        RiskTheme,
        ThreatScenario,
    )

    rng = random.Random(n_measures)  # the same data every run
    org = core.organisation_create(
        actor=None, name=f"Bench {uuid.uuid4().hex[:6]}", kind="municipality"
    )
    users = get_user_model().objects
    admin = users.create_user(username=f"beheerder-{org.pk}", password="x")
    core.organisation_member_set(organisation=org, user=admin, actor=None, is_administrator=True)
    people = {}
    for name, kind in (("aov", ResilienceRole.Kind.AOV), ("mayor", ResilienceRole.Kind.BESTUUR)):
        user = users.create_user(username=f"{name}-{org.pk}", password="x")
        core.organisation_member_set(organisation=org, user=user, actor=None)
        services.resilience_role_set(organisation=org, actor=admin, user=user, kind=kind)
        people[name] = user
    owners = []
    for i in range(8):
        user = users.create_user(
            username=f"owner-{org.pk}-{i}", first_name="Eigenaar", last_name=f"{i}", password="x"
        )
        core.organisation_member_set(organisation=org, user=user, actor=None)
        owners.append(user)

    # The six shipped examples came with the organisation; the rest are its own.
    themes = list(RiskTheme)
    shipped = ThreatScenario.objects.filter(organisation=org).count()
    ThreatScenario.objects.bulk_create(
        ThreatScenario(
            organisation=org,
            title=f"Scenario {i}: uitval van voorziening {i} in de regio",
            description="Langdurige uitval met gevolgen voor inwoners en bedrijven. " * 3,
            theme=themes[i % len(themes)],
            sources="Regionaal risicoprofiel",
        )
        for i in range(1, n_scenarios - shipped + 1)
    )
    scenarios = list(ThreatScenario.objects.filter(organisation=org).order_by("pk"))
    framework = selectors.framework_current(organisation=org)
    assert framework is not None  # noqa: S101 - a municipality starts with the default
    aspects = [c.code for c in framework.criteria.all()] + [LIKELIHOOD]
    now = timezone.now()
    Assessment.objects.bulk_create(
        (
            Assessment(
                scenario=scenario,
                aspect=aspect,
                value=rng.randint(1, 5),
                reasoning="Inschatting op basis van het regionaal risicoprofiel en de "
                "gevolgen voor de eerste 72 uur.",
                source="Regionaal risicoprofiel",
                scored_by=people["aov"],
                scored_at=now - timedelta(days=30),
            )
            for scenario in scenarios
            for aspect in aspects
        ),
        batch_size=1000,
    )
    rows = selectors.ranking(framework=framework, scenarios=scenarios)
    services.priority_decide(
        organisation=org,
        actor=people["mayor"],
        decided_by="burgemeester",
        decided_on=timezone.localdate() - timedelta(days=7),
        review_on=timezone.localdate() + timedelta(days=358),
        reasons="Eerst voorbereiden op de scenario's met het hoogste risico.",
        scenario_ids=[row.scenario.pk for row in rows[:10]],
    )

    partner_kinds = list(Partner.Kind)
    Partner.objects.bulk_create(
        Partner(organisation=org, name=f"Partner {i}", kind=partner_kinds[i % len(partner_kinds)])
        for i in range(12)
    )
    partners = list(Partner.objects.filter(organisation=org))
    today = timezone.localdate()
    measure_themes, phases = list(MeasureTheme), list(MeasurePhase)
    statuses = [
        MeasureStatus.GEPLAND,
        MeasureStatus.LOOPT,
        MeasureStatus.LOOPT,
        MeasureStatus.GEREED,
    ]
    measures = []
    for i in range(1, n_measures + 1):
        starts = today + timedelta(days=rng.randint(-200, 100))
        overdue = i % 10 == 0  # open and past its due date
        if overdue:
            due = today - timedelta(days=rng.randint(1, 30))
            status = MeasureStatus.LOOPT
        else:
            due = starts + timedelta(days=rng.randint(30, 300))
            status = MeasureStatus.GESTOPT if i % 50 == 1 else statuses[i % len(statuses)]
        measures.append(
            Measure(
                organisation=org,
                number=i,
                title=f"Maatregel {i}: voorbereiding op langdurige uitval in wijk {i % 40}",
                description="Wat er moet gebeuren, met wie en waarom. " * 4,
                theme=measure_themes[i % len(measure_themes)],
                phase=phases[i % len(phases)],
                owner=owners[i % len(owners)] if i % 3 == 0 else None,
                owner_function="Teamleider openbare orde" if i % 3 == 1 else "",
                owner_partner=partners[i % len(partners)] if i % 3 == 2 else None,
                means="Budget uit het programma weerbaarheid.",
                budget=Decimal(rng.randint(0, 100) * 1000),
                starts_on=min(starts, due),
                due_on=due,
                status=status,
                created_by=people["aov"],
            )
        )
    Measure.objects.bulk_create(measures, batch_size=1000)
    measures = list(Measure.objects.filter(organisation=org).order_by("number"))
    Measure.scenarios.through.objects.bulk_create(
        (
            Measure.scenarios.through(measure_id=m.pk, threatscenario_id=s.pk)
            for m in measures
            for s in rng.sample(scenarios, rng.randint(1, 3))
        ),
        batch_size=1000,
    )
    Measure.partners.through.objects.bulk_create(
        (
            Measure.partners.through(measure_id=m.pk, partner_id=p.pk)
            for m in measures
            for p in rng.sample(partners, rng.randint(0, 2))
        ),
        batch_size=1000,
    )
    MeasureRevision.objects.bulk_create(
        (
            MeasureRevision(measure=m, revision=1, snapshot={"title": m.title}, changed_at=now)
            for m in measures
        ),
        batch_size=1000,
    )
    for i, measure in enumerate(measures[:4]):
        services.critical_process_save(
            organisation=org,
            actor=people["aov"],
            name=f"Kritiek proces {i}",
            max_outage_hours=4 * (i + 1),
            fallback="Handmatig, op papier.",
            measures=[measure],
        )
    if connection.vendor == "postgresql":
        # A live database has statistics (autovacuum); freshly bulk-loaded tables do not.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return org, people


def measure_pages(n_scenarios: int, n_measures: int) -> tuple[list[dict], object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    org, people = build(n_scenarios, n_measures)
    mayor, adviser = Client(), Client()
    mayor.force_login(people["mayor"])
    adviser.force_login(people["aov"])
    pages = (
        ("resilience_weighing_page", mayor, reverse("weighing_page", args=[org.pk])),
        ("resilience_programme_page", adviser, reverse("programme_page", args=[org.pk])),
    )
    cond = {"scenarios": n_scenarios, "measures": n_measures, "database": database_label()}
    rows = []
    for name, client, url in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
        rows.append(
            {"name": f"{name}_queries", "value": len(ctx), "unit": "queries", "conditions": cond}
        )
        if n_measures != max(m for _s, m in SIZES):
            continue
        times = timings(partial(client.get, url), REPEAT)
        for statistic, value in (("median", statistics.median(times)), ("p95", p95(times))):
            rows.append(
                {
                    "name": f"{name}_{statistic}_ms",
                    "value": round(value, 1),
                    "unit": "ms",
                    "conditions": {**cond, "repeat": REPEAT, "statistic": statistic},
                }
            )
    return rows, org


def _pages(pdf: bytes) -> int | None:
    if not PDFINFO.exists():
        return None
    info = subprocess.run(  # noqa: S603 - a fixed program on our own PDF
        [str(PDFINFO), "-"], input=pdf, capture_output=True, check=True
    )
    for line in info.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[-1])
    return None


def measure_pdfs(org, n_scenarios: int, n_measures: int) -> list[dict]:
    """The first PDF in a fresh process also pays for loading fonts: reported on its own. The
    page counts are rows of their own, so a changed print layout replaces the last figures
    instead of adding a row with other conditions."""
    from resilience.pdf import render_programme_pdf, render_weighing_pdf

    cond = {"scenarios": n_scenarios, "measures": n_measures, "database": database_label()}
    start = time.perf_counter()
    render_programme_pdf(organisation=org)
    rows = [
        {
            "name": "resilience_programme_pdf_first_in_process_ms",
            "value": round((time.perf_counter() - start) * 1000),
            "unit": "ms",
            "conditions": {**cond, "repeat": 1},
        }
    ]
    for name, render in (
        ("resilience_programme_pdf", render_programme_pdf),
        ("resilience_weighing_pdf", render_weighing_pdf),
    ):
        times = []
        for _ in range(PDF_REPEAT):
            start = time.perf_counter()
            pdf = render(organisation=org)
            times.append((time.perf_counter() - start) * 1000)
        rows.append(
            {
                "name": f"{name}_ms",
                "value": round(statistics.median(times)),
                "unit": "ms",
                "conditions": {**cond, "repeat": PDF_REPEAT, "statistic": "median"},
            }
        )
        pages = _pages(pdf)
        if pages is not None:
            rows.append(
                {"name": f"{name}_pages", "value": pages, "unit": "pages", "conditions": cond}
            )
    return rows


def measure_baseline() -> list[dict]:
    """What this machine does in the same run with nothing of ours in it: a trivial view
    through the whole middleware stack (the login page) and WeasyPrint on a plain two-page A4.
    Machines differ several times in speed; the ratios to these compare across them."""
    from django.test import Client
    from weasyprint import HTML

    client = Client()
    page = timings(partial(client.get, "/accounts/login/"), REPEAT)
    text = "<p>" + "Crisisroom meet de tijd van een gewone pagina. " * 12 + "</p>"
    html = f"<html><body style='font-family: DejaVu Sans'>{text * 40}</body></html>"
    pdf = timings(lambda: HTML(string=html).write_pdf(), PDF_REPEAT)
    cond = {"database": database_label(), "statistic": "median"}
    return [
        {
            "name": "baseline_trivial_view_ms",
            "value": round(statistics.median(page), 2),
            "unit": "ms",
            "conditions": {**cond, "repeat": REPEAT},
        },
        {
            "name": "baseline_weasyprint_two_pages_ms",
            "value": round(statistics.median(pdf)),
            "unit": "ms",
            "conditions": {**cond, "repeat": PDF_REPEAT},
        },
    ]


def _print_ratios(rows: list[dict]) -> None:
    value = {r["name"]: r["value"] for r in rows}
    view, pdf = value.get("baseline_trivial_view_ms"), value.get("baseline_weasyprint_two_pages_ms")
    if not view or not pdf:
        return
    print(
        f"  as multiples of this machine's baseline (trivial view {view} ms, 2-page PDF {pdf} ms):"
    )
    for name, base in (
        ("resilience_weighing_page_median_ms", view),
        ("resilience_programme_page_median_ms", view),
        ("resilience_programme_pdf_ms", pdf),
        ("resilience_weighing_pdf_ms", pdf),
    ):
        if name in value:
            print(f"    {name:<44} {value[name] / base:6.1f}×")


def _print_targets(rows: list[dict]) -> None:
    """The issue's targets beside the figures: printed, never a failure."""
    large = max(m for _s, m in SIZES)
    value = {
        (r["name"], r["conditions"].get("measures")): r["value"]
        for r in rows
        if "statistic" in r["conditions"] or r["unit"] == "queries"
    }
    checks = []
    for page in ("resilience_weighing_page", "resilience_programme_page"):
        median = value[(f"{page}_median_ms", large)]
        tail = value[(f"{page}_p95_ms", large)]
        checks.append(
            (
                f"{page}: ≤ {TARGET_PAGE_MS} ms",
                median <= TARGET_PAGE_MS,
                f"median {median} ms, p95 {tail} ms",
            )
        )
        counts = [value[(f"{page}_queries", m)] for _s, m in SIZES]
        checks.append(
            (
                f"{page}: queries constant",
                len(set(counts)) == 1,
                " → ".join(
                    f"{c} at {m} measures" for c, (_s, m) in zip(counts, SIZES, strict=True)
                ),
            )
        )
    pdf = value[("resilience_programme_pdf_ms", large)]
    checks.append(
        (
            f"programme PDF of {large} measures ≤ {TARGET_PDF_MS} ms",
            pdf <= TARGET_PDF_MS,
            f"{pdf} ms",
        )
    )
    print("  targets (issue 14):")
    for label, met, figure in checks:
        print(f"    {'met    ' if met else 'NOT MET'}  {label:<52} {figure}")


def main() -> int:
    setup_django()
    from django.db import connection

    # No setup_test_environment(): it instruments every template render for the test client,
    # which production does not pay for.
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows: list[dict] = []
        for n_scenarios, n_measures in SIZES:
            page_rows, org = measure_pages(n_scenarios, n_measures)
            rows += page_rows
        rows += measure_pdfs(org, *SIZES[-1])
        rows += measure_baseline()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"Cold phase ({database_label()}, pages: median and p95 of {REPEAT}):")
    print_rows(baselined(rows))
    _print_targets(rows)
    _print_ratios(rows)
    write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
