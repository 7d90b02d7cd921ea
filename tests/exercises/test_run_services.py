import uuid

import pytest
from django.core.exceptions import ValidationError

from crisisroom.roles import Role
from crisisroom.selectors import crisis_roles_of
from exercises import services
from exercises.models import Exercise, InjectRelease
from formats.selectors import analysis_version_newest
from meetings import services as meeting_services
from meetings.models import Message


def test_exercise_crisis_is_staffed_marked_and_starts_from_the_scenario(world, exer, exercise):
    crisis = exercise.crisis
    assert crisis.is_exercise
    assert crisis.organisation == exer.org_a
    assert crisis_roles_of(crisis=crisis, user=exer.region_leader) == [Role.EXERCISE_LEADER]
    assert crisis_roles_of(crisis=crisis, user=exer.waarnemer) == [Role.OBSERVER]
    assert crisis_roles_of(crisis=crisis, user=world.mayor) == [Role.MAYOR]
    version = analysis_version_newest(crisis=crisis)
    assert version is not None and version.number == 1
    assert version.content["aanleiding"].startswith("Stroomstoring")
    exer.version.refresh_from_db()
    assert exer.version.is_frozen


def test_same_token_twice_is_one_exercise(exer):
    token = uuid.uuid4()
    kwargs = dict(
        organisation=exer.org_a,
        version=exer.version,
        title="Dubbel",
        actor=exer.region_leader,
        client_token=token,
    )
    assert services.exercise_create(**kwargs) == services.exercise_create(**kwargs)
    assert Exercise.objects.count() == 1


def test_a_region_has_no_table(exer):
    with pytest.raises(ValidationError):
        services.exercise_create(
            organisation=exer.region,
            version=exer.version,
            title="X",
            actor=exer.region_leader,
            client_token=uuid.uuid4(),
        )


def test_exercise_leader_role_only_in_an_exercise(world, exer):
    from crisisroom import services as core

    with pytest.raises(ValidationError):
        core.membership_add(
            crisis=world.crisis_a, user=world.chair, role=Role.EXERCISE_LEADER, actor=None
        )


def test_release_lands_on_the_desk_routed_to_the_addressee_once(world, exer, exercise):
    inject = exer.injects[2]
    with pytest.raises(ValidationError):
        services.inject_release(exercise=exercise, inject=inject, actor=exer.region_leader)
    services.exercise_clock_start(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    first = services.inject_release(exercise=exercise, inject=inject, actor=exer.region_leader)
    again = services.inject_release(exercise=exercise, inject=inject, actor=exer.region_leader)
    assert first == again
    message = first.message
    assert message.routed_to == world.mayor
    assert message.direction == Message.Direction.IN
    assert message.summary == "Pers vraagt om interview"
    assert "EXCON" not in message.body
    assert Message.objects.filter(crisis=exercise.crisis).count() == 1


def test_schedule_and_phase_release_what_is_due(world, exer, exercise):
    services.exercise_clock_start(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    released = services.injects_release_due(exercise=exercise)
    assert [r.inject.number for r in released] == [1]
    assert released[0].how == InjectRelease.How.SCHEDULE
    assert services.injects_release_due(exercise=exercise) == []
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)
    meeting_services.meeting_set_phase(meeting=meeting, phase="oordeelsvorming", actor=world.chair)
    released = services.injects_release_due(exercise=exercise)
    assert [r.inject.number for r in released] == [2]
    assert released[0].how == InjectRelease.How.PHASE


def test_observation_validates_and_is_idempotent(world, exer, exercise, record):
    token = uuid.uuid4()
    with pytest.raises(ValidationError):
        services.observation_record(
            exercise=exercise, observer=exer.waarnemer, text="  ", client_token=token
        )
    other_entry = record()  # crisis A's log, not the exercise's
    with pytest.raises(ValidationError) as error:
        services.observation_record(
            exercise=exercise,
            observer=exer.waarnemer,
            text="Voorzitter vat goed samen",
            client_token=token,
            entry=other_entry,
        )
    assert "entry" in error.value.message_dict
    one = services.observation_record(
        exercise=exercise,
        observer=exer.waarnemer,
        text="Voorzitter vat goed samen",
        client_token=token,
        objective=exer.objectives[0],
    )
    two = services.observation_record(
        exercise=exercise, observer=exer.waarnemer, text="x", client_token=token
    )
    assert one == two
