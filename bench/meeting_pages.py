"""Server time and SQL queries of the meeting screens with a long log, and of an idle poll.

    python -m bench.meeting_pages            (SQLite; DATABASE_URL=postgres://... for PostgreSQL)

Builds a crisis with N log entries (every tenth an assignment, so 500 at 5,000) in a throw-away
test database, then renders the chair's console (also in Controle) and the wall screen through
Django's test client (no network) and polls the live endpoint with nothing new. Times are
medians.

Each screen is measured four ways in the same run, request by request in turn (see MODES):
every region rendered (``*_uncached``: the cache emptied first, as before regions were shared),
every further screen at an unchanged log revision (the plain name: ``chair_console_ms``), the
first screen after a new entry (``*_after_entry``) and the first after any other write
(``*_after_change``), each time also against the uncached one (``*_vs_uncached``: new/today).
"""

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta

from bench._common import (
    baselined,
    database_label,
    median_ms,
    print_rows,
    setup_django,
    write_results,
)

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
SIZES = (50, 5000)


def build(n_entries: int):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from crisisroom import services as core
    from crisisroom.roles import Role
    from crisisroom.services import organisation_create
    from meetings import services
    from meetings.models import Assignment, Entry, Logbook

    users = get_user_model().objects
    org = organisation_create(actor=None, name=f"Bench {uuid.uuid4().hex[:6]}", kind="municipality")
    crisis = core.crisis_open(
        organisation=org, title="Bench", team_kind="gbt", actor=None, staff_from_roster=False
    )
    people = {}
    for role in (Role.TECHNICAL_CHAIR, Role.MAYOR, Role.LOGGER, Role.ADVISER):
        user = users.create_user(username=f"{role}-{uuid.uuid4().hex[:6]}", password="x")
        core.organisation_member_set(organisation=org, user=user, actor=None)
        core.membership_add(crisis=crisis, user=user, role=role, actor=None)
        people[role] = user
    meeting = services.meeting_start(crisis=crisis, actor=people[Role.TECHNICAL_CHAIR])
    # Bulk rows: the benchmark measures reading a long log, not writing it.
    now = timezone.now()
    entries = [
        Entry(
            crisis=crisis,
            meeting=meeting,
            seq=i + 1,
            kind="opdracht" if i % 10 == 0 else ("besluit" if i % 10 == 5 else "beeld"),
            phase="beeldvorming",
            text=f"Regel {i + 1}: situatie in wijk {i % 40} — metingen, verkeer en opvang",
            reasoning="Afweging gezondheid tegen maatschappelijke onrust" if i % 10 == 5 else "",
            author=people[Role.LOGGER],
            recorded_at=now - timedelta(seconds=n_entries - i),
        )
        for i in range(n_entries)
    ]
    Entry.objects.bulk_create(entries, batch_size=1000)
    saved = Entry.objects.filter(crisis=crisis, kind="opdracht").order_by("seq")
    Assignment.objects.bulk_create(
        [
            Assignment(
                entry=e,
                crisis=crisis,
                owner_function="communicatieadviseur",
                deadline=now + timedelta(hours=1 + e.seq % 5),
            )
            for e in saved
        ],
        batch_size=1000,
    )
    Logbook.objects.filter(pk=crisis.pk).update(last_seq=n_entries)
    if connection.vendor == "postgresql":
        # A live database has statistics (autovacuum); freshly bulk-loaded tables do not.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return crisis, meeting, people


# How a meeting screen is served: "uncached" renders every region (the cache emptied before each
# request: what each screen cost before regions were shared), "warm" is what every further
# screen pays at an unchanged log revision, "after_entry" the first screen after a new entry
# (the commonest write at the table: the regions that show entries are rendered again) and
# "after_change" the first after any other write (every shared region is rendered again).
MODES = ("uncached", "warm", "after_entry", "after_change")


def _serve(client, url: str, prepare) -> float:
    prepare()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code  # nosec B101
    return elapsed


