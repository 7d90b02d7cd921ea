"""WCAG 2.1 AA, checked by axe-core in Chromium on every page of the product, as each role
sees it: no serious or critical violation anywhere."""

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from crisisroom.models import Partner
from meetings import services
from resilience import services as resilience_services
from resilience.models import PriorityDecision, ThreatScenario
from tests.conftest import cold_score
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}"""


def _pages(world, meeting, version, message_seq):
    a, n = world.crisis_a.pk, meeting.number
    return {
        "chair": [
            reverse("crisis_list"),
            reverse("crisis_home", args=[a]),
            reverse("meeting_list", args=[a]),
            reverse("meeting_detail", args=[a, n]),
            reverse("meeting_projection", args=[a, n]),
            reverse("meeting_kernbeeld_history", args=[a, n]),
            reverse("decision_list", args=[a]),
            reverse("entry_between", args=[a]),
            reverse("crisis_team", args=[a]),
            reverse("crisis_audit", args=[a]),
            reverse("crisis_start", args=[a]),
            reverse("desk", args=[a]),
            reverse("message_detail", args=[a, message_seq]),
            reverse("stakeholders", args=[a]),
            reverse("stakeholder_scheme", args=[a]),
            reverse("task_cards", args=[a]),
            reverse("personal_logbook", args=[a]),
            reverse("two_factor_setup"),
        ],
        "mayor": [
            reverse("crisis_home", args=[a]),
            reverse("analysis_page", args=[a]),
            reverse("analysis_sharing", args=[a]),
            reverse("meeting_detail", args=[a, n]),
        ],
        "rol": [
            reverse("crisis_home", args=[a]),
            reverse("analysis_page", args=[a]),
            reverse("analysis_diff", args=[a]) + f"?van=1&naar={version.number}",
        ],
        "logger": [reverse("crisis_home", args=[a]), reverse("meeting_detail", args=[a, n])],
        "org_admin": [
            reverse("format_edit", args=[world.org_a.pk]),
            reverse("cards_edit", args=[world.org_a.pk]),
        ],
    }


def _cold_pages(cold) -> dict[str, list[str]]:
    """The cold phase, scored and decided, with a partner and a critical process: each page as
    its maintainer, its decider, a measure's owner and the administrator see it."""
    org = cold.organisation
    first, second, unscored = ThreatScenario.objects.filter(organisation=org)[:3]
    cold_score(cold, first, impact=4, likelihood=3)
    cold_score(cold, second, impact=2, likelihood=4)
    cold_score(cold, unscored, impact=1)
    resilience_services.partner_save(
        organisation=org, actor=cold.aov, name="Woonstede", kind=Partner.Kind.WONINGCORPORATIE
    )
    resilience_services.critical_process_save(
        organisation=org,
        actor=cold.aov,
        name="Uitkeringen",
        max_outage_hours=72,
        fallback="Voorschotten contant aan de balie",
        measures=[cold.measure],
    )
    today = timezone.localdate()
    decision = resilience_services.priority_decide(
        organisation=org,
        actor=cold.mayor,
        decided_by=PriorityDecision.DecidedBy.MAYOR,
        decided_on=today,
        review_on=today + timedelta(days=365),
        reasons="Stroom eerst: alles hangt ervan af",
        scenario_ids=[first.pk, second.pk],
    )

    def at(name: str, *args) -> str:
        return reverse(name, args=[org.pk, *args])

    m = cold.measure.pk
    return {
        "aov": [
            at("resilience_home"),
            at("scenario_list"),
            at("scenario_detail", unscored.pk),
            at("scenario_create"),
            at("weighing_page"),
            at("framework_edit"),
            at("framework_version", 1),
            at("programme_page"),
            at("measure_create"),
            at("measure_detail", m),
            at("measure_edit", m),
            at("process_list"),
            at("process_create"),
            at("partner_list"),
            at("partner_create"),
            at("measure_import"),
        ],
        "mayor": [
            at("weighing_page"),  # with the decision form
            at("priority_decide"),
            at("priority_decision", decision.number),
            reverse("crisis_list"),  # with the cold phase's panel
        ],
        "owner": [at("measure_detail", m), at("measure_edit", m), reverse("crisis_list")],
        "org_admin": [at("resilience_roles")],
    }


def axe_violations(browser, live_server, user, persona: str, paths: list[str]) -> dict[str, list]:
    """Log in as ``user`` in a fresh context and run axe on each of ``paths``: the serious and
    critical violations per "persona path". An error page fails at once (it would pass for the
    page it stands in for)."""
    found: dict[str, list] = {}
    # axe runs as an injected script: this context alone lets the page's CSP allow it.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="nl-NL", bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        status = response.status if response is not None else None
        assert status is not None and status < 400, f"{persona} {path}: {status}"
        page.add_script_tag(content=AXE)
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[f"{persona} {path}"] = violations
    context.close()
    return found


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    world, cold, hand_over, browser, live_server
):
    hand_over(aanleiding="Eerste versie")
    version = hand_over(aanleiding="Tweede versie")
    meeting = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    message = services.message_record(
        crisis=world.crisis_a,
        actor=world.chair,
        direction="in",
        channel="pers",
        counterpart="Omroep Aadorp",
        summary="Vraagt naar de hersteltijd",
        client_token=uuid.uuid4(),
    )
    found: dict[str, list] = {}
    # The check itself works: a page with an image without text is a critical violation.
    probe = browser.new_context(bypass_csp=True).new_page()
    probe.set_content('<html lang="nl"><title>t</title><main><img src="x.png"></main></html>')
    probe.add_script_tag(content=AXE)
    assert "image-alt" in {v["id"] for v in probe.evaluate(RUN_AXE)}
    probe.context.close()
    pages = _pages(world, meeting, version, message.seq)
    for persona, paths in _cold_pages(cold).items():
        pages[persona] = pages.get(persona, []) + paths
    for persona, paths in pages.items():
        user = getattr(cold, persona, None) or getattr(world, persona)
        found |= axe_violations(browser, live_server, user, persona, paths)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
