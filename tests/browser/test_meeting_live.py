"""Two and three screens at one table: what one person does appears on the others' screens."""

import re

import pytest
from playwright.sync_api import expect

from meetings import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_WITHIN_MS = 2000  # the promise to the table: within two seconds, without reloading


def _path(world, suffix=""):
    return f"/crises/{world.crisis_a.pk}/overleg/1/{suffix}"


def test_a_decision_appears_on_the_chairs_screen_and_the_wall(world, meeting, open_screen):
    chair = open_screen(world.chair, _path(world))
    wall = open_screen(world.mayor, _path(world, "projectie/"))
    logger = open_screen(world.logger, _path(world))

    logger.keyboard.press("Alt+3")  # besluit
    logger.locator("textarea[name=reasoning]").fill("Gezondheid van kinderen gaat voor")
    logger.locator("textarea[name=text]").fill("Scholen in Oosterpark blijven morgen dicht")
    logger.locator("textarea[name=text]").press("Enter")

    expect(logger.locator("#region-log")).to_contain_text(
        "Scholen in Oosterpark blijven morgen dicht"
    )
    expect(chair.locator("#region-log")).to_contain_text(
        "Scholen in Oosterpark blijven morgen dicht", timeout=LIVE_WITHIN_MS
    )
    expect(chair.locator("#region-log")).to_contain_text("Gezondheid van kinderen gaat voor")
    expect(wall.locator("#region-log")).to_contain_text(
        "Scholen in Oosterpark blijven morgen dicht", timeout=LIVE_WITHIN_MS
    )
    # The logger's form is empty and ready for the next entry, with the kind kept.
    expect(logger.locator("textarea[name=text]")).to_have_value("")
    expect(logger.locator("textarea[name=text]")).to_be_focused()
    expect(logger.locator("input[name=kind][value=besluit]")).to_be_checked()


def test_the_logger_console_follows_the_chairs_phase(world, meeting, open_screen):
    chair = open_screen(world.chair, _path(world))
    logger = open_screen(world.logger, _path(world))
    expect(logger.locator("[data-phase]")).to_have_attribute("data-phase", "beeldvorming")

    chair.get_by_role("button", name="2. Oordeelsvorming").click()

    expect(chair.locator("[data-phase]")).to_have_attribute("data-phase", "oordeelsvorming")
    expect(logger.locator("[data-phase]")).to_have_attribute(
        "data-phase", "oordeelsvorming", timeout=LIVE_WITHIN_MS
    )
    # Entries now carry the new phase.
    logger.locator("textarea[name=text]").fill("Dilemma: evacueren of binnen blijven")
    logger.locator("textarea[name=text]").press("Enter")
    expect(chair.locator("#region-log .entry").first).to_contain_text(
        "Oordeelsvorming", timeout=LIVE_WITHIN_MS
    )


def test_a_check_being_typed_survives_live_updates(world, meeting, record, open_screen):
    from datetime import timedelta

    from django.utils import timezone

    record("opdracht", "Bewonersbrief", deadline=timezone.now() + timedelta(hours=1))
    services.meeting_set_phase(meeting=meeting, phase="controle", actor=world.chair)
    chair = open_screen(world.chair, _path(world))
    logger = open_screen(world.logger, _path(world))
    logger.get_by_role("link", name="Controleren #1").click()
    remark = logger.get_by_label("Opmerking")
    remark.fill("Brief ligt bij de drukker")
    logger.locator("h1").click()  # looks away: focus leaves the form, the form stays open

    # Something changes elsewhere: the logger's Controle list must not be swapped away.
    chair.locator("textarea[name=text]").fill("Nieuwe melding van de brandweer")
    chair.locator("textarea[name=text]").press("Enter")
    expect(logger.locator("#region-log")).to_contain_text(
        "Nieuwe melding van de brandweer", timeout=LIVE_WITHIN_MS
    )
    expect(remark).to_have_value("Brief ligt bij de drukker")

    logger.get_by_label("afgerond").check()
    logger.get_by_role("button", name="Controle vastleggen").click()
    expect(logger.locator("#region-assignments")).to_contain_text("Geen openstaande opdrachten")
    expect(chair.locator("#region-log")).to_contain_text(
        "Opdracht 1 afgerond. Brief ligt bij de drukker", timeout=LIVE_WITHIN_MS
    )


def test_the_chair_moves_phase_with_the_keyboard(world, meeting, open_screen):
    chair = open_screen(world.chair, _path(world))
    chair.keyboard.press("Alt+Shift+2")
    expect(chair.locator("[data-phase]")).to_have_attribute("data-phase", "oordeelsvorming")


def test_a_bad_entry_keeps_its_text_and_shows_the_message(world, meeting, open_screen):
    logger = open_screen(world.logger, _path(world))
    logger.keyboard.press("Alt+4")  # opdracht
    logger.locator("textarea[name=text]").fill("Verkeersregelaars bij de A28")
    logger.get_by_role("button", name="Opslaan", exact=True).click()
    expect(logger.get_by_text("Een opdracht heeft een actiehouder nodig")).to_be_visible()
    expect(logger.locator("textarea[name=text]")).to_have_value("Verkeersregelaars bij de A28")


def test_an_exercise_wall_screen_says_oefening(world, open_screen):
    services.meeting_start(crisis=world.crisis_b, actor=world.outsider)
    wall = open_screen(world.outsider, f"/crises/{world.crisis_b.pk}/overleg/1/projectie/")
    expect(wall.get_by_test_id("exercise-banner")).to_contain_text("OEFENING")


def test_the_clock_warns_when_the_phase_runs_over(world, meeting, open_screen):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting

    earlier = timezone.now() - timedelta(minutes=10)  # Beeldvorming's box is 7:30 of 30:00
    Meeting.objects.filter(pk=meeting.pk).update(started_at=earlier, phase_started_at=earlier)
    chair = open_screen(world.chair, _path(world))
    expect(chair.locator("[data-clock-warning]")).to_be_visible()
    expect(chair.locator("[data-clock-phase]")).to_have_text(re.compile(r"^1[0-2]:\d\d$"))
    chair.get_by_role("button", name="2. Oordeelsvorming").click()
    expect(chair.locator("[data-clock-warning]")).to_be_hidden()


def test_the_attention_card_follows_the_chairs_phase_and_ticks(world, meeting, open_screen):
    chair = open_screen(world.chair, _path(world))
    mayor = open_screen(world.mayor, _path(world))
    expect(mayor.locator("#region-card")).to_contain_text("Nu: Beeldvorming")

    chair.get_by_role("button", name="3. Besluitvorming").click()
    expect(mayor.locator("#region-card")).to_contain_text(
        "Nu: Besluitvorming", timeout=LIVE_WITHIN_MS
    )
    expect(mayor.locator("#region-card")).to_contain_text("mét argumenten")

    chair.get_by_role("button", name=re.compile("Markeer als behandeld: Opening")).click()
    expect(mayor.locator("#region-card")).to_contain_text("behandeld", timeout=LIVE_WITHIN_MS)
