"""What each meeting screen does with good and bad input (who may open which URL is
tests/test_access_matrix.py's)."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from meetings import services
from meetings.access import live_token_for
from meetings.models import Entry, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, record, meeting):
    """A running meeting with a decision and an open assignment in it."""
    decision = record("besluit", "Scholen dicht")
    assignment = record("opdracht", "Bewonersbrief").assignment
    return {"meeting": meeting, "decision": decision, "assignment": assignment}


def _m(w, name, *extra):
    return reverse(name, args=[w.crisis_a.pk, 1, *extra])


def test_the_correction_page_takes_only_get_and_post(world, scene, login):
    url = reverse("entry_correct", args=[world.crisis_a.pk, scene["decision"].seq])
    assert login(world.chair).delete(url).status_code == 405


def test_the_mayor_may_record_a_decision_but_nothing_else(world, scene, login):
    client = login(world.mayor)
    url = _m(world, "entry_create")
    response = client.post(url, {"client_token": uuid.uuid4(), "kind": "beeld", "text": "x"})
    assert response.status_code == 422
    assert not Entry.objects.filter(text="x").exists()


def test_a_double_click_on_save_records_one_entry(world, scene, login):
    client = login(world.logger)
    data = {"client_token": uuid.uuid4(), "kind": "knelpunt", "text": "Te weinig opvangplekken"}
    client.post(_m(world, "entry_create"), data)
    client.post(_m(world, "entry_create"), data)
    assert Entry.objects.filter(text="Te weinig opvangplekken").count() == 1


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(world, scene, login):
    response = login(world.logger).post(
        _m(world, "entry_create"),
        {
            "client_token": uuid.uuid4(),
            "kind": "opdracht",
            "text": "Verkeersregelaars inzetten",
            "deadline": "2020-01-01T10:00",
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Verkeersregelaars inzetten" in page
    assert "actiehouder nodig" in page
    assert "deadline is al verstreken" in page


def test_a_decision_without_reasons_is_asked_once(world, scene, login):
    client = login(world.logger)
    data = {"client_token": str(uuid.uuid4()), "kind": "besluit", "text": "Evacuatie Molenakker"}
    first = client.post(_m(world, "entry_create"), data, HTTP_HX_REQUEST="true")
    assert first.status_code == 422
    assert "Geen argumenten vastgelegd" in first.content.decode()
    assert 'name="without_reasoning" value="True"' in first.content.decode()
    assert not Entry.objects.filter(text="Evacuatie Molenakker").exists()
    second = client.post(
        _m(world, "entry_create"), {**data, "without_reasoning": "True"}, HTTP_HX_REQUEST="true"
    )
    assert second.status_code == 200
    assert Entry.objects.get(text="Evacuatie Molenakker").reasoning == ""


def test_a_saved_entry_returns_an_empty_form_with_a_new_token(world, scene, login):
    token = uuid.uuid4()
    response = login(world.logger).post(
        _m(world, "entry_create"),
        {"client_token": token, "kind": "knelpunt", "text": "Bluswater in de Vlietsloot"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Bluswater in de Vlietsloot" not in page
    assert str(token) not in page
    assert 'value="knelpunt" checked' in page
    assert "crisis-changed" in response["HX-Trigger"]


def test_a_correction_strikes_through_the_original_and_names_who(world, scene, login):
    login(world.logger).post(
        reverse("entry_correct", args=[world.crisis_a.pk, scene["decision"].seq]),
        {
            "client_token": uuid.uuid4(),
            "kind": "besluit",
            "text": "Scholen morgen en overmorgen dicht",
        },
    )
    page = login(world.mayor).get(_m(world, "meeting_detail")).content.decode()
    assert "<del>Scholen dicht</del>" in page
    assert f"Gecorrigeerd in #{scene['assignment'].entry.seq + 1} door" in page


def test_controle_lists_every_open_assignment_and_marks_overdue(world, scene, login, record):
    services.meeting_set_phase(meeting=scene["meeting"], phase="controle", actor=world.chair)
    from meetings.models import Assignment

    Assignment.objects.filter(pk=scene["assignment"].pk).update(
        deadline=timezone.now() - timedelta(minutes=5)
    )
    page = login(world.logger).get(_m(world, "meeting_detail")).content.decode()
    assert "Bewonersbrief" in page
    assert "is-overdue" in page
    check_url = reverse("assignment_check", args=[world.crisis_a.pk, scene["assignment"].pk])
    assert f'hx-get="{check_url}"' in page
    form = login(world.logger).get(check_url, HTTP_HX_REQUEST="true").content.decode()
    assert form.lstrip().startswith("<form") and "Controle vastleggen" in form


def test_a_check_with_a_past_new_deadline_explains_itself(world, scene, login):
    response = login(world.logger).post(
        reverse("assignment_check", args=[world.crisis_a.pk, scene["assignment"].pk]),
        {"client_token": uuid.uuid4(), "outcome": "adjusted", "new_deadline": "2020-01-01T10:00"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "al verstreken" in response.content.decode()


def test_user_text_is_escaped_in_log_projection_and_decision_list(world, scene, login, record):
    record("besluit", "<script>alert('x')</script> & <b>dicht</b>", reasoning="<img src=x>")
    client = login(world.adviser)
    for url in (
        _m(world, "meeting_detail"),
        _m(world, "meeting_projection"),
        reverse("decision_list", args=[world.crisis_a.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x>" not in page
        assert "&lt;script&gt;" in page


def test_the_besluitenlijst_of_one_meeting_holds_only_that_meeting(world, scene, login, record):
    services.meeting_close(meeting=scene["meeting"], actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    record("besluit", "Nazorg starten", meeting=second, reasoning="Fase na de brand")
    client = login(world.mayor)
    one = client.get(reverse("decision_list", args=[world.crisis_a.pk]) + "?meeting=1")
    assert "Scholen dicht" in one.content.decode()
    assert "Nazorg starten" not in one.content.decode()
    everything = client.get(reverse("decision_list", args=[world.crisis_a.pk])).content.decode()
    assert "Scholen dicht" in everything and "Nazorg starten" in everything


def test_a_region_renders_alone_for_live_refresh(world, scene, login):
    response = login(world.adviser).get(_m(world, "meeting_detail") + "?region=log")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="region-log"')
    assert "Scholen dicht" in page
    assert login(world.adviser).get(_m(world, "meeting_detail") + "?region=x").status_code == 404


# -- live poll -------------------------------------------------------------------------------------


def _screen(world, user) -> tuple[Client, str]:
    """``user``'s browser (logged in) and the live-poll URL handed to that session."""
    screen = Client()
    screen.force_login(user)
    token = live_token_for(
        crisis_pk=world.crisis_a.pk, user_pk=user.pk, session_key=screen.session.session_key
    )
    return screen, reverse("live_poll", args=[token])