def compare(name: str, client, url: str, prepares: dict, cond: dict) -> list[dict]:
    """``name``'s server time (median) and queries in each mode, measured in turn request by
    request so that the modes see the same machine; and each mode's time against uncached."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    for mode in MODES:  # warm up templates, translations, the connection
        _serve(client, url, prepares[mode])
    for _ in range(REPEAT):
        for mode in MODES:
            times[mode].append(_serve(client, url, prepares[mode]))
    rows = []
    medians = {mode: statistics.median(values) for mode, values in times.items()}
    for mode in MODES:
        label = name if mode == "warm" else f"{name}_{mode}"
        prepares[mode]()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, response.status_code  # nosec B101
        rows += [
            {
                "name": f"{label}_ms",
                "value": round(medians[mode], 1),
                "unit": "ms",
                "conditions": cond,
            },
            {"name": f"{label}_queries", "value": len(ctx), "unit": "queries", "conditions": cond},
        ]
        if mode != "uncached":
            rows.append(
                {
                    "name": f"{label}_vs_uncached",
                    "value": round(medians[mode] / medians["uncached"], 2),
                    "unit": "ratio",
                    "conditions": cond,
                }
            )
    return rows


def measure(n_entries: int) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from crisisroom.roles import Role
    from meetings import services
    from meetings.access import live_token_for
    from meetings.models import Assignment
    from meetings.selectors import logbook_revision

    crisis, meeting, people = build(n_entries)
    assignments = Assignment.objects.filter(crisis=crisis).count()
    chair = Client()
    chair.force_login(people[Role.TECHNICAL_CHAIR])
    console = reverse("meeting_detail", args=[crisis.pk, meeting.number])
    projection = reverse("meeting_projection", args=[crisis.pk, meeting.number])
    mayor = Client()
    mayor.force_login(people[Role.MAYOR])
    token = live_token_for(
        crisis_pk=crisis.pk, user_pk=people[Role.MAYOR].pk, session_key=mayor.session.session_key
    )
    poll = reverse("live_poll", args=[token])
    poll += f"?r={logbook_revision(crisis=crisis)}"

    def queries(client, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code in (200, 204), response.status_code  # nosec B101
        return len(ctx)

    def new_entry() -> None:
        services.entry_record(
            crisis=crisis,
            meeting=meeting,
            actor=people[Role.LOGGER],
            kind="beeld",
            text="Nieuwe melding tijdens de meting",
            client_token=uuid.uuid4(),
        )

    def other_change() -> None:
        # What every other write does first (a phase, a tick, the kernbeeld, a message).
        with transaction.atomic():
            services.logbook_touch(crisis=crisis)

    prepares = {
        "uncached": cache.clear,
        "warm": lambda: None,
        "after_entry": new_entry,
        "after_change": other_change,
    }
    cond = {
        "entries": n_entries,
        "assignments": assignments,
        "database": database_label(),
        "repeat": REPEAT,
        "statistic": "median",
    }
    rows = compare("chair_console", chair, console, prepares, cond)
    rows += compare("projection", chair, projection, prepares, cond)
    if n_entries == max(SIZES):
        rows += [
            {
                "name": "live_update_idle_ms",
                "value": round(median_ms(lambda: mayor.get(poll), REPEAT * 10), 2),
                "unit": "ms",
                "conditions": {**cond, "repeat": REPEAT * 10},
            },
            {
                "name": "live_update_idle_queries",
                "value": queries(mayor, poll),  # the cookie is hashed, never looked up
                "unit": "queries",
                "conditions": cond,
            },
        ]
    # Controle lists every open assignment of the crisis: the heaviest console there is.
    services.meeting_set_phase(
        meeting=meeting, phase="controle", actor=people[Role.TECHNICAL_CHAIR]
    )
    rows += compare("chair_console_controle", chair, console, prepares, cond)
    return rows


def main() -> int:
    setup_django()
    from django.db import connection

    # No setup_test_environment(): it instruments every template render for the test client,
    # which production does not pay for.
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = []
        for n in SIZES:
            rows += measure(n)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"Meeting screens ({database_label()}, median of {REPEAT}):")
    print_rows(baselined(rows))
    write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
