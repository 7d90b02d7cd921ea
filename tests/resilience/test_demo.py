import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crisisroom.models import AuditEvent, Organisation, OrganisationMember, Partner
from meetings.demo.people import DEMO_PASSWORD, MUNICIPALITY
from resilience import selectors
from resilience.models import (
    LIKELIHOOD,
    Assessment,
    CriticalProcess,
    Measure,
    MeasureRevision,
    MeasureStatus,
    MeasureTheme,
    PriorityDecision,
    ProgressNote,
    ResilienceRole,
    ThreatScenario,
)
from resilience.services.defaults import DEFAULT_SCENARIOS

pytestmark = pytest.mark.django_db


@pytest.fixture
def zuiderveen() -> Organisation:
    call_command("demo_data")
    return Organisation.objects.get(name=MUNICIPALITY)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            ResilienceRole,
            Partner,
            ThreatScenario,
            Assessment,
            PriorityDecision,
            Measure,
            MeasureRevision,
            ProgressNote,
            CriticalProcess,
            AuditEvent,
        )
    )


def test_the_adviser_maintains_and_the_mayor_decides_the_cold_phase(zuiderveen):
    roles = dict(
        ResilienceRole.objects.filter(organisation=zuiderveen).values_list("user__username", "kind")
    )
    assert roles == {"aov": ResilienceRole.Kind.AOV, "burgemeester": ResilienceRole.Kind.BESTUUR}


def test_eight_scenarios_are_scored_on_every_criterion_and_ranked(zuiderveen):
    scenarios = selectors.scenarios_of(organisation=zuiderveen)
    rows = selectors.ranking(
        framework=selectors.framework_current(organisation=zuiderveen), scenarios=scenarios
    )
    assert len(rows) == 8
    assert all(row.is_complete for row in rows), [row.missing for row in rows]
    assert [row.rank for row in rows] == list(range(1, 9))
    titles = {row.scenario.title for row in rows}
    assert {title for title, _theme, _text in DEFAULT_SCENARIOS} < titles
    aov = _user("aov")
    assert all(a.scored_by == aov and a.reasoning for row in rows for a in row.scores.values())


def test_the_criteria_stay_the_shipped_defaults(zuiderveen):
    framework = selectors.framework_current(organisation=zuiderveen)
    assert framework is not None
    assert framework.version == 1 and framework.shipped_source


def test_one_score_was_changed_later_and_both_versions_stay_readable(zuiderveen):
    changed = [
        scenario
        for scenario in selectors.scenarios_of(organisation=zuiderveen)
        if selectors.assessment_history(scenario=scenario).count() > 11
    ]
    assert len(changed) == 1
    newest, older = selectors.assessment_history(scenario=changed[0]).filter(aspect=LIKELIHOOD)
    assert newest.value != older.value and newest.scored_at > older.scored_at


def test_the_mayor_decided_four_priorities_with_reasons_and_a_review_date(zuiderveen):
    decision = selectors.decision_current(organisation=zuiderveen)
    assert decision is not None and decision.recorded_by == _user("burgemeester")
    assert decision.decided_by == PriorityDecision.DecidedBy.MAYOR
    assert decision.items.count() == 4 and decision.reasons
    assert decision.decided_on < timezone.localdate() < decision.review_on
    # Decided on the ranking after the changed score: the basis lists all eight, ranked.
    assert [row["rank"] for row in decision.basis] == list(range(1, 9))


def test_the_programme_has_fifteen_measures_in_various_states_two_overdue(zuiderveen):
    state = selectors.programme_state(organisation=zuiderveen)
    # Fifteen of the cold phase, and one lesson of the region's exercise taken into the plan.
    assert state.total == 16
    assert state.overdue == 2
    assert state.by_status[MeasureStatus.GESTOPT] == 1
    assert all(state.by_status[s] >= 3 for s in (MeasureStatus.GEREED, MeasureStatus.LOOPT))
    assert state.by_status[MeasureStatus.GEPLAND] >= 3
    measures = [
        m for m in selectors.measures_of(organisation=zuiderveen) if not hasattr(m, "lesson")
    ]
    assert len(measures) == 15
    themes = {m.theme for m in measures}
    assert themes == {t.value for t in MeasureTheme} - {MeasureTheme.ANDERS}
    assert len({m.phase for m in measures}) == 3
    assert all(m.scenarios.exists() for m in measures)
    members = set(
        OrganisationMember.objects.filter(organisation=zuiderveen).values_list("user", flat=True)
    )
    people = [m for m in measures if m.owner is not None]
    assert people and all(m.owner_id in members for m in people)
    assert any(m.owner_function for m in measures)
    assert any(m.owner_partner for m in measures)
    assert ProgressNote.objects.filter(measure__organisation=zuiderveen).count() >= 8


def test_owners_find_their_open_measures_one_of_them_overdue(zuiderveen):
    mine = list(selectors.measures_for_owner(user=_user("informatiemanager")))
    assert len(mine) == 1 and mine[0].is_overdue()


def test_four_critical_processes_are_secured_by_measures(zuiderveen):
    processes = list(selectors.critical_processes(organisation=zuiderveen))
    assert len(processes) == 4
    assert all(p.max_outage_hours and p.fallback and p.measures.exists() for p in processes)


def test_the_cold_phase_happened_between_set_up_and_now(zuiderveen):
    now = timezone.now()
    events = AuditEvent.objects.filter(organisation=zuiderveen, crisis__isnull=True)
    assert all(zuiderveen.created_at <= e.at < now for e in events)
    scored = Assessment.objects.filter(scenario__organisation=zuiderveen)
    assert all(zuiderveen.created_at < a.scored_at < now for a in scored)
    decision = PriorityDecision.objects.get(organisation=zuiderveen)
    assert all(a.scored_at < decision.recorded_at for a in scored)
    assert all(
        m.created_at <= n.written_at < now
        for m in Measure.objects.filter(organisation=zuiderveen)
        for n in m.progress.all()
    )


def test_loading_the_demo_again_changes_nothing(zuiderveen):
    first = _counts()
    call_command("demo_data")
    assert _counts() == first
    assert selectors.programme_state(organisation=zuiderveen).overdue == 2


def test_the_adviser_logs_in_with_the_demo_password_and_opens_the_weighing(zuiderveen):
    client = Client()
    assert client.login(username="aov", password=DEMO_PASSWORD)
    response = client.get(reverse("weighing_page", args=[zuiderveen.pk]))
    assert response.status_code == 200
    assert "Langdurige uitval drinkwatervoorziening" in response.content.decode()
