"""The chair's start decision (CMT task card, tasks 1 and 7), on record and on the overview."""

import pytest
from django.urls import reverse

from crisisroom.models import AuditEvent, CrisisStart

pytestmark = pytest.mark.django_db


def test_the_chair_records_the_start_decision_and_the_team_sees_it(world, login):
    url = reverse("crisis_start", args=[world.crisis_a.pk])
    response = login(world.chair).post(
        url,
        {
            "scope": "lokaal",
            "response": "bijeenroepen",
            "coordinator": "Crisiscoördinator <dienst>",
            "meeting_cycle": "Elke twee uur, 30 minuten",
            "agreements": "Telefoons op stil; de logger leest terug.",
        },
    )
    assert response.status_code == 302
    start = CrisisStart.objects.get(crisis=world.crisis_a)
    assert (start.scope, start.response, start.decided_by) == (
        "lokaal",
        "bijeenroepen",
        world.chair,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CRISIS_START_RECORDED)
    assert event.detail["meeting_cycle"] == "Elke twee uur, 30 minuten"
    overview = login(world.adviser).get(reverse("crisis_home", args=[world.crisis_a.pk]))
    html = overview.content.decode()
    assert "Elke twee uur, 30 minuten" in html
    assert "Crisiscoördinator &lt;dienst&gt;" in html  # escaped


def test_changing_the_start_decision_keeps_the_earlier_one_in_the_audit_trail(world, login):
    url = reverse("crisis_start", args=[world.crisis_a.pk])
    client = login(world.chair)
    client.post(url, {"scope": "lokaal", "response": "informeren"})
    client.post(url, {"scope": "centraal", "response": "bijeenroepen"})
    assert CrisisStart.objects.get(crisis=world.crisis_a).scope == "centraal"
    recorded = AuditEvent.objects.filter(action=AuditEvent.Action.CRISIS_START_RECORDED)
    assert [e.detail["response"] for e in recorded.order_by("pk")] == [
        "informeren",
        "bijeenroepen",
    ]


def test_a_start_decision_without_a_choice_is_refused_next_to_the_field(world, login):
    response = login(world.chair).post(
        reverse("crisis_start", args=[world.crisis_a.pk]), {"scope": "lokaal"}
    )
    assert response.status_code == 422
    assert not CrisisStart.objects.exists()
