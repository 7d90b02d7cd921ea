import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_the_chair_logs_in_and_reaches_the_chairs_home(world, live_server, page: Page):
    _log_in(page, live_server, "chair")
    expect(page.get_by_role("heading", name="Mijn crises")).to_be_visible()
    page.get_by_role("link", name="Stroomstoring Aadorp").click()
    expect(page.locator("[data-home]")).to_have_attribute("data-home", "chair")
    expect(page.get_by_role("heading", name=re.compile("technisch voorzitter"))).to_be_visible()
    expect(page.get_by_test_id("exercise-banner")).to_have_count(0)


def test_an_exercise_member_sees_oefening_and_only_their_crisis(world, live_server, page: Page):
    _log_in(page, live_server, "outsider")
    expect(page.get_by_text("Stroomstoring Aadorp")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Oefening datalek")).click()
    expect(page.get_by_test_id("exercise-banner")).to_be_visible()
    expect(page.get_by_test_id("exercise-banner")).to_contain_text("OEFENING")


def test_the_skip_link_is_the_first_stop_for_the_keyboard(world, live_server, page: Page):
    _log_in(page, live_server, "mayor")
    expect(page.get_by_role("heading", name="Mijn crises")).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_a_wrong_password_gets_a_dutch_message(world, live_server, page: Page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("chair")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("gebruikersnaam")


def test_a_member_whose_organisation_requires_it_sets_up_and_uses_an_authenticator(
    world, live_server, page: Page
):
    world.org_a.require_two_factor = True
    world.org_a.save()
    _log_in(page, live_server, "logger")
    expect(page.get_by_role("heading", name="Tweestapsverificatie")).to_be_visible()
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit uw authenticator-app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inschakelen").click()
    expect(page.get_by_text("Tweestapsverificatie staat aan voor uw account.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn crises")).to_be_visible()

    page.context.clear_cookies()
    _log_in(page, live_server, "logger")
    expect(page.get_by_role("heading", name="Aanmelding bevestigen")).to_be_visible()
    page.get_by_label("Code uit uw authenticator-app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Deze code klopt niet of is al gebruikt.")).to_be_visible()
    totp = pyotp.TOTP(secret)
    # The set-up code is used; the next 30-second step gives a fresh one.
    page.get_by_label("Code uit uw authenticator-app").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Mijn crises")).to_be_visible()
