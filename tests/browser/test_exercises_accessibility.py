"""Every page of the exercises through axe-core as the person who uses it, with data on it: no
serious or critical WCAG 2.1 AA violation."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exercises import services
from meetings import services as meeting_services
from tests.browser.test_accessibility import axe_violations
from tests.exercises.conftest import exer, exercise  # noqa: F401 - the exercise's fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _played(world, exer, exercise) -> None:  # noqa: F811
    """The exercise under way: the clock runs, an inject is out, a decision and an observation."""
    leader = exer.region_leader
    services.exercise_clock_start(exercise=exercise, actor=leader)
    exercise.refresh_from_db()
    services.injects_release_due(exercise=exercise)
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)
    meeting_services.entry_record(
        crisis=exercise.crisis,
        meeting=meeting,
        actor=world.logger,
        kind="besluit",
        text="Brandstof eerst naar De Linde",
        reasoning="Bedlegerige bewoners",
        decided_by=world.mayor,
        client_token=uuid.uuid4(),
    )
    services.observation_record(
        exercise=exercise,
        observer=exer.waarnemer,
        text="Besluit met argumenten",
        client_token=uuid.uuid4(),
        objective=exer.objectives[1],
    )


def _evaluated(world, exer):  # noqa: F811
    """A second run, ended and evaluated: feedback, a rating, a leerpunt, closed."""
    leader = exer.region_leader
    run = services.exercise_create(
        organisation=exer.org_a,
        version=exer.version,
        title="Tweede oefenronde",
        actor=leader,
        client_token=uuid.uuid4(),
        observers=[exer.waarnemer],
    )
    services.exercise_clock_start(exercise=run, actor=leader)
    run.refresh_from_db()
    services.injects_release_due(exercise=run)
    services.exercise_end(exercise=run, actor=leader)
    run.refresh_from_db()
    services.feedback_give(
        exercise=run, user=world.mayor, went_well="Rust", to_improve="Tempo", anonymous=True
    )
    services.rating_set(
        exercise=run, objective=exer.objectives[0], level="s", note="Redelijk", actor=leader
    )
    services.lesson_record(
        exercise=run,
        text="Terugkoppeltijd bij elke opdracht",
        owner=world.chair,
        deadline=timezone.localdate() + timedelta(days=30),
        actor=leader,
    )
    services.evaluation_close(exercise=run, actor=leader)
    return run


def test_no_exercise_page_has_a_serious_or_critical_violation(
    world,
    exer,  # noqa: F811
    exercise,  # noqa: F811
    browser,
    live_server,
):
    _played(world, exer, exercise)
    done = _evaluated(world, exer)
    region, org_a = exer.region.pk, exer.org_a.pk
    scenario = exer.scenario.pk
    own = services.scenario_create(
        organisation=exer.org_a,
        actor=exer.a_leader,
        data=services.VersionInput(
            title="Eigen scenario Aadorp",
            background="Hoogwater",
            team_kind="gbt",
            planned_minutes=60,
            objectives=["Besluiten met argumenten"],
            analysis={},
            note="",
        ),
    )
    run, evaluated = exercise.crisis_id, done.crisis_id
    found = {}
    found |= axe_violations(
        browser,
        live_server,
        exer.region_leader,
        "region_leader",
        [
            reverse("exercise_library", args=[region]),
            reverse("scenario_page", args=[region, scenario]),
            reverse("scenario_change", args=[region, scenario]),
            reverse("exercise_runs", args=[region]),
            reverse("exercise_new", args=[region]),
            reverse("exercise_region", args=[region]),
            reverse("exercise_compare", args=[region, scenario]),
            reverse("exercise_overview", args=[run]),
            reverse("exercise_control", args=[run]),
            reverse("exercise_observe", args=[run]),
            reverse("exercise_evaluation", args=[evaluated]),
        ],
    )
    found |= axe_violations(
        browser,
        live_server,
        exer.a_leader,
        "a_leader",
        [
            reverse("exercise_library", args=[org_a]),
            reverse("exercise_region", args=[org_a]),
            reverse("scenario_new", args=[org_a]),
            reverse("scenario_change", args=[org_a, own.pk]),
            reverse("inject_new", args=[org_a, own.pk]),
        ],
    )
    found |= axe_violations(
        browser,
        live_server,
        world.mayor,
        "mayor",
        [
            reverse("exercise_overview", args=[run]),
            reverse("exercise_evaluation", args=[evaluated]),
            reverse("crisis_list"),
        ],
    )
    assert not found, found
