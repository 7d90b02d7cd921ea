"""The cold phase in the browser: the AOV scores by keyboard and the ranking moves -> the mayor
decides the priority and finds it on the weighing page and at home -> the AOV adds an overdue
measure -> its owner finds it at home and records progress -> the programme PDF names it; the
weighing and the programme fit a phone."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from resilience.models import LIKELIHOOD, MeasureStatus, ThreatScenario
from tests.conftest import cold_score, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nl(msgid: str, context: str = "") -> str:
    """What the Dutch page says for an English msgid, translated or not yet."""
    with translation.override("nl"):
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def test_from_scores_to_a_decided_priority_to_a_measure_its_owner_updates(
    cold, live_server, open_screen
):
    org = cold.organisation.pk
    at = live_server.url
    water, power = ThreatScenario.objects.filter(organisation=cold.organisation)[:2]
    cold_score(cold, water, impact=3, likelihood=3)  # risk 9: ranked first
    cold_score(cold, power, impact=4)  # no likelihood yet: not ranked
    ranking = ".ranking-table tbody tr"

    aov = open_screen(cold.aov, reverse("weighing_page", args=[org]))
    expect(aov.locator(ranking).first).to_contain_text(water.title)
    expect(aov.locator(ranking, has_text=power.title)).to_contain_text(nl("not ranked"))

    # The likelihood, by keyboard only: the page opens at the form still to fill in.
    detail = reverse("scenario_detail", args=[org, power.pk])
    aov.goto(f"{at}{detail}#score-{LIKELIHOOD}")
    form = aov.locator(f"#score-{LIKELIHOOD}")
    aov.keyboard.press("Tab")
    expect(form.locator("summary")).to_be_focused()
    aov.keyboard.press("Tab")
    expect(form.get_by_role("radio").first).to_be_focused()
    for _ in range(4):
        aov.keyboard.press("ArrowRight")
    expect(form.get_by_role("radio").last).to_be_checked()  # E, highly likely
    aov.keyboard.press("Tab")
    expect(form.get_by_role("textbox", name=nl("Reasoning"))).to_be_focused()
    aov.keyboard.type("Het net is kwetsbaar; de netbeheerder verwacht vaker uitval.")
    aov.keyboard.press("Tab")
    aov.keyboard.type("Regionaal risicoprofiel 2024")
    aov.keyboard.press("Enter")
    expect(aov.get_by_text(nl("Score recorded."))).to_be_visible()
    aov.goto(f"{at}{reverse('weighing_page', args=[org])}")
    first = aov.locator(ranking).first
    expect(first).to_contain_text(power.title)  # risk 4 x 5 = 20 now comes first
    expect(first.locator("td").first).to_have_text("1")
    expect(aov.locator(ranking, has_text=water.title).locator("td").first).to_have_text("2")

    # The mayor departs from the ranking, with reasons.
    mayor = open_screen(cold.mayor, reverse("weighing_page", args=[org]))
    order = mayor.locator(".order-table")
    order.get_by_label(water.title, exact=True).fill("1")
    order.get_by_label(power.title, exact=True).fill("2")
    mayor.get_by_label(nl("Reasons")).fill("Drinkwater eerst: zonder water geen 72 uur.")
    mayor.get_by_role("button", name=nl("Record the priority decision")).click()
    recorded = nl("Priority decision %(number)s recorded.") % {"number": 1}
    expect(mayor.get_by_text(recorded)).to_be_visible()
    mayor.goto(f"{at}{reverse('weighing_page', args=[org])}")
    expect(mayor.locator(".decided-order li")).to_have_text([water.title, power.title])
    expect(mayor.locator(".decision-current")).to_contain_text("zonder water geen 72 uur")
    mayor.goto(f"{at}/")
    panel = mayor.get_by_test_id("cold-phase-panel")
    expect(panel.locator("ol li")).to_have_text([water.title, power.title])

    # A measure already late when it is added stands out.
    aov.goto(f"{at}{reverse('measure_create', args=[org])}")
    aov.get_by_label(nl("Title"), exact=True).fill("Noodaggregaat huren")
    aov.get_by_label(nl("Theme"), exact=True).select_option("energie")
    aov.get_by_label(nl("Owner (person)")).select_option(label="Otto Eigenaar")
    past = timezone.localdate() - timedelta(days=5)
    aov.get_by_label(nl("Due"), exact=True).fill(past.isoformat())
    aov.get_by_role("button", name=nl("Add measure")).click()
    expect(aov.get_by_role("heading", level=1)).to_contain_text("Noodaggregaat huren")
    expect(aov.locator(".measure-state .badge-overdue")).to_have_text(nl("overdue", "measure"))

    # Its owner finds it at home and records progress.
    owner = open_screen(cold.owner)
    mine = owner.get_by_test_id("my-measures")
    late = nl("overdue", "measure")
    expect(mine.locator("li", has_text="Noodaggregaat huren")).to_contain_text(late)
    mine.get_by_role("link", name=re.compile("Noodaggregaat huren")).click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Noodaggregaat huren")
    owner.locator("details.progress-add summary").click()
    progress = owner.locator("details.progress-add form")
    progress.get_by_label(nl("What happened")).fill("Offerte bij twee verhuurders opgevraagd.")
    progress.get_by_label(nl("Status afterwards")).select_option("loopt")
    progress.get_by_role("button", name=nl("Record progress")).click()
    expect(owner.locator(".progress-notes li").first).to_contain_text(
        "Offerte bij twee verhuurders opgevraagd."
    )
    with translation.override("nl"):
        in_progress = str(MeasureStatus.LOOPT.label)
    expect(owner.locator(".measure-state")).to_contain_text(in_progress.capitalize())

    # The programme plan for the council, as the link gives it.
    aov.goto(f"{at}{reverse('programme_page', args=[org])}")
    href = aov.get_by_role("link", name=nl("Programme plan as PDF")).get_attribute("href")
    response = aov.request.get(f"{at}{href}")
    assert response.headers["content-type"] == "application/pdf"
    assert "Noodaggregaat huren" in pdf_text(response.body())

    # On a phone neither page scrolls sideways as a whole; wide tables scroll in their box.
    aov.set_viewport_size({"width": 390, "height": 844})
    for name in ("weighing_page", "programme_page"):
        aov.goto(f"{at}{reverse(name, args=[org])}")
        aov.evaluate("document.fonts.ready.then(() => true)")
        width = aov.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{name} is {width} px wide at 390"
