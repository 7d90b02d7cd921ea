import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright may not download a browser of its own here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English browser on purpose: the team must still get the Dutch interface.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "en-US"}


@pytest.fixture
def open_screen(browser, live_server):
    """Open a logged-in screen (own browser context) for a user at a path.

    The contexts are closed when the test ends, before the database is flushed: a screen left
    open keeps polling, and on PostgreSQL its queries deadlock with the flush's TRUNCATE.
    """
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    contexts = []
    # Every journey doubles as a check of the Content Security Policy: a blocked script,
    # style or handler shows up as a console error and fails the test.
    violations: list[str] = []

    def _open(user, path: str = "/"):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Mijn crises")).to_be_visible()
        if path != "/":
            page.goto(f"{live_server.url}{path}")
        return page

    yield _open
    for context in contexts:
        context.close()
    _wait_for_requests_to_finish()
    assert not violations, f"CSP violations: {violations}"


def _wait_for_requests_to_finish(timeout: float = 10.0) -> None:
    """Let the live server finish requests already under way before the flush starts."""
    import threading
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [t for t in threading.enumerate() if "process_request_thread" in t.name]
        if not busy:
            return
        time.sleep(0.05)
