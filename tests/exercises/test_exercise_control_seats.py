"""What only the exercise control may see stays with it: nobody widens a player's seat into
the exercise control, nobody is both, a roster never seats it, administrators who may sit at the
table as players do not read the injects' notes, and the evaluation leaves no trace of who gave
anonymous feedback."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crisisroom import services as core
from crisisroom.models import AuditEvent, Membership, RosterEntry
from crisisroom.roles import Role
from exercises import services
from exercises.models import Publication
from exercises.selectors.evaluation import decisions_of
from formats.selectors import format_current
from meetings import services as meeting_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.EXERCISE_LEADER, Role.OBSERVER])
def test_the_mayor_cannot_seat_a_player_in_the_exercise_control(world, exer, exercise, login, role):
    response = login(world.mayor).post(
        reverse("crisis_member_add", args=[exercise.crisis_id]),
        {"user": world.logger.pk, "role": role},
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(
        crisis=exercise.crisis, user=world.logger, role=role
    ).exists()
    page = login(world.logger).get(reverse("exercise_control", args=[exercise.crisis_id]))
    assert page.status_code == 403


def test_nobody_is_player_and_exercise_control_at_once(world, exer, exercise):
    with pytest.raises(ValidationError):
        core.membership_add(
            crisis=exercise.crisis, user=world.chair, role=Role.OBSERVER, actor=exer.region_leader
        )
    with pytest.raises(ValidationError):
        core.membership_add(
            crisis=exercise.crisis, user=exer.waarnemer, role=Role.ADVISER, actor=world.chair
        )


def test_the_region_s_people_sit_at_a_member_s_table_only_as_exercise_control(
    world, exer, exercise
):
    with pytest.raises(ValidationError):
        core.membership_add(
            crisis=exercise.crisis, user=exer.region_admin, role=Role.ADVISER, actor=world.chair
        )
    seat = core.membership_add(
        crisis=exercise.crisis, user=exer.region_admin, role=Role.OBSERVER, actor=exer.region_leader
    )
    assert seat.role == Role.OBSERVER


def test_a_player_cannot_end_the_exercise_leader_s_seat(world, exer, exercise):
    seat = Membership.objects.get(crisis=exercise.crisis, user=exer.region_leader)
    with pytest.raises(ValidationError):
        core.membership_end(membership=seat, actor=world.mayor)
    seat.refresh_from_db()
    assert seat.ended_at is None


def test_the_roster_never_seats_the_exercise_control(world, exer):
    with pytest.raises(ValidationError):
        core.roster_entry_validate(
            entry=RosterEntry(
                organisation=exer.org_a, role=Role.EXERCISE_LEADER, user=world.adviser
            )
        )
    # A real crisis still opens with a roster observer; an exercise seats its own.
    RosterEntry.objects.create(organisation=exer.org_a, role=Role.OBSERVER, user=world.observer)
    real = core.crisis_open(
        organisation=exer.org_a, title="Echte storing", team_kind="gbt", actor=world.org_admin
    )
    assert Membership.objects.filter(crisis=real, user=world.observer).exists()
    run = services.exercise_create(
        organisation=exer.org_a,
        version=exer.version,
        title="Oefenronde",
        actor=exer.region_leader,
        client_token=uuid.uuid4(),
    )
    assert not Membership.objects.filter(crisis=run.crisis, user=world.observer).exists()


def test_an_observer_who_plays_is_refused_with_a_clear_message(world, exer):
    with pytest.raises(ValidationError) as error:
        services.exercise_create(
            organisation=exer.org_a,
            version=exer.version,
            title="Oefenronde",
            actor=exer.region_leader,
            client_token=uuid.uuid4(),
            observers=[world.mayor],
        )
    assert "observers" in error.value.message_dict


def test_a_starting_analysis_without_a_required_section_says_what_to_fill(world, exer):
    exer.version.analysis = {"aanleiding": "Stroomuitval"}
    exer.version.save(update_fields=["analysis"])
    with pytest.raises(ValidationError) as error:
        services.exercise_create(
            organisation=exer.org_a,
            version=exer.version,
            title="Oefenronde",
            actor=exer.region_leader,
            client_token=uuid.uuid4(),
        )
    assert "scenario" in " ".join(error.value.messages)


def test_an_administrator_reads_the_scenario_without_the_exercise_control_s_notes(
    world, exer, login
):
    url = reverse("scenario_page", args=[exer.org_a.pk, exer.scenario.pk])
    page = login(world.org_admin).get(url).content.decode()
    assert "Noodstroom zorgcentrum" in page and "GEHEIM-EXCON" not in page
    assert "GEHEIM-EXCON" in login(exer.a_leader).get(url).content.decode()


def test_only_an_administrator_adopts_the_format(world, exer, login):
    publication = services.publication_create(
        region=exer.region,
        actor=exer.region_leader,
        target=format_current(organisation=exer.region),
    )
    url = reverse("adopt", args=[exer.org_a.pk, publication.pk])
    assert login(exer.a_leader).post(url).status_code == 403
    assert login(world.org_admin).post(url).status_code == 302
    scenario = Publication.objects.get(scenario_version=exer.version)
    url = reverse("adopt", args=[exer.org_a.pk, scenario.pk])
    assert login(exer.a_leader).post(url).status_code == 302


def test_a_strange_digit_in_a_publish_form_is_a_clear_refusal(exer, login):
    response = login(exer.region_leader).post(
        reverse("publish", args=[exer.region.pk]), {"kind": "scenario", "target": "²"}
    )
    assert response.status_code == 422


def test_anonymous_feedback_leaves_no_trace_of_its_author(world, exer, exercise):
    services.exercise_clock_start(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    services.exercise_end(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    before = AuditEvent.objects.count()
    feedback = services.feedback_give(
        exercise=exercise, user=world.mayor, went_well="Rust", to_improve="", anonymous=True
    )
    assert feedback.author is None and isinstance(feedback.pk, uuid.UUID)
    assert AuditEvent.objects.count() == before


def test_a_correction_of_a_correction_keeps_the_first_decision_s_time(world, exer, exercise):
    services.exercise_clock_start(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)

    def decide(text, corrects=None):
        return meeting_services.entry_record(
            crisis=exercise.crisis,
            meeting=meeting,
            actor=world.logger,
            kind="besluit",
            text=text,
            reasoning="Omdat",
            decided_by=world.mayor,
            corrects=corrects,
            client_token=uuid.uuid4(),
        )

    first = decide("Scholen dicht")
    second = decide("Scholen dicht tot 12:00", corrects=first)
    third = decide("Scholen dicht tot 14:00", corrects=second)
    rows = decisions_of(exercise=exercise)
    assert len(rows) == 1
    row = rows[0]
    assert row.entry == third
    assert row.at == first.recorded_at
