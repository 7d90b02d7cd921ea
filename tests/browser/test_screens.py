"""The screens at the table as their users see them: a line typed while the meeting closes
stays, the logger sees form and log at once on a laptop, and nothing is wider than a phone."""

import uuid

import pytest
from playwright.sync_api import expect

from meetings import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Which elements stick out on the right, for a message that says what to fix.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5)
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _console(world, number=1):
    return f"/crises/{world.crisis_a.pk}/overleg/{number}/"


def test_a_line_typed_while_the_chair_closes_the_meeting_stays_on_screen(
    world, meeting, open_screen
):
    logger = open_screen(world.logger, _console(world))
    text = logger.locator("textarea[name=text]")
    text.fill("Verpleeghuis Oosterpark heeft noodstroom tot 18:00")
    services.meeting_close(meeting=meeting, actor=world.chair)  # the chair closes meanwhile
    text.press("Enter")
    expect(logger.locator("#entry-form [role=alert]").first).to_be_visible()
    expect(logger.locator("textarea[name=text]")).to_have_value(
        "Verpleeghuis Oosterpark heeft noodstroom tot 18:00"
    )
    logger.get_by_role("button", name="Vastleggen tussen de overleggen").click()
    expect(logger.locator("#entry-form")).to_contain_text("Vastgelegd als regel 1")


def test_the_logger_sees_the_entry_form_and_the_newest_log_on_a_laptop(world, meeting, open_screen):
    for i in range(3):
        services.entry_record(
            crisis=world.crisis_a,
            meeting=meeting,
            actor=world.logger,
            kind="beeld",
            text=f"Regel {i}",
            client_token=uuid.uuid4(),
        )
    logger = open_screen(world.logger, _console(world))  # 1280 x 800
    form_top = logger.locator("#entry-form").bounding_box()["y"]
    newest = logger.locator("#region-log li.entry").first.bounding_box()
    assert form_top < 800 and newest["y"] + newest["height"] < 800


def test_nothing_is_wider_than_a_phone_not_even_a_long_link(
    world, meeting, open_screen, hand_over, live_server
):
    hand_over()
    services.entry_record(
        crisis=world.crisis_a,
        meeting=meeting,
        actor=world.logger,
        kind="beeld",
        text="Zie https://www.voorbeeld-veiligheidsregio.nl/" + "lange-verwijzing/" * 30,
        client_token=uuid.uuid4(),
    )
    mayor = open_screen(world.mayor, "/")
    mayor.set_viewport_size({"width": 390, "height": 844})
    for path in (
        f"/crises/{world.crisis_a.pk}/",
        f"/crises/{world.crisis_a.pk}/analyse/",
        f"/crises/{world.crisis_a.pk}/besluitenlijst/",
        _console(world),
    ):
        mayor.goto(f"{live_server.url}{path}")
        mayor.evaluate("document.fonts.ready.then(() => true)")  # measured once laid out
        width = mayor.evaluate("document.documentElement.scrollWidth")
        widest = mayor.evaluate(WIDEST)
        assert width <= 390, f"{path} is {width} px wide at 390: {widest}"
