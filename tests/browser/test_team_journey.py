import pytest
from playwright.sync_api import Page, expect

from crisisroom.models import Membership
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_removes_a_member_in_two_deliberate_steps(world, live_server, page: Page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("chair")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{live_server.url}/crises/{world.crisis_a.pk}/team/")

    adviser_name = world.adviser.get_full_name()
    confirm = page.get_by_role("button", name=f"{adviser_name} verwijderen")
    expect(confirm).to_be_hidden()  # one stray click on the table cannot remove anyone
    page.locator("summary", has_text="Verwijderen").filter(has_text=adviser_name).click()
    confirm.click()

    expect(page.get_by_role("status")).to_contain_text(adviser_name)
    expect(page.get_by_role("button", name=f"{adviser_name} verwijderen")).to_have_count(0)
    seat = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    assert seat.ended_by == world.chair
