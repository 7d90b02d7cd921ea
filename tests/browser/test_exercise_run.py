"""An exercise at the table: the exercise leader starts the clock and releases an inject on the
control screen, the mayor's meeting screen shows the message without a reload, and the observer
records what she saw with the keyboard only."""

import pytest
from playwright.sync_api import expect

from meetings import services as meeting_services
from tests.exercises.conftest import exer, exercise  # noqa: F401 - the exercise's fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_WITHIN_MS = 3000  # the meeting screen polls every second


def test_an_inject_reaches_the_mayor_live_and_the_observer_notes_it(
    world,
    exer,  # noqa: F811
    exercise,  # noqa: F811
    open_screen,
):
    pk = exercise.crisis_id
    meeting = meeting_services.meeting_start(crisis=exercise.crisis, actor=world.chair)
    mayor = open_screen(world.mayor, f"/crises/{pk}/overleg/{meeting.number}/")
    expect(mayor.locator("#region-messages")).to_contain_text("(0)")

    leader = open_screen(exer.region_leader, f"/crises/{pk}/oefening/regie/")
    leader.locator("#clock-start").focus()
    leader.keyboard.press("Enter")
    # The clock runs; the T+0 inject went out on schedule.
    expect(leader.locator("#inject-1 .inject-status")).to_contain_text("✓")
    expect(leader.locator("#release-3")).to_be_visible()
    leader.locator("#release-3").focus()
    leader.keyboard.press("Enter")
    expect(leader.locator("#release-news")).to_contain_text("Pers vraagt om interview")
    expect(leader.locator("#inject-3 .inject-status")).to_contain_text("✓")
    # Focus stays on inject 3, now released, for the next Tab.
    expect(leader.locator("#release-3")).to_be_focused()

    # The mayor, the addressee, sees it arrive among the messages to act on.
    expect(mayor.locator("#region-messages")).to_contain_text(
        "Pers vraagt om interview", timeout=LIVE_WITHIN_MS
    )
    expect(mayor.locator("#region-messages")).to_contain_text("Noodstroom zorgcentrum")

    observer = open_screen(exer.waarnemer, f"/crises/{pk}/oefening/waarnemen/")
    text = observer.locator("textarea[name=text]")
    expect(text).to_be_focused()
    observer.keyboard.type("Burgemeester vraagt eerst de ROL om duiding")
    observer.keyboard.press("Control+Enter")
    expect(observer.locator(".observation-list")).to_contain_text(
        "Burgemeester vraagt eerst de ROL om duiding"
    )
    # A fresh form with the focus back in the text.
    expect(observer.locator("textarea[name=text]")).to_have_value("")
    expect(observer.locator("textarea[name=text]")).to_be_focused()
