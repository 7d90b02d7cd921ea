"""The first 72 hours at municipal scale: the map page and a crisis's affected-area page.

    python -m bench.first72            (SQLite; DATABASE_URL=postgres://... for PostgreSQL)

Builds, in a throw-away test database, a municipality with 200 districts (each with an outline
of 40 vertices and counts for five vulnerable groups), 500 vulnerable locations (a tenth counted
clusters), 60 noodsteunpunten and allocation rules for four goods, plus a small one with 20
districts and 50 locations. A crisis of each marks every district as affected. Renders the map
page (as the AOV) and the crisis's "Eerste 72 uur" page (as the chair) through Django's test
client, no network: server time as median and p95, and the SQL queries of one request at both
sizes, which should be the same. The issue's target (≤ 50 ms at 500 locations and 200
districts) is printed beside the figures, never asserted; so are the multiples of this machine's
baseline (a trivial view through the whole middleware stack, measured in the same run).
"""

import math
import random
import statistics
import sys
import uuid
from datetime import timedelta
from decimal import Decimal
from functools import partial

from bench._common import baselined, database_label, print_rows, setup_django, write_results
from bench.resilience import REPEAT, measure_baseline, p95, timings

SIZES = ((20, 50), (200, 500))  # (districts, vulnerable locations); the last is the issue's
POINTS = {20: 10, 200: 60}
TARGET_PAGE_MS = 50
CENTRE = (52.26, 6.01)