def _poll(world, user, revision, client: Client | None = None):
    """Poll as ``user``'s browser, or with ``client`` holding that browser's token."""
    screen, url = _screen(world, user)
    return (client or screen).get(f"{url}?r={revision}")


def test_the_live_poll_answers_204_when_nothing_changed_in_one_query(world, scene):
    from meetings.selectors import logbook_revision

    revision = logbook_revision(crisis=world.crisis_a)
    screen, url = _screen(world, world.adviser)
    with CaptureQueriesContext(connection) as queries:
        response = screen.get(f"{url}?r={revision}")
    assert response.status_code == 204
    assert len(queries) == 1


def test_the_live_poll_announces_a_change(world, scene, record):
    from meetings.selectors import logbook_revision

    before = logbook_revision(crisis=world.crisis_a)
    record(text="Nieuwe meting")
    response = _poll(world, world.adviser, before)
    assert response.status_code == 200
    assert "crisis-changed" in response["HX-Trigger"]
    assert f"r={before + 1}" in response.content.decode()


def test_a_live_token_works_only_with_the_session_it_was_handed_to(world, scene):
    from meetings.selectors import logbook_revision

    revision = logbook_revision(crisis=world.crisis_a) - 1
    assert _poll(world, world.adviser, revision).status_code == 200
    other_browser = Client()
    other_browser.force_login(world.adviser)
    for client in (Client(), other_browser):
        assert _poll(world, world.adviser, revision, client=client).status_code == 286


