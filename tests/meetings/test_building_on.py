"""Building on what is known, meeting after meeting (seed 000: "niet alles opnieuw te doen"):
the kernbeeld carries over with its history, the agreed length holds, and the table sees what
changed since the previous meeting."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import KernbeeldVersion, Meeting

pytestmark = pytest.mark.django_db


def _adjust(meeting, actor, text):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return services.meeting_update_kernbeeld(
        meeting=meeting, actor=actor, text=text, base_revision=meeting.kernbeeld_revision
    )


def _close_with_next(meeting, chair, minutes=45):
    services.meeting_plan_next(
        meeting=meeting,
        actor=chair,
        next_at=timezone.now() + timedelta(hours=1),
        minutes=minutes,
        input_due_at=timezone.now() + timedelta(minutes=40),
    )
    services.meeting_close(meeting=meeting, actor=chair)


def test_the_next_meeting_starts_from_the_kernbeeld_the_previous_one_ended_with(world, hand_over):
    hand_over(aanleiding="Brand in loods 4")
    first = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert "Brand in loods 4" in first.kernbeeld
    _adjust(first, world.logger, "Brand in loods 4, uitslaand; rook richting Oosterpark")
    _close_with_next(first, world.chair, minutes=45)

    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)

    assert second.kernbeeld == "Brand in loods 4, uitslaand; rook richting Oosterpark"
    assert second.planned_minutes == 45  # the agreed length, not 30
    start = second.kernbeeld_versions.get()
    assert start.source == KernbeeldVersion.Source.PREVIOUS


def test_a_newer_analysis_is_offered_first_and_the_chair_may_choose_the_previous_picture(
    world, hand_over, login
):
    hand_over(aanleiding="Versie een")
    first = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    _adjust(first, world.chair, "Aangepast in overleg 1")
    _close_with_next(first, world.chair)
    hand_over(aanleiding="Versie twee, na het overleg")

    page = login(world.chair).get(reverse("meeting_list", args=[world.crisis_a.pk]))
    html = page.content.decode()
    # A clear choice between the two, the newer analysis offered first.
    assert 'name="kernbeeld_from" value="vorig_overleg" id="id_kernbeeld_from_0">' in html
    assert 'name="kernbeeld_from" value="analyse" id="id_kernbeeld_from_1" checked>' in html

    response = login(world.chair).post(
        reverse("meeting_start", args=[world.crisis_a.pk]),
        {"planned_minutes": 30, "kernbeeld_from": "vorig_overleg"},
    )
    assert response.status_code == 302
    second = Meeting.objects.get(crisis=world.crisis_a, number=2)
    assert second.kernbeeld == "Aangepast in overleg 1"


def test_by_default_the_newer_analysis_wins(world, hand_over):
    hand_over(aanleiding="Versie een")
    first = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    _close_with_next(first, world.chair)
    hand_over(aanleiding="Versie twee, na het overleg")
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert "Versie twee, na het overleg" in second.kernbeeld
    assert second.kernbeeld_source.number == 2


def test_every_kernbeeld_save_is_a_version_and_the_history_shows_the_differences(
    world, meeting, login
):
    _adjust(meeting, world.logger, "Stroom uit in Noord")
    _adjust(meeting, world.chair, "Stroom uit in Noord en Zuid")
    versions = list(meeting.kernbeeld_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.saved_by for v in versions[1:]] == [world.logger, world.chair]
    page = login(world.adviser).get(
        reverse("meeting_kernbeeld_history", args=[world.crisis_a.pk, meeting.number])
    )
    html = page.content.decode()
    assert "Stroom uit in Noord<ins> en Zuid</ins>" in html
    assert html.count('class="analysis-text diff"') == 3


def test_the_table_sees_what_changed_since_the_previous_meeting(world, login, record):
    first = Meeting.objects.get(crisis=world.crisis_a, number=1)
    _adjust(first, world.chair, "Beeld van overleg 1")
    _close_with_next(first, world.chair)
    # Decided by phone between the meetings: in the log, no meeting.
    services.entry_record(
        crisis=world.crisis_a,
        actor=world.logger,
        kind="besluit",
        text="Sporthal Zuid wordt opvanglocatie",
        reasoning="Dichtbij en met noodstroom",
        client_token=uuid.uuid4(),
    )
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    _adjust(second, world.chair, "Beeld van overleg 2")

    console = login(world.chair).get(
        reverse("meeting_detail", args=[world.crisis_a.pk, second.number])
    )
    html = console.content.decode()
    assert 'id="region-changes"' in html
    assert "Sporthal Zuid wordt opvanglocatie" in html
    assert "<del>" in html and "<ins>" in html  # the kernbeeld against the previous one
    wall = login(world.mayor).get(
        reverse("meeting_projection", args=[world.crisis_a.pk, second.number]) + "?region=changes"
    )
    assert 'id="region-changes"' in wall.content.decode()


def test_a_newer_analysis_handed_over_during_the_meeting_is_announced(
    world, meeting, hand_over, login
):
    url = reverse("meeting_detail", args=[world.crisis_a.pk, meeting.number])
    assert "notice" not in login(world.chair).get(url + "?region=kernbeeld").content.decode()
    version = hand_over(aanleiding="Nieuwe informatie tijdens het overleg")
    region = login(world.chair).get(url + "?region=kernbeeld").content.decode()
    assert 'class="notice"' in region and f"versie={version.number}" in region


def test_the_wall_counts_every_decision_since_the_previous_meeting(world, login):
    first = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    services.meeting_close(meeting=first, actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    for i in range(8):
        services.entry_record(
            crisis=world.crisis_a,
            meeting=second,
            actor=world.logger,
            kind="besluit",
            text=f"Besluit {i}",
            reasoning="Veiligheid",
            client_token=uuid.uuid4(),
        )
    wall = login(world.mayor).get(
        reverse("meeting_projection", args=[world.crisis_a.pk, second.number]) + "?region=changes"
    )
    assert "8 besluiten" in wall.content.decode()  # not capped at the six the console lists
