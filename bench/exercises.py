"""Exercises at regional scale: the exercise leader's control screen, the observer's page, the
evaluation, the report PDF and the region's comparison.

    python -m bench.exercises            (SQLite; DATABASE_URL=postgres://... for PostgreSQL)

Builds, in a throw-away test database, a safety region with ten member municipalities, each
with a GBT on its roster, and one scenario of twelve injects with four learning objectives run
at every member: the clock started 75 minutes ago, every inject released, a meeting through all
five phases with 200 log entries (20 of them decisions), 40 observations; nine runs evaluated
(ratings, two leerpunten, feedback), the tenth under way. Renders each page through Django's
test client, no network: server time as median and p95, and the SQL queries of one request,
once with one run and once with ten (they should not grow with the number of runs, except the
comparison, which shows them all). Figures are printed beside this machine's baseline (a
trivial view and WeasyPrint on a plain two-page A4, measured in the same run), never asserted.
"""

import statistics
import sys
import uuid
from datetime import timedelta
from functools import partial

from bench._common import baselined, database_label, print_rows, setup_django, write_results
from bench.resilience import PDF_REPEAT, REPEAT, measure_baseline, p95, timings

MEMBERS = 10
ENTRIES = 200
OBSERVATIONS = 40


def _run(member, version, people, leader, observer, *, evaluate: bool):
    from django.db.models import F
    from django.utils import timezone

    from crisisroom.models import Crisis
    from exercises import services
    from exercises.models import Exercise, InjectRelease, Observation
    from meetings import services as meeting_services
    from meetings.models import Entry

    exercise = services.exercise_create(
        organisation=member,
        version=version,
        title=f"Oefening {member.name}",
        actor=leader,
        client_token=uuid.uuid4(),
        observers=[observer],
    )
    services.exercise_clock_start(exercise=exercise, actor=leader)
    start = timezone.now() - timedelta(minutes=75)
    Exercise.objects.filter(pk=exercise.pk).update(clock_started_at=start)
    Crisis.objects.filter(pk=exercise.crisis_id).update(started_at=start - timedelta(minutes=30))
    exercise.refresh_from_db()
    exercise.crisis.refresh_from_db()
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=people["chair"])
    phases = ["beeldvorming", "oordeelsvorming", "besluitvorming", "opdracht", "controle"]
    for i in range(ENTRIES):
        phase = phases[i * len(phases) // ENTRIES]
        if meeting.phase != phase:
            meeting = meeting_services.meeting_set_phase(
                meeting=meeting, phase=phase, actor=people["chair"]
            )
        decision = i % 10 == 9
        meeting_services.entry_record(
            crisis=exercise.crisis,
            meeting=meeting,
            actor=people["logger"],
            kind="besluit" if decision else "beeld",
            text=f"Regel {i}: stand van zaken bij de noodsteunpunten en de zorglocaties",
            reasoning="Volgens de toedelingsregel" if decision else "",
            decided_by=people["mayor"] if decision else None,
            client_token=uuid.uuid4(),
        )
    for inject in version.injects.all():
        services.inject_release(exercise=exercise, inject=inject, actor=leader)
    # Spread over the play, as a real run releases them.
    for n, release in enumerate(InjectRelease.objects.filter(exercise=exercise)):
        InjectRelease.objects.filter(pk=release.pk).update(
            released_at=start + timedelta(minutes=5 * n + 1)
        )
    Entry.objects.filter(crisis=exercise.crisis).update(
        recorded_at=F("recorded_at") - timedelta(minutes=30)
    )
    objectives = list(version.objectives.all())
    for i in range(OBSERVATIONS):
        services.observation_record(
            exercise=exercise,
            observer=observer,
            text=f"Waarneming {i}: de voorzitter vat samen en vraagt door",
            client_token=uuid.uuid4(),
            at=start + timedelta(minutes=i + 1),
            phase=phases[i % len(phases)],
            objective=objectives[i % len(objectives)],
        )
    Observation.objects.filter(exercise=exercise).update(recorded_at=F("at"))
    if not evaluate:
        return exercise
    services.exercise_end(exercise=exercise, actor=leader)
    exercise.refresh_from_db()
    for objective, level in zip(objectives, "psmp", strict=False):
        services.rating_set(
            exercise=exercise, objective=objective, level=level, note="Toelichting", actor=leader
        )
    for i in range(2):
        services.lesson_record(
            exercise=exercise,
            text=f"Leerpunt {i}: terugkoppeltijd bij elke opdracht",
            owner=people["chair"],
            deadline=timezone.localdate() + timedelta(days=30),
            actor=leader,
            as_measure=i == 1,
        )
    for key in ("chair", "mayor", "logger"):
        services.feedback_give(
            exercise=exercise,
            user=people[key],
            went_well="Rust aan tafel",
            to_improve="Sneller besluiten",
            anonymous=key == "logger",
        )
    services.evaluation_close(exercise=exercise, actor=leader)
    exercise.refresh_from_db()
    return exercise


def build():
    from django.contrib.auth import get_user_model
    from django.db import connection

    from crisisroom import services as core
    from crisisroom.models import Organisation, RosterEntry
    from crisisroom.roles import Role
    from exercises import services
    from exercises.models import Inject, LearningObjective, Scenario, ScenarioVersion
    from formats.selectors import format_current

    users = get_user_model().objects
    region = core.organisation_create(
        name="Veiligheidsregio Bench", kind=Organisation.Kind.REGION, actor=None
    )
    leader = users.create_user("bench-oefenleider")
    observer = users.create_user("bench-waarnemer")
    core.organisation_member_set(
        organisation=region, user=leader, actor=None, is_exercise_leader=True
    )
    core.organisation_member_set(organisation=region, user=observer, actor=None)
    scenario = Scenario.objects.create(organisation=region, created_by=leader)
    sections = format_current(organisation=region).sections.all()
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=1,
        title="Langdurige stroomuitval",
        background="Stroomuitval in de hele regio sinds 03:40.",
        team_kind="gbt",
        analysis={s.key: f"Tekst voor {s.title}" for s in sections},
        created_by=leader,
    )
    for order in range(1, 5):
        LearningObjective.objects.create(version=version, order=order, text=f"Leerdoel {order}")
    for number in range(1, 13):
        Inject.objects.create(
            version=version,
            number=number,
            offset_minutes=5 * number,
            channel="telefoon",
            sender="Zorgcentrum",
            addressee_role=Role.MAYOR,
            summary=f"Inject {number}: noodstroom houdt nog {number} uur",
            text="Het aggregaat heeft brandstof voor enkele uren.",
            excon_note="Alleen voor de regie",
            expected_response="Besluit volgens de toedelingsregel",
        )
    services.publication_create(region=region, actor=leader, target=version)
    runs = []
    for m in range(MEMBERS):
        member = core.organisation_create(
            name=f"Gemeente Bench {m}",
            kind=Organisation.Kind.MUNICIPALITY,
            actor=None,
            region=region,
        )
        people = {}
        for key, role in (
            ("chair", Role.TECHNICAL_CHAIR),
            ("mayor", Role.MAYOR),
            ("logger", Role.LOGGER),
            ("rol", Role.ROL),
        ):
            person = users.create_user(f"bench-{m}-{key}")
            core.organisation_member_set(organisation=member, user=person, actor=None)
            RosterEntry.objects.create(organisation=member, role=role, user=person, rank=1)
            people[key] = person
        runs.append(
            (
                _run(member, version, people, leader, observer, evaluate=m < MEMBERS - 1),
                people,
            )
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return region, scenario, leader, observer, runs


def measure() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    region, scenario, leader, observer, runs = build()
    evaluated, evaluated_people = runs[0]
    running, _people = runs[-1]
    lead, watch, mayor = Client(), Client(), Client()
    lead.force_login(leader)
    watch.force_login(observer)
    mayor.force_login(evaluated_people["mayor"])
    pages = (
        ("exercise_control_page", lead, reverse("exercise_control", args=[running.crisis_id])),
        (
            "exercise_control_live",
            lead,
            reverse("exercise_control_region", args=[running.crisis_id]),
        ),
        ("exercise_observe_page", watch, reverse("exercise_observe", args=[running.crisis_id])),
        ("exercise_overview_page", mayor, reverse("exercise_overview", args=[evaluated.crisis_id])),
        (
            "exercise_evaluation_page",
            lead,
            reverse("exercise_evaluation", args=[evaluated.crisis_id]),
        ),
        ("exercise_compare_page", lead, reverse("exercise_compare", args=[region.pk, scenario.pk])),
    )
    cond = {
        "members": MEMBERS,
        "entries": ENTRIES,
        "observations": OBSERVATIONS,
        "injects": 12,
        "database": database_label(),
    }
    rows = []
    for name, client, url in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101  # nosec B101
        rows.append(
            {"name": f"{name}_queries", "value": len(ctx), "unit": "queries", "conditions": cond}
        )
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
    report = reverse("exercise_report", args=[evaluated.crisis_id])
    response = lead.get(report)
    assert response.status_code == 200  # noqa: S101  # nosec B101
    pages_in_pdf = response.content.count(b"/Type /Page\n") or response.content.count(
        b"/Type /Page"
    )
    times = timings(partial(lead.get, report), PDF_REPEAT)
    rows.append(
        {
            "name": "exercise_report_pdf_ms",
            "value": round(statistics.median(times)),
            "unit": "ms",
            "conditions": {**cond, "repeat": PDF_REPEAT, "statistic": "median"},
        }
    )
    rows.append(
        {
            "name": "exercise_report_pdf_kilobytes",
            "value": round(len(response.content) / 1024),
            "unit": "kB",
            "conditions": {**cond, "pdf_objects_named_page": pages_in_pdf},
        }
    )
    return rows


def _print_ratios(rows: list[dict]) -> None:
    value = {r["name"]: r["value"] for r in rows}
    view, pdf = value.get("baseline_trivial_view_ms"), value.get("baseline_weasyprint_two_pages_ms")
    if not view or not pdf:
        return
    print(
        f"  as multiples of this machine's baseline (trivial view {view} ms, 2-page PDF {pdf} ms):"
    )
    for name in (
        "exercise_control_page",
        "exercise_control_live",
        "exercise_observe_page",
        "exercise_overview_page",
        "exercise_evaluation_page",
        "exercise_compare_page",
    ):
        median = value[f"{name}_median_ms"]
        print(f"    {name:<28} {median / view:6.1f}×  ({value[f'{name}_queries']} queries)")
    print(f"    {'exercise_report_pdf':<28} {value['exercise_report_pdf_ms'] / pdf:6.1f}×")


def main() -> int:
    setup_django()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = measure()
        rows += measure_baseline()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"Exercises ({database_label()}, pages: median and p95 of {REPEAT}):")
    print_rows(baselined(rows))
    _print_ratios(rows)
    write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