def test_the_console_needs_the_same_number_of_queries_for_a_long_log(world, meeting, login, record):
    client = login(world.chair)
    client.get(_m(world, "meeting_detail"))  # the session's first request checks its login
    for i in range(5):
        record(text=f"regel {i}")
    with CaptureQueriesContext(connection) as short:
        client.get(_m(world, "meeting_detail"))
    for i in range(60):
        record("opdracht" if i % 3 == 0 else "beeld", text=f"regel {i}")
    with CaptureQueriesContext(connection) as long:
        client.get(_m(world, "meeting_detail"))
    assert len(long) == len(short)
    # The chair's console shows what the meeting needs, no more: 15, plus one each for the
    # messages still to act on, a newer analysis, and the previous meeting ("what changed").
    assert len(long) <= 18


def test_controle_pages_through_many_open_assignments_earlier_meetings_first(
    world, meeting, login, record, monkeypatch
):
    from meetings import selectors

    monkeypatch.setattr(selectors, "ASSIGNMENTS_PAGE", 3)
    for i in range(7):
        record("opdracht", f"Opdracht nummer {i}")
    services.meeting_set_phase(meeting=meeting, phase="controle", actor=world.chair)
    client = login(world.logger)
    page = client.get(_m(world, "meeting_detail")).content.decode()
    assert page.count('<li class="assignment') == 3
    assert "Meer tonen (3 van 7 getoond)" in page
    more = client.get(_m(world, "meeting_assignments_more") + "?offset=3").content.decode()
    assert more.count('<li class="assignment') == 3
    assert "Meer tonen (6 van 7 getoond)" in more
    last = client.get(_m(world, "meeting_assignments_more") + "?offset=6").content.decode()
    assert last.count('<li class="assignment') == 1
    assert "Meer tonen" not in last
    assert client.get(_m(world, "meeting_assignments_more") + "?offset=x").status_code == 404


def test_a_next_meeting_in_the_past_is_explained_on_the_chairs_page(world, scene, login):
    response = login(world.chair).post(
        _m(world, "meeting_next"), {"next_at": "2020-01-01T10:00", "minutes": 30}
    )
    assert response.status_code == 422
    assert "moet in de toekomst liggen" in response.content.decode()


def test_the_attendance_summary_counts_who_is_absent(world, scene, login):
    login(world.chair).post(
        _m(world, "meeting_attendance"),
        {"user": world.rol.pk, "present": "0", "delegate": world.adviser.pk},
    )
    page = login(world.chair).get(_m(world, "meeting_detail")).content.decode()
    assert "1 afwezig" in page
    assert f'value="{world.adviser.pk}" selected' in page


def test_a_closed_crisis_shows_its_meeting_without_controls(world, scene, login):
    from crisisroom import services as core

    core.crisis_close(crisis=world.crisis_a, actor=world.chair)
    page = login(world.chair).get(_m(world, "meeting_detail")).content.decode()
    assert "verslag kan worden gelezen" in page
    assert "phase-button" not in page
    assert "data-entry-form" not in page
    assert "Scholen dicht" in page


def test_the_wall_keeps_showing_a_decision_after_a_busy_stretch(world, scene, login, record):
    for i in range(45):
        record(text=f"Waarneming {i}")
    page = login(world.mayor).get(_m(world, "meeting_projection")).content.decode()
    assert "Scholen dicht" in page


