"""The audit trail: who saw and changed what, readable by those who run the crisis."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from crisisroom.models import AuditEvent
from formats import services as formats_services
from formats.models import AnalysisRead
from meetings import services as meetings_services

pytestmark = pytest.mark.django_db


def _actions(crisis) -> list[str]:
    return list(AuditEvent.objects.filter(crisis=crisis).values_list("action", flat=True))


def test_meeting_start_phase_changes_and_close_are_recorded(world, meeting):
    meetings_services.meeting_set_phase(meeting=meeting, phase="oordeelsvorming", actor=world.chair)
    meetings_services.meeting_close(meeting=meeting, actor=world.chair)
    phase = AuditEvent.objects.get(crisis=world.crisis_a, action=AuditEvent.Action.PHASE_CHANGED)
    assert phase.actor == world.chair
    assert phase.detail == {"meeting": 1, "from_phase": "beeldvorming", "phase": "oordeelsvorming"}
    assert {"meeting_started", "phase_changed", "meeting_closed"} <= set(_actions(world.crisis_a))


def test_reading_downloading_and_sharing_the_analysis_are_recorded(world, analysis, hand_over):
    version = hand_over()
    formats_services.analysis_record_read(
        version=version, user=world.mayor, kind=AnalysisRead.Kind.VIEW
    )
    formats_services.analysis_record_read(
        version=version, user=world.mayor, kind=AnalysisRead.Kind.PDF
    )
    actions = _actions(world.crisis_a)
    assert "analysis_viewed" in actions and "analysis_downloaded" in actions
    viewed = AuditEvent.objects.get(action="analysis_viewed")
    assert viewed.actor == world.mayor and viewed.detail == {"version": 1}


def test_membership_changes_are_recorded_with_who_did_it(world, login):
    from crisisroom import services as core
    from crisisroom.models import Membership

    core.membership_end(
        membership=Membership.objects.get(crisis=world.crisis_a, user=world.observer),
        actor=world.chair,
    )
    ended = AuditEvent.objects.get(crisis=world.crisis_a, action="member_removed")
    assert ended.actor == world.chair and ended.subject == world.observer
    assert "member_added" in _actions(world.crisis_a)


@pytest.mark.parametrize("persona", ["chair", "mayor"])
def test_the_chair_and_the_mayor_read_the_trail(world, login, meeting, persona):
    response = login(getattr(world, persona)).get(reverse("crisis_audit", args=[world.crisis_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "overleg gestart" in page
    assert escape(world.chair.get_full_name()) in page


def test_the_trail_filters_by_action_and_shows_nothing_of_another_crisis(world, login):
    meetings_services.meeting_start(crisis=world.crisis_b, actor=world.outsider)
    meetings_services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    url = reverse("crisis_audit", args=[world.crisis_a.pk])
    client = login(world.chair)
    page = client.get(url, {"actie": "meeting_started"}).content.decode()
    assert page.count("overleg gestart</td>") == 1
    assert "lid toegevoegd</td>" not in page
    assert escape(world.outsider.get_full_name()) not in page


def test_names_in_the_trail_are_escaped(world, login):
    world.chair.first_name = "<script>alert(1)</script>"
    world.chair.save()
    meetings_services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    page = login(world.chair).get(reverse("crisis_audit", args=[world.crisis_a.pk])).content
    assert b"<script>alert(1)" not in page
    assert b"&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize(
    "persona,shown", [("chair", True), ("mayor", True), ("logger", False), ("observer", False)]
)
def test_the_menu_offers_the_trail_to_those_who_may_read_it(world, login, persona, shown):
    page = login(getattr(world, persona)).get(reverse("crisis_home", args=[world.crisis_a.pk]))
    assert (reverse("crisis_audit", args=[world.crisis_a.pk]) in page.content.decode()) is shown
