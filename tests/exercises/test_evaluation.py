"""The evaluation after the run: feedback (anonymous stays anonymous, once per person), ratings
and leerpunten by the exercise leader (a leerpunt becomes a measure in the programme plan), the
close that opens the observations and the report to the players, the report PDF, and the
region's comparison of a scenario's runs across its municipalities."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from crisisroom.models import AuditEvent, Organisation
from exercises import services
from exercises.models import (
    Exercise,
    Feedback,
    FeedbackReceipt,
    InjectRelease,
    LearningObjective,
    LessonLearned,
    Rating,
    Scenario,
    ScenarioVersion,
)
from meetings import services as meeting_services
from resilience.models import Measure
from tests.conftest import FULL, pdf_text

HOSTILE = "<script>alert('x')</script>"
SECRET_OBSERVATION = "Waarneming-7: burgemeester sloeg beeldvorming over"


# -- builders -----------------------------------------------------------------------------------


def _start(exercise, leader, *, minutes_ago=60):
    """Start the exercise clock as if it started ``minutes_ago`` minutes ago."""
    services.exercise_clock_start(exercise=exercise, actor=leader)
    Exercise.objects.filter(pk=exercise.pk).update(
        clock_started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    exercise.refresh_from_db()
    return exercise


def _release(exercise, inject, leader, *, minutes_ago):
    release = services.inject_release(exercise=exercise, inject=inject, actor=leader)
    InjectRelease.objects.filter(pk=release.pk).update(
        released_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return release


def _decide(exercise, world, meeting, text, *, minutes_ago):
    return meeting_services.entry_record(
        crisis=exercise.crisis,
        meeting=meeting,
        actor=world.logger,
        kind="besluit",
        text=text,
        reasoning="Zorg gaat voor",
        client_token=uuid.uuid4(),
        occurred_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def _played(exercise, exer, world):
    """The run played: clock 60 min ago, inject 1 at T+0, a meeting, inject 3 at T+30, a
    decision 12 minutes after it, an observation, and the end of the play."""
    _start(exercise, exer.region_leader)
    _release(exercise, exer.injects[0], exer.region_leader, minutes_ago=60)
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)
    _release(exercise, exer.injects[2], exer.region_leader, minutes_ago=30)
    _decide(exercise, world, meeting, "Brandstof eerst naar De Linde", minutes_ago=18)
    services.observation_record(
        exercise=exercise,
        observer=exer.waarnemer,
        text=SECRET_OBSERVATION,
        client_token=uuid.uuid4(),
        inject=exer.injects[2],
        objective=exer.objectives[0],
        phase="beeldvorming",
    )
    services.exercise_end(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    return exercise


@pytest.fixture
def ended(exer, world, exercise):
    return _played(exercise, exer, world)


def _url(name, exercise):
    return reverse(name, args=[exercise.crisis_id])


def _deadline(days=30):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# -- access -------------------------------------------------------------------------------------


def test_before_the_end_the_page_says_when_the_evaluation_opens(exer, world, exercise, login):
    _start(exercise, exer.region_leader)
    response = login(world.mayor).get(_url("exercise_evaluation", exercise))
    assert response.status_code == 200
    page = response.content.decode()
    assert "exercise_feedback" not in page and 'name="feedback-went_well"' not in page
    assert 'data-testid="evaluation-status"' in page


@pytest.mark.parametrize(
    "name",
    [
        "exercise_evaluation",
        "exercise_feedback",
        "exercise_rate",
        "exercise_lesson",
        "exercise_evaluation_close",
        "exercise_report",
    ],
)
def test_a_non_member_gets_404_everywhere(world, ended, login, name):
    client = login(world.outsider)
    url = _url(name, ended)
    response = client.get(url) if name in ("exercise_evaluation", "exercise_report") else None
    if response is None:
        response = client.post(url, {})
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, ended):
    response = client.get(_url("exercise_evaluation", ended))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", ["mayor", "chair", "logger", "rol", "adviser"])
@pytest.mark.parametrize("name", ["exercise_rate", "exercise_lesson", "exercise_evaluation_close"])
def test_players_may_not_rate_record_lessons_or_close(world, exer, ended, login, persona, name):
    response = login(getattr(world, persona)).post(
        _url(name, ended),
        {
            f"rating-level_{exer.objectives[0].pk}": "p",
            "lesson-text": "Iets",
            "lesson-owner": world.adviser.pk,
            "lesson-deadline": _deadline(),
        },
    )
    assert response.status_code == 403
    ended.refresh_from_db()
    assert not ended.is_evaluated
    assert not Rating.objects.exists() and not LessonLearned.objects.exists()


def test_the_observer_may_not_rate_either(exer, ended, login):
    response = login(exer.waarnemer).post(
        _url("exercise_rate", ended), {f"rating-level_{exer.objectives[0].pk}": "p"}
    )
    assert response.status_code == 403


def test_wrong_method_is_refused(world, ended, login):
    client = login(world.mayor)
    assert client.get(_url("exercise_feedback", ended)).status_code == 405
    assert client.post(_url("exercise_report", ended)).status_code == 405


def test_players_see_observations_and_report_only_after_closing(exer, world, ended, login):
    player, observer = login(world.mayor), login(exer.waarnemer)
    page = player.get(_url("exercise_evaluation", ended)).content.decode()
    assert SECRET_OBSERVATION not in page
    assert (
        "exercise_report" not in page
        and reverse("exercise_report", args=[ended.crisis_id]) not in page
    )
    assert player.get(_url("exercise_report", ended)).status_code == 403
    # The exercise control sees them all along, the report as a draft.
    assert SECRET_OBSERVATION in observer.get(_url("exercise_evaluation", ended)).content.decode()
    assert observer.get(_url("exercise_report", ended)).status_code == 200

    response = login(exer.region_leader).post(_url("exercise_evaluation_close", ended))
    assert response.status_code == 302
    page = player.get(_url("exercise_evaluation", ended)).content.decode()
    assert SECRET_OBSERVATION in page
    report = player.get(_url("exercise_report", ended))
    assert report.status_code == 200
    assert report["Content-Type"] == "application/pdf"
    assert report["Content-Disposition"].startswith('attachment; filename="oefenrapport-')
    assert report["Cache-Control"] == "private, no-store"


# -- feedback -----------------------------------------------------------------------------------


def test_anonymous_feedback_keeps_no_author_and_a_second_is_refused(world, ended, login):
    client = login(world.mayor)
    url = _url("exercise_feedback", ended)
    response = client.post(
        url,
        {
            "feedback-went_well": "Goede rust aan tafel",
            "feedback-to_improve": "Sneller besluiten",
            "feedback-anonymous": "on",
        },
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get(exercise=ended)
    assert feedback.author is None
    assert feedback.submitted_at == ended.ended_at  # no moment that points at the person
    assert FeedbackReceipt.objects.filter(exercise=ended, user=world.mayor).exists()
    # No audit event either: its moment would point at the person.
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EVALUATION_CHANGED).exists()

    again = client.post(url, {"feedback-went_well": "Nog eens", "feedback-anonymous": "on"})
    assert again.status_code == 422
    assert (
        "al feedback gegeven" in again.content.decode() or "already given" in again.content.decode()
    )
    assert Feedback.objects.filter(exercise=ended).count() == 1
    page = client.get(_url("exercise_evaluation", ended)).content.decode()
    assert 'data-testid="feedback-given"' in page


def test_named_feedback_shows_its_author_to_excon_and_anonymous_shows_none(
    exer, world, ended, login
):
    services.feedback_give(
        exercise=ended, user=world.chair, went_well="Heldere agenda", to_improve="", anonymous=False
    )
    services.feedback_give(
        exercise=ended, user=world.rol, went_well="", to_improve="Geheim-anoniem", anonymous=True
    )
    page = login(exer.region_leader).get(_url("exercise_evaluation", ended)).content.decode()
    section = page.split('id="feedback-heading"')[1].split("</section>")[0]
    assert "Heldere agenda" in section and world.chair.get_full_name() in section
    assert "Geheim-anoniem" in section and world.rol.get_full_name() not in section


def test_empty_feedback_gets_a_message(world, ended, login):
    response = login(world.mayor).post(_url("exercise_feedback", ended), {})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not Feedback.objects.exists() and not FeedbackReceipt.objects.exists()


def test_no_feedback_before_the_end(exer, world, exercise):
    _start(exercise, exer.region_leader)
    with pytest.raises(ValidationError):
        services.feedback_give(
            exercise=exercise, user=world.mayor, went_well="x", to_improve="", anonymous=False
        )


# -- ratings ------------------------------------------------------------------------------------


def test_the_leader_rates_the_objectives_and_a_repeat_changes_nothing(exer, ended, login):
    client = login(exer.region_leader)
    first, second = exer.objectives
    data = {
        f"rating-level_{first.pk}": "s",
        f"rating-note_{first.pk}": "Beeldvorming liep uit",
        f"rating-level_{second.pk}": "p",
    }
    assert client.post(_url("exercise_rate", ended), data).status_code == 302
    assert client.post(_url("exercise_rate", ended), data).status_code == 302
    ratings = {r.objective_id: r for r in Rating.objects.filter(exercise=ended)}
    assert ratings[first.pk].level == "s" and ratings[first.pk].note == "Beeldvorming liep uit"
    assert ratings[second.pk].level == "p"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EVALUATION_CHANGED).count() == 2


def test_a_bad_level_or_an_explanation_without_rating_is_refused(exer, ended, login):
    client = login(exer.region_leader)
    first = exer.objectives[0]
    bad = client.post(_url("exercise_rate", ended), {f"rating-level_{first.pk}": "x"})
    assert bad.status_code == 422
    lonely = client.post(_url("exercise_rate", ended), {f"rating-note_{first.pk}": "Alleen uitleg"})
    assert lonely.status_code == 422
    assert not Rating.objects.exists()


def test_an_objective_of_another_scenario_cannot_be_rated(exer, ended):
    from tests.exercises.conftest import make_scenario

    _, _, other_objectives, _ = make_scenario(exer.org_c, exer.c_leader, title="Ander")
    with pytest.raises(ValidationError):
        services.rating_set(
            exercise=ended,
            objective=other_objectives[0],
            level="p",
            note="",
            actor=exer.region_leader,
        )


# -- leerpunten ---------------------------------------------------------------------------------


def test_a_lesson_becomes_a_measure_in_aadorps_programme_plan_once(exer, world, ended, login):
    client = login(exer.region_leader)
    data = {
        "lesson-text": "Draaiboek noodstroom zorgcentra bijwerken",
        "lesson-owner": world.adviser.pk,
        "lesson-deadline": _deadline(45),
        "lesson-objective": exer.objectives[1].pk,
        "lesson-as_measure": "on",
    }
    assert client.post(_url("exercise_lesson", ended), data).status_code == 302
    assert client.post(_url("exercise_lesson", ended), data).status_code == 302  # double click
    lesson = LessonLearned.objects.get(exercise=ended)
    assert lesson.number == 1 and lesson.objective == exer.objectives[1]
    measure = lesson.measure
    assert measure is not None and measure.organisation == exer.org_a
    assert measure.owner == world.adviser
    assert measure.due_on == timezone.localdate() + timedelta(days=45)
    assert measure.phase == "koude_fase"
    assert "Draaiboek noodstroom" in measure.title and "L1" in measure.description
    assert Measure.objects.filter(organisation=exer.org_a).count() == 1


def test_a_lesson_needs_a_future_deadline_and_an_owner_of_the_organisation(
    exer, world, ended, login
):
    client = login(exer.region_leader)
    past = client.post(
        _url("exercise_lesson", ended),
        {
            "lesson-text": "Iets",
            "lesson-owner": world.adviser.pk,
            "lesson-deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert past.status_code == 422
    stranger = client.post(
        _url("exercise_lesson", ended),
        {"lesson-text": "Iets", "lesson-owner": world.outsider.pk, "lesson-deadline": _deadline()},
    )
    assert stranger.status_code == 422
    empty = client.post(_url("exercise_lesson", ended), {"lesson-owner": world.adviser.pk})
    assert empty.status_code == 422
    assert not LessonLearned.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.lesson_record(
            exercise=ended,
            text="Iets",
            owner=world.outsider,
            deadline=timezone.localdate(),
            actor=exer.region_leader,
        )
    assert "owner" in error.value.error_dict


def test_without_a_programme_plan_the_lesson_stays_a_lesson(exer, world, ended, login):
    Organisation.objects.filter(pk=exer.org_a.pk).update(kind=Organisation.Kind.COMPANY)
    ended.crisis.organisation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.lesson_record(
            exercise=ended,
            text="Iets",
            owner=world.adviser,
            deadline=timezone.localdate(),
            actor=exer.region_leader,
            as_measure=True,
        )
    page = login(exer.region_leader).get(_url("exercise_evaluation", ended)).content.decode()
    assert 'name="lesson-as_measure"' not in page
    lesson = services.lesson_record(
        exercise=ended,
        text="Iets",
        owner=world.adviser,
        deadline=timezone.localdate(),
        actor=exer.region_leader,
    )
    assert lesson.measure is None


def test_after_closing_nothing_changes(exer, world, ended, login):
    services.evaluation_close(exercise=ended, actor=exer.region_leader)
    services.evaluation_close(exercise=ended, actor=exer.region_leader)  # twice: no change
    with pytest.raises(ValidationError):
        services.feedback_give(
            exercise=ended, user=world.mayor, went_well="x", to_improve="", anonymous=False
        )
    with pytest.raises(ValidationError):
        services.rating_set(
            exercise=ended,
            objective=exer.objectives[0],
            level="p",
            note="",
            actor=exer.region_leader,
        )
    response = login(exer.region_leader).post(
        _url("exercise_lesson", ended),
        {
            "lesson-text": "Te laat",
            "lesson-owner": world.adviser.pk,
            "lesson-deadline": _deadline(),
        },
    )
    assert response.status_code == 422
    assert not LessonLearned.objects.exists()
    closes = AuditEvent.objects.filter(
        action=AuditEvent.Action.EVALUATION_CHANGED, detail={"evaluation": "closed"}
    )
    assert closes.count() == 1


def test_hostile_text_is_escaped_on_the_page(exer, world, ended, login):
    services.observation_record(
        exercise=ended, observer=exer.waarnemer, text=HOSTILE, client_token=uuid.uuid4()
    )
    services.lesson_record(
        exercise=ended,
        text=HOSTILE,
        owner=world.adviser,
        deadline=timezone.localdate(),
        actor=exer.region_leader,
    )
    page = login(exer.region_leader).get(_url("exercise_evaluation", ended)).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page


# -- the report ---------------------------------------------------------------------------------


def test_the_report_has_oefening_on_every_page_inject_times_and_escapes_text(
    exer, world, ended, login
):
    for n in range(30):  # enough to fill more than one page
        services.observation_record(
            exercise=ended,
            observer=exer.waarnemer,
            text=f"Waarneming {n}: de tafel wachtte op de ROL en vroeg om een nieuw beeld.",
            client_token=uuid.uuid4(),
        )
    services.observation_record(
        exercise=ended, observer=exer.waarnemer, text=HOSTILE, client_token=uuid.uuid4()
    )
    services.feedback_give(
        exercise=ended, user=world.mayor, went_well="Rust", to_improve="", anonymous=True
    )
    services.rating_set(
        exercise=ended, objective=exer.objectives[0], level="m", note="", actor=exer.region_leader
    )
    lesson = services.lesson_record(
        exercise=ended,
        text="Draaiboek bijwerken",
        owner=world.adviser,
        deadline=timezone.localdate() + timedelta(days=10),
        actor=exer.region_leader,
        as_measure=True,
    )
    services.evaluation_close(exercise=ended, actor=exer.region_leader)
    response = login(world.mayor).get(_url("exercise_report", ended))
    text = pdf_text(response.content)
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1
    assert all("OEFENING" in page for page in pages)
    flat = " ".join(text.split())
    assert "T+00:00" in flat and "T+00:30" in flat  # inject 1 and inject 3 released
    assert "Inject 3 vrijgegeven" in flat
    assert "12 min na inject 3" in flat
    assert HOSTILE in flat  # the literal text, not markup
    assert "Brandstof eerst naar De Linde" in flat
    assert lesson.measure is not None and lesson.measure.code in flat
    assert "Anoniem" in flat and world.mayor.get_full_name() not in flat
    assert "GEHEIM-EXCON" not in flat and "Besluit over brandstofprioriteit" not in flat


# -- the region compares ------------------------------------------------------------------------


def _cedam_copy(exer):
    """Cedam's adopted copy of the region's scenario, with the same objectives in other case."""
    copy = Scenario.objects.create(
        organisation=exer.org_c, origin=exer.scenario, created_by=exer.c_leader
    )
    version = ScenarioVersion.objects.create(
        scenario=copy,
        number=1,
        title="Langdurige stroomuitval (Cedam)",
        team_kind=exer.version.team_kind,
        analysis=dict(FULL),
        created_by=exer.c_leader,
    )
    for objective in exer.objectives:
        LearningObjective.objects.create(
            version=version, order=objective.order, text=f"  {objective.text.upper()} "
        )
    return version


def test_the_region_compares_runs_at_two_municipalities(exer, world, ended, login):
    services.rating_set(
        exercise=ended, objective=exer.objectives[0], level="s", note="", actor=exer.region_leader
    )
    services.lesson_record(
        exercise=ended,
        text="Iets",
        owner=world.adviser,
        deadline=timezone.localdate(),
        actor=exer.region_leader,
    )
    cedam_version = _cedam_copy(exer)
    cedam = services.exercise_create(
        organisation=exer.org_c,
        version=cedam_version,
        title="Oefening Cedam",
        actor=exer.c_leader,
        client_token=uuid.uuid4(),
        staff_from_roster=False,
    )
    _start(cedam, exer.c_leader, minutes_ago=20)
    services.exercise_end(exercise=cedam, actor=exer.c_leader)
    cedam.refresh_from_db()
    services.rating_set(
        exercise=cedam,
        objective=cedam_version.objectives.order_by("order")[0],
        level="u",
        note="",
        actor=exer.c_leader,
    )
    url = reverse("exercise_compare", args=[exer.region.pk, exer.scenario.pk])
    # Ratings show once an evaluation is closed, as the players see them.
    before = login(exer.region_leader).get(url).content.decode()
    assert str(Rating.Level.S.label) not in before
    services.evaluation_close(exercise=ended, actor=exer.region_leader)
    services.evaluation_close(exercise=cedam, actor=exer.c_leader)
    response = login(exer.region_leader).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gemeente Aadorp" in page and "Gemeente Cedam" in page
    assert page.count("<caption") == 2 and 'scope="row"' in page
    # One row per objective, matched by text across the copy: both ratings on the same row.
    assert page.count("Beeldvorming en oordeelsvorming samen doorlopen") == 1
    row = page.split("Beeldvorming en oordeelsvorming samen doorlopen</th>")[1].split("</tr>")[0]
    assert str(Rating.Level.S.label) in row and str(Rating.Level.U.label) in row
    # Aggregate facts only: no decision text, no names of the team.
    assert "Brandstof eerst naar De Linde" not in page
    assert world.mayor.get_full_name() not in page and SECRET_OBSERVATION not in page
    assert login(exer.region_admin).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["a_leader", "c_leader", "waarnemer"])
def test_others_cannot_compare_the_regions_runs(exer, ended, login, persona):
    client = login(getattr(exer, persona))
    for org in (exer.region, exer.org_a, exer.org_c):
        url = reverse("exercise_compare", args=[org.pk, exer.scenario.pk])
        assert client.get(url).status_code == 404


def test_outsiders_cannot_compare(world, exer, ended, login):
    client = login(world.outsider)
    url = reverse("exercise_compare", args=[exer.region.pk, exer.scenario.pk])
    assert client.get(url).status_code == 404
    assert (
        login(world.org_admin)
        .get(reverse("exercise_compare", args=[exer.org_a.pk, exer.scenario.pk]))
        .status_code
        == 404
    )


def test_ratings_are_saved_all_or_none(exer, ended):
    first, second = exer.objectives
    too_long = "x" * 5000
    with pytest.raises(ValidationError) as error:
        services.ratings_set(
            exercise=ended,
            ratings=[(first, "p", "Goed"), (second, "s", too_long)],
            actor=exer.region_leader,
        )
    assert list(error.value.message_dict) == [f"level_{second.pk}"]
    assert not Rating.objects.exists()  # the valid first one was not kept either