def test_an_impossible_time_box_is_explained_and_starts_nothing(world, login):
    response = login(world.chair).post(
        reverse("meeting_start", args=[world.crisis_a.pk]), {"planned_minutes": 300}, follow=True
    )
    assert "5 tot 240 minuten" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_closed_meeting_shows_only_its_own_log(world, scene, login, record):
    services.meeting_close(meeting=scene["meeting"], actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    record("beeld", "Nieuw in overleg 2", meeting=second)
    client = login(world.adviser)
    first_page = client.get(_m(world, "meeting_detail")).content.decode()
    assert "Nieuw in overleg 2" not in first_page and "Scholen dicht" in first_page
    second_page = client.get(reverse("meeting_detail", args=[world.crisis_a.pk, 2]))
    assert "overleg 1" in second_page.content.decode()  # earlier meetings' lines are labelled


def test_the_correction_form_keeps_the_assignments_deadline(world, scene, login):
    url = reverse("entry_correct", args=[world.crisis_a.pk, scene["assignment"].entry.seq])
    page = login(world.logger).get(url).content.decode()
    local = timezone.localtime(scene["assignment"].deadline).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in page


def test_a_stale_kernbeeld_save_keeps_the_text_and_says_who_changed_it(world, scene, login):
    url = _m(world, "meeting_kernbeeld")
    login(world.logger).post(url, {"kernbeeld": "Versie logger", "kernbeeld_revision": 0})
    response = login(world.chair).post(
        url, {"kernbeeld": "Versie voorzitter", "kernbeeld_revision": 0}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Versie voorzitter" in page and escape(world.logger.get_full_name()) in page
    scene["meeting"].refresh_from_db()
    assert scene["meeting"].kernbeeld == "Versie logger"


def test_after_a_kernbeeld_conflict_saving_again_does_not_overwrite(world, scene, login):
    url = _m(world, "meeting_kernbeeld")
    login(world.logger).post(url, {"kernbeeld": "Versie logger", "kernbeeld_revision": 0})
    chair = login(world.chair)
    first = chair.post(
        url, {"kernbeeld": "Versie voorzitter", "kernbeeld_revision": 0}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'name="kernbeeld_revision" value="0"' in first and "Versie logger" in first
    second = chair.post(
        url, {"kernbeeld": "Versie voorzitter", "kernbeeld_revision": 0}, HTTP_HX_REQUEST="true"
    )
    assert second.status_code == 409
    scene["meeting"].refresh_from_db()
    assert scene["meeting"].kernbeeld == "Versie logger"


def test_the_log_region_is_shared_per_revision_and_rights(world, meeting, login, record):
    record(text="Eerste melding")
    url = _m(world, "meeting_detail") + "?region=log"
    adviser, observer, logger = login(world.adviser), login(world.observer), login(world.logger)
    first = adviser.get(url).content.decode()
    assert observer.get(url).content.decode() == first
    assert "Eerste melding" in first and "Corrigeren" not in first
    assert "Corrigeren" in logger.get(url).content.decode()  # other rights, other markup
    record(text="Tweede melding")
    assert "Tweede melding" in observer.get(url).content.decode()


def test_the_live_poll_names_the_entry_regions_when_only_entries_were_added(world, scene, record):
    import json

    from meetings.selectors import logbook_revision

    before = logbook_revision(crisis=world.crisis_a)
    record(text="Nieuwe meting")
    record(text="Nog een meting")
    trigger = json.loads(_poll(world, world.adviser, before)["HX-Trigger"])
    assert trigger["crisis-changed"] == {"regions": ["log", "assignments", "proposals", "changes"]}

    after_entries = logbook_revision(crisis=world.crisis_a)
    meeting = world.crisis_a.meetings.get()
    services.meeting_set_phase(meeting=meeting, phase="oordeelsvorming", actor=world.chair)
    record(text="Na de fasewissel")
    trigger = json.loads(_poll(world, world.adviser, after_entries)["HX-Trigger"])
    assert trigger["crisis-changed"] == {}  # the phase changed too: every region refreshes
    assert (
        "regions" not in json.loads(_poll(world, world.adviser, -1)["HX-Trigger"])["crisis-changed"]
    )
