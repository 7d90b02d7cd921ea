"""The cycle in view on every home page: the running or next meeting, input due and from whom,
my own open assignments, and whether the newest analysis was read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from formats import services as format_services
from meetings import services

pytestmark = pytest.mark.django_db


def _home(login, user, crisis):
    return login(user).get(reverse("crisis_home", args=[crisis.pk])).content.decode()


def test_every_home_page_shows_the_next_meeting_and_when_input_is_due_from_whom(
    world, meeting, record, login
):
    record("opdracht", "Noodstroom regelen", owner=world.adviser)
    services.meeting_plan_next(
        meeting=meeting,
        actor=world.chair,
        next_at=timezone.now() + timedelta(hours=2),
        minutes=40,
        input_due_at=timezone.now() + timedelta(hours=1, minutes=30),
    )
    services.meeting_close(meeting=meeting, actor=world.chair)
    for persona in ("chair", "mayor", "rol", "logger", "adviser"):
        html = _home(login, getattr(world, persona), world.crisis_a)
        assert 'aria-labelledby="cycle-heading"' in html, persona
        assert "40 minuten" in html, persona
    adviser = _home(login, world.adviser, world.crisis_a)
    assert "Noodstroom regelen" in adviser  # my own open assignment
    assert "Noodstroom regelen" not in _home(login, world.logger, world.crisis_a)
    # Input is due from the ROL (the analysis) and from the owners of open assignments.
    assert world.rol.get_full_name() in adviser


def test_a_running_meeting_is_on_every_home_page(world, meeting, login):
    html = _home(login, world.observer, world.crisis_a)
    assert reverse("meeting_detail", args=[world.crisis_a.pk, meeting.number]) in html


def test_the_mayor_sees_whether_they_read_the_analysis_and_the_rol_sees_it_too(
    world, hand_over, login
):
    from formats.models import AnalysisRead

    version = hand_over()
    assert "Nog niet gelezen door de burgemeester" in _home(login, world.rol, world.crisis_a)
    assert "Nog niet door u gelezen" in _home(login, world.mayor, world.crisis_a)
    format_services.analysis_record_read(
        version=version, user=world.mayor, kind=AnalysisRead.Kind.VIEW
    )
    rol = _home(login, world.rol, world.crisis_a)
    mayor = _home(login, world.mayor, world.crisis_a)
    assert "De burgemeester heeft de analyse gelezen" in rol
    assert "U hebt deze gelezen" in mayor


def test_no_follow_up_means_no_next_meeting_on_the_home_pages(world, meeting, login):
    services.meeting_plan_next(
        meeting=meeting, actor=world.chair, next_at=timezone.now() + timedelta(hours=2), minutes=40
    )
    services.meeting_close(meeting=meeting, actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    services.meeting_close(meeting=second, actor=world.chair)  # closed without a next one
    html = _home(login, world.mayor, world.crisis_a)
    assert "Er is nog geen volgend overleg vastgesteld." in html