def _outline(row: int, col: int, cols: int) -> dict:
    """A 40-vertex ring inside one cell of a grid around the centre: realistic vertex counts."""
    size = 0.01
    lat0 = CENTRE[0] + (row - cols / 2) * size
    lon0 = CENTRE[1] + (col - cols / 2) * size * 1.6
    ring = [
        [
            round(lon0 + size * 0.8 * (0.5 + 0.45 * math.cos(2 * math.pi * k / 39)), 6),
            round(lat0 + size * 0.5 * (1 + 0.9 * math.sin(2 * math.pi * k / 39)), 6),
        ]
        for k in range(39)
    ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def build(n_districts: int, n_locations: int):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from crisisroom import services as core
    from crisisroom.models import Partner
    from crisisroom.roles import Role
    from resilience import services
    from resilience.models import (
        CLUSTER_KINDS,
        AffectedDistrict,
        AllocationRule,
        AllocationRuleVersion,
        Dependency,
        District,
        EmergencyPoint,
        GoodKind,
        GroupCount,
        LocationKind,
        PointKind,
        PointService,
        PointStatus,
        ResilienceRole,
        ScarceGood,
        Stock,
        VulnerableGroup,
        VulnerableLocation,
    )

    rng = random.Random(n_locations)  # the same data every run
    org = core.organisation_create(
        actor=None, name=f"Bench {uuid.uuid4().hex[:6]}", kind="municipality"
    )
    users = get_user_model().objects
    admin = users.create_user(username=f"beheerder-{org.pk}", password="x")
    core.organisation_member_set(organisation=org, user=admin, actor=None, is_administrator=True)
    aov = users.create_user(username=f"aov-{org.pk}", password="x")
    chair = users.create_user(username=f"voorzitter-{org.pk}", password="x")
    for user in (aov, chair):
        core.organisation_member_set(organisation=org, user=user, actor=None)
    services.resilience_role_set(
        organisation=org, actor=admin, user=aov, kind=ResilienceRole.Kind.AOV
    )

    cols = math.ceil(math.sqrt(n_districts))
    District.objects.bulk_create(
        District(
            organisation=org,
            code=f"BU9999{i // 100:02d}{i % 100:02d}",
            name=f"Buurt {i}",
            level=District.Level.BUURT,
            outline=_outline(i // cols, i % cols, cols),
        )
        for i in range(n_districts)
    )
    districts = list(District.objects.filter(organisation=org).order_by("code"))
    groups = [
        VulnerableGroup.objects.create(organisation=org, name=name)
        for name in (
            "75-plussers alleen",
            "Thuiszorg",
            "Rolstoel",
            "Beperkt Nederlands",
            "Mantelzorg",
        )
    ]
    today = timezone.localdate()
    GroupCount.objects.bulk_create(
        GroupCount(group=g, district=d, count=rng.randint(0, 400), source="Bench", as_of=today)
        for g in groups
        for d in districts
    )
    partners = [
        Partner.objects.create(organisation=org, name=f"Zorgpartner {i}", kind=Partner.Kind.ZORG)
        for i in range(6)
    ]
    kinds = [k for k in LocationKind if k not in CLUSTER_KINDS]
    dependencies = list(Dependency.values)
    locations = []
    for i in range(n_locations):
        district = districts[i % len(districts)]
        cluster = i % 10 == 0
        ring = district.outline["coordinates"][0]
        lon, lat = ring[i % 39]
        locations.append(
            VulnerableLocation(
                organisation=org,
                name=f"Locatie {i}",
                kind=CLUSTER_KINDS[i % 2] if cluster else kinds[i % len(kinds)],
                address="" if cluster else f"Dorpsstraat {i}",
                latitude=None if cluster else lat,
                longitude=None if cluster else lon,
                district=district,
                people=rng.randint(3, 200),
                dependencies=rng.sample(dependencies, rng.randint(1, 3)),
                partner=partners[i % len(partners)],
            )
        )
    VulnerableLocation.objects.bulk_create(locations, batch_size=500)
    statuses, services_all = list(PointStatus.values), list(PointService.values)
    EmergencyPoint.objects.bulk_create(
        EmergencyPoint(
            organisation=org,
            name=f"Noodsteunpunt {i}",
            kind=list(PointKind.values)[i % len(PointKind.values)],
            address=f"Plein {i}",
            latitude=districts[i % len(districts)].outline["coordinates"][0][5][1],
            longitude=districts[i % len(districts)].outline["coordinates"][0][5][0],
            district=districts[i % len(districts)],
            capacity=100 + i,
            services=rng.sample(services_all, 4),
            power_hours=72 if i % 2 else None,
            key_holder="Beheerder, 06-12345678",
            status=statuses[i % len(statuses)],
            status_at=timezone.now(),
            status_by=aov,
        )
        for i in range(POINTS[n_districts])
    )
    for i, kind in enumerate(
        (GoodKind.DRINKWATER, GoodKind.AGGREGATEN, GoodKind.VOEDSEL, GoodKind.BRANDSTOF)
    ):
        good = ScarceGood.objects.create(
            organisation=org, name=str(kind.label), kind=kind, unit="stuks"
        )
        Stock.objects.create(good=good, place="Gemeentewerf", quantity=Decimal(1000), as_of=today)
        rule = AllocationRule.objects.create(
            organisation=org, number=i + 1, good=good, title=f"Regel {i}"
        )
        for version in (1, 2):
            AllocationRuleVersion.objects.create(
                rule=rule,
                version=version,
                priority_order="Zorginstellingen\nThuisdialyse\nKinderopvang\nNoodsteunpunten",
                decided_by="college van B en W",
                decided_on=today - timedelta(days=90 - version),
                reasons="Eerst wie zich het minst zelf kan redden.",
                recorded_by=aov,
            )
    crisis = core.crisis_open(
        organisation=org,
        title="Langdurige stroomuitval",
        team_kind="gbt",
        actor=admin,
        staff_from_roster=False,
    )
    core.membership_add(crisis=crisis, user=chair, role=Role.TECHNICAL_CHAIR, actor=admin)
    AffectedDistrict.objects.bulk_create(
        AffectedDistrict(crisis=crisis, district=d, marked_by=chair) for d in districts
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return org, crisis, aov, chair


def measure_pages(n_districts: int, n_locations: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    org, crisis, aov, chair = build(n_districts, n_locations)
    adviser, chair_client = Client(), Client()
    adviser.force_login(aov)
    chair_client.force_login(chair)
    pages = (
        ("first72_map_page", adviser, reverse("first72_map", args=[org.pk])),
        ("first72_crisis_page", chair_client, reverse("crisis_first72", args=[crisis.pk])),
    )
    cond = {"districts": n_districts, "locations": n_locations, "database": database_label()}
    rows = []
    for name, client, url in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101  # nosec B101
        rows.append(
            {"name": f"{name}_queries", "value": len(ctx), "unit": "queries", "conditions": cond}
        )
        rows.append(
            {
                "name": f"{name}_kilobytes",
                "value": round(len(response.content) / 1024),
                "unit": "kB",
                "conditions": cond,
            }
        )
        if n_locations != SIZES[-1][1]:
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
    return rows


def _print_targets(rows: list[dict]) -> None:
    value = {(r["name"], r["conditions"].get("locations")): r["value"] for r in rows}
    base = value.get(("baseline_trivial_view_ms", None))
    large = SIZES[-1][1]
    print(f"  targets (issue 15), at {SIZES[-1][0]} districts and {large} locations:")
    for page in ("first72_map_page", "first72_crisis_page"):
        median, tail = value[(f"{page}_median_ms", large)], value[(f"{page}_p95_ms", large)]
        ratio = f", {median / base:.1f}× the trivial view" if base else ""
        met = "met    " if median <= TARGET_PAGE_MS else "NOT MET"
        print(f"    {met}  {page} ≤ {TARGET_PAGE_MS} ms: median {median} ms, p95 {tail} ms{ratio}")
        counts = [value[(f"{page}_queries", n)] for _d, n in SIZES]
        same = "met    " if len(set(counts)) == 1 else "NOT MET"
        print(f"    {same}  {page} queries constant: " + " → ".join(str(c) for c in counts))


def main() -> int:
    setup_django()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows: list[dict] = []
        for n_districts, n_locations in SIZES:
            rows += measure_pages(n_districts, n_locations)
        rows += [r for r in measure_baseline() if r["name"] == "baseline_trivial_view_ms"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"First 72 hours ({database_label()}, pages: median and p95 of {REPEAT}):")
    print_rows(baselined(rows))
    _print_targets(rows)
    write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
