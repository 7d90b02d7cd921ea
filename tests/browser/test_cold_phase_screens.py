"""The cold phase's screens with the demo's Gemeente Zuiderveen: on a phone no page scrolls
sideways as a whole (a wide table scrolls in its own box), no word is split over two lines on
a phone or a laptop (a squeezed column showed "Ran/k" and a scorer's name a letter a line), and
the risk diagram and the timeline are drawn.

With COLD_PHASE_SCREENSHOTS=<folder> it also saves full-page screenshots of every page at a
laptop's, a wide monitor's and a phone's width, to look at (nothing compares them)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from crisisroom.models import Organisation
from meetings.demo.people import MUNICIPALITY
from resilience import selectors
from resilience.demo import ADMINISTRATOR, ADVISER, MAYOR
from resilience.models import PriorityDecision
from resilience.models.programme import OPEN_STATUSES, Measure
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP, MONITOR = (390, 844), (1280, 800), (1920, 1080)
# On the home page only the cold phase's panels are this app's.
PANELS = "[data-testid=cold-phase-panel], [data-testid=my-measures]"

# Which elements stick out on the right, for a message that says what to fix.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5)
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


# Words split over two lines in the part of the page under ``root``: a word whose letters lie
# on more than one line. What people wrote may break anywhere (a long pasted link must), and so
# may a word longer than a phone is wide.
SPLIT_WORDS = """(root) => {
  const split = [];
  for (const part of document.querySelectorAll(root)) {
    const walk = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (node.parentElement.closest('.user-text, .visually-hidden, svg')) continue;
      for (const word of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]{2,25}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return split.slice(0, 5);
}"""


def _demo_user(username: str):
    # The demo's people, with the suite's password so open_screen can log them in.
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _pages(org: Organisation) -> dict[str, dict[str, str]]:
    """Every cold-phase page of the demo, as the person who works with it sees it."""
    # The measure with the most to show: overdue, with the most progress notes.
    measure = (
        Measure.objects.filter(organisation=org, due_on__lt=timezone.localdate())
        .filter(status__in=OPEN_STATUSES)
        .annotate(notes=Count("progress"))
        .order_by("-notes", "pk")
        .first()
    )
    framework = selectors.framework_current(organisation=org)
    top = selectors.ranking(
        framework=framework, scenarios=list(selectors.scenarios_of(organisation=org))
    )[0].scenario
    decision = PriorityDecision.objects.filter(organisation=org).order_by("-number").first()

    def at(name: str, *args) -> str:
        return reverse(name, args=[org.pk, *args])

    return {
        ADVISER: {
            "home": at("resilience_home"),
            "weighing": at("weighing_page"),
            "programme": at("programme_page"),
            "measure": at("measure_detail", measure.pk),
            "scenario": at("scenario_detail", top.pk),
            "processes": at("process_list"),
            "partners": at("partner_list"),
            "scenarios": at("scenario_list"),
            "scenario-new": at("scenario_create"),
            "framework-edit": at("framework_edit"),
            "framework-1": at("framework_version", 1),
            "measure-new": at("measure_create"),
            "measure-edit": at("measure_edit", measure.pk),
            "import": at("measure_import"),
            "process-new": at("process_create"),
            "partner-new": at("partner_create"),
        },
        MAYOR: {
            "mayor-home": "/",
            "mayor-weighing": at("weighing_page"),
            "decide": at("priority_decide"),
            "decision": at("priority_decision", decision.number),
        },
        ADMINISTRATOR: {"roles": at("resilience_roles")},
    }


def test_the_demos_cold_phase_fits_a_phone_and_draws_its_charts(live_server, open_screen):
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    org = Organisation.objects.get(name=MUNICIPALITY)
    shots = os.environ.get("COLD_PHASE_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    too_wide, split = {}, {}
    for username, pages in _pages(org).items():
        page = open_screen(_demo_user(username))
        for width, height in [PHONE, LAPTOP, *([MONITOR] if shots else [])]:
            page.set_viewport_size({"width": width, "height": height})
            for name, path in pages.items():
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.ok, f"{username} {path}"
                page.evaluate("document.fonts.ready.then(() => true)")  # measured once laid out
                if width == PHONE[0]:
                    scroll_width = page.evaluate("document.documentElement.scrollWidth")
                    if scroll_width > width + 1:
                        too_wide[name] = (scroll_width, page.evaluate(WIDEST))
                if words := page.evaluate(SPLIT_WORDS, PANELS if path == "/" else "main"):
                    split[f"{name} at {width}"] = words
                if name == "weighing":
                    expect(page.locator(".risk-diagram svg")).to_be_visible()
                if name == "programme":
                    expect(page.locator(".timeline-scroll svg")).to_be_visible()
                if shots:
                    page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
    assert not too_wide, f"wider than a phone at 390 px: {too_wide}"
    assert not split, f"words split over two lines: {split}"
