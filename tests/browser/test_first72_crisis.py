"""The first 72 hours at the crisis table: a noodsteunpunt opened on one screen shows on the
other without reloading, and the logger records an allocation citing the rule by keyboard."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from resilience import services
from resilience.models import (
    AllocationRule,
    AllocationRuleVersion,
    District,
    EmergencyPoint,
    ScarceGood,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_WITHIN_MS = 3000


@pytest.fixture
def first72(world):
    org = world.org_a
    brink = District.objects.create(
        organisation=org, code="BU01230101", name="De Brink", level="buurt"
    )
    point = EmergencyPoint.objects.create(
        organisation=org,
        name="Noodsteunpunt De Brink",
        kind="gemeenschapshuis",
        address="Brinkweg 1",
        latitude=52.1,
        longitude=5.1,
        district=brink,
        capacity=120,
        key_holder="beheerder buurthuis",
    )
    water = ScarceGood.objects.create(
        organisation=org, name="Drinkwater", kind="drinkwater", unit="liter"
    )
    rule = AllocationRule.objects.create(
        organisation=org, number=1, good=water, title="Drinkwater bij langdurige uitval"
    )
    AllocationRuleVersion.objects.create(
        rule=rule,
        version=2,
        priority_order="Zorginstellingen\nNoodsteunpunten",
        decided_by="college van B en W",
        decided_on=date(2024, 3, 1),
        reasons="Sphere-minimum",
        recorded_by=world.chair,
    )
    services.affected_area_change(crisis=world.crisis_a, actor=world.logger, add=[brink])
    request = services.allocation_request_record(
        crisis=world.crisis_a,
        actor=world.logger,
        good=water,
        quantity=Decimal("2000"),
        point=point,
        description="Water voor 80 bewoners van het verpleeghuis",
        client_token=uuid.uuid4(),
    )
    return point, request


def test_a_status_set_on_one_screen_and_a_decision_reach_the_other_live(
    world, first72, open_screen
):
    point, request = first72
    path = f"/crises/{world.crisis_a.pk}/eerste-72-uur/"
    logger = open_screen(world.logger, path)
    chair = open_screen(world.chair, path)
    status = f"[data-testid=point-status-{point.pk}]"
    expect(logger.locator(status)).to_be_visible()
    before = logger.locator(status).inner_text()

    # The chair opens the noodsteunpunt; the logger's screen follows without reloading.
    chair.locator(f"#status-{point.pk}").select_option("open")
    chair.locator(f"#note-{point.pk}").fill("Sleutel opgehaald")
    chair.locator(f"#note-{point.pk}").press("Enter")
    expect(chair.locator(status)).to_contain_text(world.chair.last_name)
    expect(logger.locator(status)).not_to_have_text(before, timeout=LIVE_WITHIN_MS)
    expect(logger.locator(status)).to_contain_text(world.chair.last_name)

    # The logger decides by keyboard, citing the rule.
    good = logger.locator("#decide_good")
    good.focus()
    logger.keyboard.type("Drinkwater")
    expect(good).to_have_value(str(request.good_id))
    logger.keyboard.press("Tab")
    logger.keyboard.type("2000")
    logger.keyboard.press("Tab")
    logger.keyboard.type("Noodsteunpunt De Brink")
    logger.keyboard.press("Tab")
    logger.keyboard.press("Space")  # the request V1
    expect(logger.locator(f"input[name=requests][value='{request.pk}']")).to_be_checked()
    logger.keyboard.press("Tab")
    logger.keyboard.type("R1")  # the rule's version
    logger.locator("#decide_reasons").focus()
    logger.keyboard.type("Bewoners van het verpleeghuis eerst")
    logger.locator("#decide_recipient").press("Enter")

    expect(logger.locator("#region-requests")).to_contain_text("(0)")
    expect(chair.locator("#region-requests")).to_contain_text("(0)", timeout=LIVE_WITHIN_MS)
    logger.goto(logger.url.split("/eerste-72-uur/")[0] + "/besluitenlijst/")
    expect(logger.locator("main")).to_contain_text("Noodsteunpunt De Brink")
    expect(logger.locator("main")).to_contain_text("R1")
    expect(logger.locator("main")).to_contain_text("Bewoners van het verpleeghuis eerst")


def test_typed_refusal_reasons_survive_a_live_change(world, first72, open_screen):
    point, request = first72
    path = f"/crises/{world.crisis_a.pk}/eerste-72-uur/"
    logger = open_screen(world.logger, path)
    # The requests region holds links, no forms that a refresh could empty.
    expect(logger.locator("#region-requests textarea")).to_have_count(0)
    logger.locator("#region-requests").get_by_role("link", name="V1").click()
    reasons = logger.locator("#id_reasons")
    reasons.fill("Voorraad is voor het verpleeghuis")
    reasons.blur()
    # Meanwhile another screen records a request: the crisis changes.
    services.allocation_request_record(
        crisis=world.crisis_a,
        actor=world.chair,
        good=request.good,
        quantity=Decimal("50"),
        requester="Huisartsenpost",
        description="Water voor de wachtkamer",
        client_token=uuid.uuid4(),
    )
    logger.wait_for_timeout(LIVE_WITHIN_MS)
    expect(reasons).to_have_value("Voorraad is voor het verpleeghuis")
    logger.locator("#refuse button[type=submit]").click()
    expect(logger.locator("#region-requests [data-request='2']")).to_be_visible()
    expect(logger.locator("#region-requests [data-request='1']")).to_have_count(0)
    request.refresh_from_db()
    assert request.status == "afgewezen"
