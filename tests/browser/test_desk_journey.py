"""The berichtenmanager works the desk with the keyboard; the chair sees it arrive live."""

import pytest
from playwright.sync_api import expect

from crisisroom.roles import Role
from meetings import services
from tests.conftest import seat
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_WITHIN_MS = 2000


def test_a_message_typed_at_the_desk_reaches_the_chairs_console_live(world, open_screen):
    chair, desk = UserFactory(username="cmtchair"), UserFactory(username="desk")
    seat(world.crisis_b, chair, Role.CMT_CHAIR)
    seat(world.crisis_b, desk, Role.MESSAGE_MANAGER)
    meeting = services.meeting_start(crisis=world.crisis_b, actor=chair)
    console = open_screen(chair, f"/crises/{world.crisis_b.pk}/overleg/{meeting.number}/")
    expect(console.locator("#region-messages")).to_contain_text("(0)")

    page = open_screen(desk, f"/crises/{world.crisis_b.pk}/berichten/")
    page.get_by_label("Van / aan").fill("Omroep Rivierenland")
    page.keyboard.press("Alt+4")  # the fourth channel: pers
    expect(page.locator("input[name=channel][value=pers]")).to_be_checked()
    summary = page.locator("textarea[name=summary]")
    expect(summary).to_be_focused()
    summary.fill("Vraagt of het kraanwater veilig is")
    summary.press("Enter")

    expect(page.locator("#region-messages")).to_contain_text("Vraagt of het kraanwater veilig is")
    # The form is empty and ready for the next message, the channel kept.
    expect(summary).to_have_value("")
    expect(page.locator("input[name=channel][value=pers]")).to_be_checked()
    expect(console.locator("#region-messages")).to_contain_text(
        "Vraagt of het kraanwater veilig is", timeout=LIVE_WITHIN_MS
    )
    expect(console.locator("#region-messages")).to_contain_text("(1)")


def test_a_refused_message_keeps_what_was_typed(world, open_screen):
    desk = UserFactory(username="desk")
    seat(world.crisis_b, desk, Role.MESSAGE_MANAGER)
    page = open_screen(desk, f"/crises/{world.crisis_b.pk}/berichten/")
    page.keyboard.press("Alt+1")
    page.locator("textarea[name=summary]").fill("Belt over een lekkage")
    page.locator("textarea[name=summary]").press("Enter")  # no "from / to": refused
    expect(page.locator("#message-form [role=alert]").first).to_be_visible()
    expect(page.locator("textarea[name=summary]")).to_have_value("Belt over een lekkage")
