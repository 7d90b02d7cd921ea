"""The wall screen in a real browser: a 16:9 wall that never scrolls and turns its own pages,
and a wall computer paired with a code that follows the meeting live."""

import pytest
from playwright.sync_api import expect

from meetings.selectors.wall import WALL_PAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_HD = {"width": 1920, "height": 1080}
LIVE_WITHIN_MS = 2000


@pytest.fixture
def wall_computer(browser, live_server):
    """A browser without a login, at 1920x1080, as a wall computer in the crisis room. Fails
    the test on any Content Security Policy violation, like ``open_screen``."""
    contexts, violations = [], []

    def _open():
        context = browser.new_context(viewport=FULL_HD, locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{live_server.url}/scherm/")
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not violations, f"CSP violations: {violations}"


def _does_not_scroll(page) -> None:
    sizes = page.evaluate(
        "[document.documentElement.scrollHeight, innerHeight,"
        " document.documentElement.scrollWidth, innerWidth]"
    )
    height, inner_height, width, inner_width = sizes
    assert height <= inner_height and width <= inner_width, sizes


def test_a_full_wall_fits_the_screen_and_turns_its_pages(world, meeting, record, open_screen):
    for i in range(1, 31):
        record("opdracht", f"Opdracht {i:02d}: bewoners van straat {i} informeren over de rook")
    for i in range(1, 13):
        record("besluit", f"Besluit {i:02d}: scholen in wijk {i} blijven morgen dicht")
    wall = open_screen(world.mayor, f"/crises/{world.crisis_a.pk}/overleg/1/projectie/")
    wall.set_viewport_size(FULL_HD)

    assignments = wall.locator("#region-assignments")
    expect(assignments.get_by_test_id("wall-assignments-count")).to_have_text("(30)")
    pages = -(-30 // WALL_PAGE)
    expect(assignments.get_by_test_id("wall-pager")).to_have_text(f"1/{pages}")
    # The newest is on the page shown first; the oldest waits for its turn.
    expect(assignments.get_by_text("Opdracht 30:")).to_be_visible()
    expect(assignments.get_by_text("Opdracht 01:")).to_be_hidden()
    _does_not_scroll(wall)

    # The wall turns the page by itself (every 10 s).
    expect(assignments.get_by_test_id("wall-pager")).to_have_text(f"2/{pages}", timeout=12_000)
    expect(assignments.get_by_text("Opdracht 30:")).to_be_hidden()
    expect(assignments.get_by_text(f"Opdracht {30 - WALL_PAGE:02d}:")).to_be_visible()
    _does_not_scroll(wall)


def test_a_wall_paired_with_a_code_follows_the_meeting_live(
    world, meeting, record, open_screen, wall_computer
):
    chair = open_screen(world.chair, f"/crises/{world.crisis_a.pk}/scherm/")
    chair.locator("input[name=label]").fill("Wand crisiskamer")
    chair.locator("form[action$='/scherm/koppelen/'] button").click()
    code = chair.get_by_test_id("wall-code").inner_text()

    wall = wall_computer()
    wall.locator("input[name=code]").fill(code)
    wall.locator("form.wall-code-form button").click()
    expect(wall.get_by_test_id("wall-paired")).to_contain_text("Wand crisiskamer")
    expect(wall.locator("h1")).to_contain_text(world.crisis_a.title)
    _does_not_scroll(wall)

    record("besluit", "Sporthal Zuid wordt opvanglocatie", reasoning="Dichtbij en met noodstroom")
    expect(wall.locator("#region-log")).to_contain_text(
        "Sporthal Zuid wordt opvanglocatie", timeout=LIVE_WITHIN_MS
    )

    # The chair revokes it: the wall goes dark at its next poll.
    chair.reload()  # the code is shown once; the pairing stays in the list
    expect(chair.get_by_test_id("wall-code")).to_have_count(0)
    chair.get_by_test_id("wall-pairings").locator("button").click()
    expect(wall.get_by_test_id("wall-ended")).to_be_visible(timeout=LIVE_WITHIN_MS + 1000)
    expect(wall.locator("body")).not_to_contain_text("Sporthal Zuid")


def test_the_wall_pages_pass_the_accessibility_check(world, meeting, record, browser, live_server):
    """axe-core, as tests/browser/test_accessibility.py runs it, on the wall with every panel,
    the chair's set-up page and the code page."""
    from meetings.services import wall as wall_services
    from tests.browser.test_accessibility import AXE, RUN_AXE
    from tests.factories import PASSWORD

    record("opdracht", "Bewonersbrief")
    record("besluit", "Scholen dicht")
    wall_services.wall_settings_save(
        crisis=world.crisis_a,
        actor=world.chair,
        show_decisions=True,
        show_assignments=True,
        show_kernbeeld=True,
        show_agenda=True,
        show_clock=True,
    )
    context = browser.new_context(viewport=FULL_HD, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    found = {}

    def check(path):
        page.goto(f"{live_server.url}{path}")
        page.add_script_tag(content=AXE)
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[path] = violations

    check("/scherm/")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(world.chair.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    check(f"/crises/{world.crisis_a.pk}/scherm/")
    check(f"/crises/{world.crisis_a.pk}/overleg/1/projectie/")
    context.close()
    assert not found, found
