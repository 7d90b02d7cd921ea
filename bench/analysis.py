"""The strategic analysis: PDF time (first time and again for the same version) and page time.

    python -m bench.analysis            (DATABASE_URL=postgres://... for PostgreSQL)

A full analysis of about three A4 pages. "Cold" is a version's first PDF; the first PDF in a
fresh process also pays for loading fonts and is reported on its own.
"""

import os
import statistics
import subprocess
import sys
import time
import uuid

from bench._common import (
    baselined,
    database_label,
    median_ms,
    print_rows,
    setup_django,
    write_results,
)

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
COLD_VERSIONS = 7

PARAGRAPH = (
    "De rookpluim trekt met een zuidwestenwind over de wijken Oosterpark en Molenakker. "
    "Metingen van de GGD en de brandweer lopen; de eerste uitslag volgt om 11:00 uur. "
)


def main() -> int:
    setup_django()
    from django.db import connection

    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = measure()
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    print(f"Strategic analysis ({database_label()}):")
    print_rows(baselined(rows))
    write_results(rows)
    return 0


def measure() -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from crisisroom import services as core
    from crisisroom.roles import Role
    from crisisroom.services import organisation_create
    from formats import services
    from formats.models import AnalysisVersion
    from formats.selectors import sections_with_text

    org = organisation_create(actor=None, name=f"Bench {uuid.uuid4().hex[:6]}", kind="municipality")
    crisis = core.crisis_open(
        organisation=org,
        title="Grote brand De Hoven",
        team_kind="gbt",
        actor=None,
        staff_from_roster=False,
    )
    users = {}
    for role in (Role.ROL, Role.MAYOR):
        user = get_user_model().objects.create_user(username=f"{role}-bench", password="x")
        core.organisation_member_set(organisation=org, user=user, actor=None)
        core.membership_add(crisis=crisis, user=user, role=role, actor=None)
        users[role] = user
    analysis = services.analysis_get_or_start(crisis=crisis)
    keys = list(analysis.format.sections.values_list("key", flat=True))

    def new_version(i: int) -> AnalysisVersion:
        current = type(analysis).objects.get(pk=analysis.pk)
        text = {key: f"({i}) " + PARAGRAPH * 5 for key in keys}
        saved = services.analysis_save_draft(
            analysis=current,
            actor=users[Role.ROL],
            sections=text,
            base_revision=current.draft_revision,
        )
        return services.analysis_hand_over(analysis=saved, actor=users[Role.ROL])

    first = new_version(0)
    start = time.perf_counter()
    pdf = services.analysis_pdf(version=first)
    first_in_process = (time.perf_counter() - start) * 1000
    info = subprocess.run(["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    pages = int(
        next(
            line.split()[-1]
            for line in info.stdout.decode().splitlines()
            if line.startswith("Pages:")
        )
    )

    cold = []
    for i in range(1, COLD_VERSIONS + 1):
        version = new_version(i)
        version = AnalysisVersion.objects.get(pk=version.pk)
        start = time.perf_counter()
        services.analysis_pdf(version=version)
        cold.append((time.perf_counter() - start) * 1000)

    mayor = Client()
    mayor.force_login(users[Role.MAYOR])
    latest = AnalysisVersion.objects.filter(analysis=analysis).order_by("-number").first()
    pdf_url = reverse("analysis_pdf", args=[crisis.pk, latest.number])
    page_url = reverse("analysis_page", args=[crisis.pk])
    chars = sum(len(t) for _, t in sections_with_text(version=latest))
    cond = {
        "sections": len(keys),
        "characters": chars,
        "pages": pages,
        "database": database_label(),
    }
    return [
        {
            "name": "analysis_pdf_first_in_process_ms",
            "value": round(first_in_process),
            "unit": "ms",
            "conditions": {**cond, "repeat": 1},
        },
        {
            "name": "analysis_pdf_cold_ms",
            "value": round(statistics.median(cold)),
            "unit": "ms",
            "conditions": {**cond, "repeat": COLD_VERSIONS, "statistic": "median"},
        },
        {
            "name": "analysis_pdf_cached_ms",
            "value": round(median_ms(lambda: mayor.get(pdf_url), REPEAT), 2),
            "unit": "ms",
            "conditions": {**cond, "repeat": REPEAT, "statistic": "median", "via": "view"},
        },
        {
            "name": "analysis_page_ms",
            "value": round(median_ms(lambda: mayor.get(page_url), REPEAT), 1),
            "unit": "ms",
            "conditions": {**cond, "repeat": REPEAT, "statistic": "median", "versions": 8},
        },
    ]


if __name__ == "__main__":
    sys.exit(main())
