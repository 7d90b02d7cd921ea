"""Running an exercise on screen: the runs of an organisation and a new run, the exercise as the
players see it, the exercise leader's control screen, the observer's form, and the timer
command. Players never see what is for the exercise control."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from crisisroom import services as crisis_services
from crisisroom.models import AuditEvent
from crisisroom.roles import Role
from exercises import services
from exercises.models import Exercise, Inject, InjectRelease, Observation
from meetings import services as meeting_services
from meetings.models import Message
from tests.exercises.conftest import make_scenario
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "GEHEIM-EXCON"
EXPECTED = "Besluit over brandstofprioriteit"
PLAYERS = ("chair", "mayor", "logger", "rol", "adviser")


def _person(world, exer, name):
    return getattr(exer, name, None) or getattr(world, name)


def _started(exercise, exer):
    services.exercise_clock_start(exercise=exercise, actor=exer.region_leader)
    exercise.refresh_from_db()
    return exercise


def _release_all(exercise, exer):
    _started(exercise, exer)
    for inject in exer.injects:
        services.inject_release(exercise=exercise, inject=inject, actor=exer.region_leader)


# -- who may open what --------------------------------------------------------------------------

ORG_AREA = [
    # (who, organisation, runs status, new status)
    ("region_leader", "region", 200, 200),
    ("region_admin", "region", 200, 403),
    ("waarnemer", "region", 404, 404),
    ("a_leader", "org_a", 200, 200),
    ("org_admin", "org_a", 200, 403),
    ("c_leader", "org_a", 404, 404),
    ("outsider", "org_a", 404, 404),
    ("outsider", "region", 404, 404),
]


@pytest.mark.parametrize(("who", "where", "runs", "new"), ORG_AREA)
def test_organisation_area_per_role(world, exer, login, who, where, runs, new):
    client = login(_person(world, exer, who))
    org = getattr(exer, where)
    assert client.get(reverse("exercise_runs", args=[org.pk])).status_code == runs
    assert client.get(reverse("exercise_new", args=[org.pk])).status_code == new
    assert client.post(reverse("exercise_new", args=[org.pk]), {}).status_code in (
        (new,) if new != 200 else (422,)
    )


EXERCISE_PAGES = [
    # (who, overview, control, control region, observe)
    ("region_leader", 200, 200, 200, 200),
    ("waarnemer", 200, 403, 403, 200),
    *[(player, 200, 403, 403, 403) for player in PLAYERS],
    ("a_leader", 404, 404, 404, 404),  # not in this exercise's team
    ("outsider", 404, 404, 404, 404),
    ("org_admin", 404, 404, 404, 404),
]


@pytest.mark.parametrize(("who", "overview", "control", "region", "observe"), EXERCISE_PAGES)
def test_exercise_pages_per_role(
    world, exer, exercise, login, who, overview, control, region, observe
):
    client = login(_person(world, exer, who))
    pk = exercise.crisis_id
    assert client.get(reverse("exercise_overview", args=[pk])).status_code == overview
    assert client.get(reverse("exercise_control", args=[pk])).status_code == control
    assert client.get(reverse("exercise_control_region", args=[pk])).status_code == region
    assert client.get(reverse("exercise_observe", args=[pk])).status_code == observe


@pytest.mark.parametrize("who", ["waarnemer", *PLAYERS, "a_leader", "outsider"])
def test_only_the_exercise_leader_drives_the_exercise(world, exer, exercise, login, who):
    client = login(_person(world, exer, who))
    pk = exercise.crisis_id
    expected = 404 if who in ("a_leader", "outsider") else 403
    inject = exer.injects[2]
    assert client.post(reverse("exercise_clock", args=[pk])).status_code == expected
    _started(exercise, exer)
    assert client.post(reverse("inject_release_view", args=[pk, inject.pk])).status_code == expected
    assert client.post(reverse("exercise_end_view", args=[pk])).status_code == expected
    exercise.refresh_from_db()
    assert exercise.ended_at is None
    assert not InjectRelease.objects.filter(inject=inject).exists()


def test_anonymous_is_sent_to_login_and_writes_are_post_only(exer, exercise, login):
    pk = exercise.crisis_id
    client = login(exer.region_leader)
    for name in ("exercise_clock", "exercise_end_view"):
        assert client.get(reverse(name, args=[pk])).status_code == 405
    assert (
        client.get(reverse("inject_release_view", args=[pk, exer.injects[0].pk])).status_code == 405
    )
    assert client.post(reverse("exercise_control_region", args=[pk])).status_code == 405
    from django.test import Client

    anonymous = Client()
    for url in (
        reverse("exercise_runs", args=[exer.region.pk]),
        reverse("exercise_overview", args=[pk]),
        reverse("exercise_control", args=[pk]),
        reverse("exercise_observe", args=[pk]),
    ):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_real_crisis_has_no_exercise_screens(world, login):
    client = login(world.chair)
    assert client.get(reverse("exercise_overview", args=[world.crisis_a.pk])).status_code == 404


# -- the runs and a new run -----------------------------------------------------------------------


def test_region_prepares_a_run_at_a_member(world, exer, login):
    client = login(exer.region_leader)
    url = reverse("exercise_new", args=[exer.region.pk])
    page = client.get(url, {"versie": exer.version.pk})
    assert page.status_code == 200
    assert f'<option value="{exer.version.pk}" selected>' in page.content.decode()
    token = str(uuid.uuid4())
    data = {
        "client_token": token,
        "version": exer.version.pk,
        "organisation": exer.org_a.pk,
        "title": "Oefening Aadorp",
        "observers": [exer.waarnemer.pk],
    }
    response = client.post(url, data)
    exercise = Exercise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exercise_control", args=[exercise.crisis_id])
    assert exercise.crisis.organisation == exer.org_a
    assert exercise.crisis.is_exercise
    roles = set(exercise.crisis.memberships.values_list("user__username", "role"))
    assert ("region_leader", Role.EXERCISE_LEADER) in roles
    assert ("waarnemer", Role.OBSERVER) in roles
    assert ("mayor", Role.MAYOR) in roles  # staffed from Aadorp's roster
    # A double click makes one exercise.
    assert client.post(url, data).status_code == 302
    assert Exercise.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXERCISE_CREATED).count() == 1


def test_region_cannot_play_at_an_organisation_outside_it(world, exer, login):
    client = login(exer.region_leader)
    data = {
        "client_token": str(uuid.uuid4()),
        "version": exer.version.pk,
        "organisation": world.org_b.pk,
    }
    response = client.post(reverse("exercise_new", args=[exer.region.pk]), data)
    assert response.status_code == 422
    assert 'id="id_organisation_error"' in response.content.decode()
    # Nor at the region itself.
    data["organisation"] = exer.region.pk
    assert client.post(reverse("exercise_new", args=[exer.region.pk]), data).status_code == 422
    assert not Exercise.objects.exists()


def test_observers_must_belong_to_the_table_or_its_region(world, exer, login):
    client = login(exer.region_leader)
    data = {
        "client_token": str(uuid.uuid4()),
        "version": exer.version.pk,
        "organisation": exer.org_c.pk,
        "observers": [world.mayor.pk],  # Aadorp's mayor, not of Cedam nor the region
    }
    response = client.post(reverse("exercise_new", args=[exer.region.pk]), data)
    assert response.status_code == 422
    assert "Gemeente Cedam" in response.content.decode()
    assert not Exercise.objects.exists()
    data["observers"] = ["99999999999999999999999"]
    assert client.post(reverse("exercise_new", args=[exer.region.pk]), data).status_code == 422


def test_a_municipality_runs_a_published_scenario_at_its_own_table(world, exer, login):
    client = login(exer.a_leader)
    page = client.get(reverse("exercise_new", args=[exer.org_a.pk]))
    assert 'name="organisation"' not in page.content.decode()
    own, own_version, _objectives, _injects = make_scenario(exer.org_c, exer.c_leader, title="X")
    # Cedam's own scenario is not Aadorp's to run.
    data = {"client_token": str(uuid.uuid4()), "version": own_version.pk}
    assert client.post(reverse("exercise_new", args=[exer.org_a.pk]), data).status_code == 422
    data["version"] = exer.version.pk
    response = client.post(reverse("exercise_new", args=[exer.org_a.pk]), data)
    assert response.status_code == 302
    exercise = Exercise.objects.get()
    assert exercise.crisis.organisation == exer.org_a
    assert exercise.crisis.title == exer.version.title


def test_region_sees_facts_of_runs_and_the_crisis_only_as_a_member(world, exer, exercise, login):
    leader = login(exer.region_leader).get(reverse("exercise_runs", args=[exer.region.pk]))
    text = leader.content.decode()
    assert "Gemeente Aadorp" in text and "OEFENING" in text
    assert reverse("exercise_overview", args=[exercise.crisis_id]) in text
    assert "Oefening stroomuitval" in text  # the leader sits in its team
    admin = login(exer.region_admin).get(reverse("exercise_runs", args=[exer.region.pk]))
    text = admin.content.decode()
    assert "Gemeente Aadorp" in text
    assert "Oefening stroomuitval" not in text
    assert reverse("exercise_overview", args=[exercise.crisis_id]) not in text
    # Aadorp's own leader sees the run at home, without a link: not in its team.
    home = login(exer.a_leader).get(reverse("exercise_runs", args=[exer.org_a.pk]))
    assert "Oefening stroomuitval" in home.content.decode()
    assert reverse("exercise_overview", args=[exercise.crisis_id]) not in home.content.decode()
    # Cedam has no runs.
    cedam = login(exer.c_leader).get(reverse("exercise_runs", args=[exer.org_c.pk]))
    assert "Oefening stroomuitval" not in cedam.content.decode()


def test_region_lists_runs_of_members_adopted_copies(world, exer, exercise, login):
    copy, copy_version, _o, _i = make_scenario(exer.org_c, exer.c_leader, title="Kopie Cedam")
    copy.origin = exer.scenario
    copy.save(update_fields=["origin"])
    services.exercise_create(
        organisation=exer.org_c,
        version=copy_version,
        title="Cedam oefent",
        actor=exer.c_leader,
        client_token=uuid.uuid4(),
    )
    other_region = OrganisationFactory(name="Regio Elders", kind="veiligheidsregio")
    elsewhere = OrganisationFactory(name="Gemeente Elders", region=other_region)
    stranger = UserFactory()
    crisis_services.organisation_member_set(
        organisation=elsewhere, user=stranger, actor=None, is_exercise_leader=True
    )
    mine, mine_version, _o, _i = make_scenario(elsewhere, stranger, title="Eigen")
    services.exercise_create(
        organisation=elsewhere,
        version=mine_version,
        title="Elders oefent",
        actor=stranger,
        client_token=uuid.uuid4(),
        staff_from_roster=False,
    )
    text = login(exer.region_leader).get(reverse("exercise_runs", args=[exer.region.pk]))
    text = text.content.decode()
    assert "Gemeente Cedam" in text and "Kopie Cedam" in text
    assert "Gemeente Elders" not in text


# -- what players see -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", PLAYERS)
def test_players_never_see_the_exercise_controls_notes(world, exer, exercise, login, who):
    _release_all(exercise, exer)
    services.observation_record(
        exercise=exercise,
        observer=exer.waarnemer,
        text="WAARNEMING-VERBORGEN",
        client_token=uuid.uuid4(),
    )
    client = login(getattr(world, who))
    pk = exercise.crisis_id
    pages = [
        reverse("exercise_overview", args=[pk]),
        reverse("desk", args=[pk]) + "?toon=all",
        *[
            reverse("message_detail", args=[pk, seq])
            for seq in Message.objects.filter(crisis_id=pk).values_list("seq", flat=True)
        ],
    ]
    assert len(pages) == 5
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert SECRET not in text, url
        assert EXPECTED not in text, url
        assert "WAARNEMING-VERBORGEN" not in text, url
    overview = client.get(pages[0]).content.decode()
    assert "Pers vraagt om interview" in overview  # the player text is there
    assert "Omroep Regio wil om 14:00 de burgemeester spreken." in overview


def test_the_exercise_control_sees_its_notes(exer, exercise, login):
    _started(exercise, exer)
    text = login(exer.region_leader).get(reverse("exercise_control", args=[exercise.crisis_id]))
    text = text.content.decode()
    assert SECRET in text and EXPECTED in text


def test_overview_escapes_what_the_scenario_says(world, exer, exercise, login):
    Inject.objects.filter(pk=exer.injects[2].pk).update(
        summary="<script>alert(1)</script>", text="<b>vet</b>"
    )
    _started(exercise, exer)
    inject = Inject.objects.get(pk=exer.injects[2].pk)
    services.inject_release(exercise=exercise, inject=inject, actor=exer.region_leader)
    text = login(world.mayor).get(reverse("exercise_overview", args=[exercise.crisis_id]))
    text = text.content.decode()
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;vet&lt;/b&gt;" in text


def test_overview_links_exercise_control_screens_only_for_them(world, exer, exercise, login):
    pk = exercise.crisis_id
    control, observe = (
        reverse("exercise_control", args=[pk]),
        reverse("exercise_observe", args=[pk]),
    )
    leader = login(exer.region_leader).get(reverse("exercise_overview", args=[pk]))
    assert control in leader.content.decode() and observe in leader.content.decode()
    observer = login(exer.waarnemer).get(reverse("exercise_overview", args=[pk]))
    assert control not in observer.content.decode() and observe in observer.content.decode()
    mayor = login(world.mayor).get(reverse("exercise_overview", args=[pk]))
    assert control not in mayor.content.decode() and observe not in mayor.content.decode()


# -- the control screen ---------------------------------------------------------------------------


def test_leader_starts_the_clock_and_t0_injects_go_out(world, exer, exercise, login):
    client = login(exer.region_leader)
    pk = exercise.crisis_id
    response = client.post(reverse("exercise_clock", args=[pk]))
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.clock_started_at is not None
    release = InjectRelease.objects.get(exercise=exercise)
    assert release.inject == exer.injects[0]
    assert release.how == InjectRelease.How.SCHEDULE
    assert release.message.routed_to == world.mayor
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXERCISE_CLOCK).count() == 1
    # Twice changes nothing.
    client.post(reverse("exercise_clock", args=[pk]))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXERCISE_CLOCK).count() == 1


def test_leader_releases_by_hand_once(world, exer, exercise, login):
    client = login(exer.region_leader)
    pk = exercise.crisis_id
    inject = exer.injects[2]
    url = reverse("inject_release_view", args=[pk, inject.pk])
    refused = client.post(url, follow=True)
    assert 'class="message message-error"' in refused.content.decode()
    assert not InjectRelease.objects.filter(inject=inject).exists()
    _started(exercise, exer)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#inject-3")
    client.post(url)
    release = InjectRelease.objects.get(inject=inject)
    assert release.how == InjectRelease.How.HAND and release.released_by == exer.region_leader
    assert release.message.routed_to == world.mayor
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.INJECT_RELEASED)
        .filter(detail__inject=3)
        .count()
        == 1
    )


def test_release_with_htmx_answers_the_region_and_says_it(world, exer, exercise, login):
    client = login(exer.region_leader)
    pk = exercise.crisis_id
    _started(exercise, exer)
    response = client.post(
        reverse("inject_release_view", args=[pk, exer.injects[2].pk]), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="control-live"' in text
    assert 'hx-swap-oob="innerHTML"' in text and "Pers vraagt om interview" in text
    assert 'id="release-3"' in text  # focus stays on the released inject


def test_an_inject_of_another_scenario_is_not_found(world, exer, exercise, login):
    _started(exercise, exer)
    _other, _version, _o, injects = make_scenario(exer.region, exer.region_leader, title="Ander")
    url = reverse("inject_release_view", args=[exercise.crisis_id, injects[0].pk])
    assert login(exer.region_leader).post(url).status_code == 404


def test_live_region_releases_what_is_due_and_announces_it(world, exer, exercise, login):
    client = login(exer.region_leader)
    pk = exercise.crisis_id
    Exercise.objects.filter(pk=exercise.pk).update(clock_started_at=timezone.now())
    url = reverse("exercise_control_region", args=[pk])
    response = client.get(url, {"gezien": "0"})
    assert response.status_code == 200
    text = response.content.decode()
    assert InjectRelease.objects.filter(exercise=exercise).count() == 1
    assert 'hx-trigger="every 5s"' in text
    assert "?gezien=1" in text
    assert 'hx-swap-oob="innerHTML"' in text
    # The phase inject goes out when the team reaches oordeelsvorming.
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)
    meeting_services.meeting_set_phase(meeting=meeting, phase="oordeelsvorming", actor=world.chair)
    text = client.get(url, {"gezien": "1"}).content.decode()
    assert InjectRelease.objects.filter(exercise=exercise).count() == 2
    assert "Gerucht: kraanwater niet meer drinkbaar" in text
    # Nothing new: nothing said; a garbled count says nothing either.
    assert "hx-swap-oob" not in client.get(url, {"gezien": "2"}).content.decode()
    assert "hx-swap-oob" not in client.get(url, {"gezien": "x"}).content.decode()


def test_control_shows_the_teams_log_and_phase(world, exer, exercise, login):
    _started(exercise, exer)
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)
    meeting_services.entry_record(
        crisis=exercise.crisis,
        meeting=meeting,
        kind="besluit",
        text="Brandstof eerst naar De Linde",
        reasoning="Kwetsbare bewoners",
        actor=world.logger,
        client_token=uuid.uuid4(),
    )
    text = login(exer.region_leader).get(reverse("exercise_control", args=[exercise.crisis_id]))
    text = text.content.decode()
    assert "Brandstof eerst naar De Linde" in text
    assert "is-decision" in text


def test_ending_stops_releases_and_polling(world, exer, exercise, login):
    client = login(exer.region_leader)
    pk = exercise.crisis_id
    _started(exercise, exer)
    assert client.post(reverse("exercise_end_view", args=[pk])).status_code == 302
    exercise.refresh_from_db()
    assert exercise.ended_at is not None
    text = client.get(reverse("exercise_control", args=[pk])).content.decode()
    assert "hx-trigger" not in text
    client.post(reverse("inject_release_view", args=[pk, exer.injects[2].pk]))
    assert not InjectRelease.objects.filter(inject=exer.injects[2]).exists()


def test_ending_before_the_start_is_refused_with_a_message(exer, exercise, login):
    client = login(exer.region_leader)
    response = client.post(reverse("exercise_end_view", args=[exercise.crisis_id]), follow=True)
    assert response.status_code == 200
    exercise.refresh_from_db()
    assert exercise.ended_at is None
    assert 'class="message message-error"' in response.content.decode()


# -- observing ------------------------------------------------------------------------------------


def _observation(exercise, **fields):
    data = {
        "client_token": str(uuid.uuid4()),
        "text": "Voorzitter vat goed samen",
        "at": timezone.localtime().strftime("%H:%M"),
        "phase": "beeldvorming",
    }
    data.update(fields)
    return data


def test_observer_records_and_sees_the_observation(world, exer, exercise, login):
    _started(exercise, exer)
    services.inject_release(exercise=exercise, inject=exer.injects[2], actor=exer.region_leader)
    client = login(exer.waarnemer)
    url = reverse("exercise_observe", args=[exercise.crisis_id])
    page = client.get(url).content.decode()
    assert "autofocus" in page and "exercise-observe.js" in page
    data = _observation(
        exercise, inject=exer.injects[2].pk, objective=exer.objectives[1].pk, text="<b>Goed</b>"
    )
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    observation = Observation.objects.get()
    assert observation.observer == exer.waarnemer
    assert observation.inject == exer.injects[2]
    assert observation.objective == exer.objectives[1]
    # Double submit: one observation.
    client.post(url, data)
    assert Observation.objects.count() == 1
    page = client.get(url).content.decode()
    assert "&lt;b&gt;Goed&lt;/b&gt;" in page
    assert "Pers vraagt om interview" in page
    # A fresh form: another token than the one just used.
    assert data["client_token"] not in page


def test_observation_form_refuses_bad_input_and_keeps_the_text(
    world, exer, exercise, login, record
):
    client = login(exer.waarnemer)
    url = reverse("exercise_observe", args=[exercise.crisis_id])
    response = client.post(url, _observation(exercise, text="   "))
    assert response.status_code == 422
    assert 'id="id_text_error"' in response.content.decode()
    response = client.post(url, _observation(exercise, text="Goed gezien", at="25:99"))
    assert response.status_code == 422
    assert "Goed gezien" in response.content.decode()
    assert 'id="id_at_error"' in response.content.decode()
    # A log entry of another crisis, an inject not released, a phase that is none: refused.
    other_entry = record()
    for bad in (
        {"entry": other_entry.pk},
        {"inject": exer.injects[0].pk},
        {"phase": "lunch"},
        {"objective": "99999999999999999999"},
        {"text": "x" * 4001},
    ):
        response = client.post(url, _observation(exercise, **bad))
        assert response.status_code == 422, bad
    assert not Observation.objects.exists()


def test_observation_in_the_future_is_refused(exer, exercise, login):
    client = login(exer.waarnemer)
    url = reverse("exercise_observe", args=[exercise.crisis_id])
    later = (timezone.localtime() + timedelta(minutes=30)).strftime("%H:%M")
    if later < timezone.localtime().strftime("%H:%M"):
        pytest.skip("around midnight the time of day wraps")
    response = client.post(url, _observation(exercise, at=later))
    assert response.status_code == 422
    assert 'id="id_at_error"' in response.content.decode()


def test_players_cannot_post_observations(world, exer, exercise, login):
    url = reverse("exercise_observe", args=[exercise.crisis_id])
    assert login(world.mayor).post(url, _observation(exercise)).status_code == 403
    assert not Observation.objects.exists()


# -- the timer ------------------------------------------------------------------------------------


def test_tick_releases_due_injects_of_running_exercises(world, exer, exercise):
    out = io.StringIO()
    call_command("exercise_tick", stdout=out)
    assert "0 released" in out.getvalue()
    _started(exercise, exer)
    out = io.StringIO()
    call_command("exercise_tick", stdout=out)
    assert "inject 1" in out.getvalue() and "1 released" in out.getvalue()
    assert InjectRelease.objects.filter(exercise=exercise).count() == 1
    # Again: nothing more; an ended exercise is left alone.
    services.exercise_end(exercise=exercise, actor=exer.region_leader)
    out = io.StringIO()
    call_command("exercise_tick", stdout=out)
    assert "0 released" in out.getvalue()
