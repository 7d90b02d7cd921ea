"""Nothing typed is lost when the meeting closes, decisions between meetings have a place in
the log, and closing a meeting asks for the next one."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Entry, Meeting

pytestmark = pytest.mark.django_db


def _line(**fields):
    return {"client_token": str(uuid.uuid4()), "kind": "beeld", "text": "", **fields}


def test_a_line_typed_while_the_chair_closed_the_meeting_is_kept_with_a_way_out(
    world, meeting, login
):
    services.meeting_close(meeting=meeting, actor=world.chair)
    response = login(world.logger).post(
        reverse("entry_create", args=[world.crisis_a.pk, meeting.number]),
        _line(text="Verpleeghuis Oosterpark heeft noodstroom <tot 18:00>"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Verpleeghuis Oosterpark heeft noodstroom &lt;tot 18:00&gt;" in html  # kept, escaped
    assert reverse("entry_between", args=[world.crisis_a.pk]) in html  # the way out
    assert not Entry.objects.exists()


def test_a_decision_between_meetings_is_in_the_log_and_in_the_next_controle(world, meeting, login):
    services.meeting_close(meeting=meeting, actor=world.chair)
    deadline = timezone.localtime(timezone.now() + timedelta(hours=3))
    response = login(world.logger).post(
        reverse("entry_between", args=[world.crisis_a.pk]),
        _line(
            kind="opdracht",
            text="Tweede opvanglocatie inrichten",
            owner=world.adviser.pk,
            deadline=deadline.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 200
    entry = Entry.objects.get(crisis=world.crisis_a)
    assert entry.meeting is None and entry.phase == ""
    page = login(world.logger).get(reverse("entry_between", args=[world.crisis_a.pk]))
    assert "Tweede opvanglocatie inrichten" in page.content.decode()

    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    services.meeting_set_phase(meeting=second, phase="controle", actor=world.chair)
    console = (
        login(world.chair)
        .get(reverse("meeting_detail", args=[world.crisis_a.pk, second.number]))
        .content.decode()
    )
    assert "Tweede opvanglocatie inrichten" in console  # in Controle, and in "what changed"
    assert 'id="region-changes"' in console


def test_closing_a_meeting_asks_for_the_next_one(world, meeting, login):
    client = login(world.chair)
    url = reverse("meeting_close", args=[world.crisis_a.pk, meeting.number])
    client.post(url)
    assert Meeting.objects.get(pk=meeting.pk).is_running  # refused: no next meeting, no choice
    client.post(url, {"no_follow_up": "1"})
    assert not Meeting.objects.get(pk=meeting.pk).is_running


def test_a_meeting_with_its_next_one_fixed_closes_at_once(world, meeting, login):
    services.meeting_plan_next(
        meeting=meeting, actor=world.chair, next_at=timezone.now() + timedelta(hours=2), minutes=30
    )
    login(world.chair).post(reverse("meeting_close", args=[world.crisis_a.pk, meeting.number]))
    assert not Meeting.objects.get(pk=meeting.pk).is_running


def test_a_closed_meeting_shows_no_empty_entry_card(world, meeting, login):
    services.meeting_close(meeting=meeting, actor=world.chair)
    page = login(world.logger).get(reverse("meeting_detail", args=[world.crisis_a.pk, 1]))
    assert 'id="entry-form"' not in page.content.decode()
