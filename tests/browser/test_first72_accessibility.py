"""Every page of the first 72 hours through axe-core as the person who uses it, with data on it:
no serious or critical WCAG 2.1 AA violation."""

import json
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from resilience import services
from resilience.models import AllocationRequest, District
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scene(world, cold) -> dict:
    org, aov = cold.organisation, cold.aov
    wijk = District.objects.create(organisation=org, code="WK012301", name="Centrum", level="wijk")
    buurt = District.objects.create(
        organisation=org,
        code="BU01230101",
        name="De Brink",
        level="buurt",
        outline={
            "type": "Polygon",
            "coordinates": [[[5.1, 52.1], [5.12, 52.1], [5.12, 52.12], [5.1, 52.12], [5.1, 52.1]]],
        },
    )
    point = services.point_save(
        organisation=org,
        actor=aov,
        name="Buurthuis De Brink",
        kind="gemeenschapshuis",
        address="Brink 1",
        latitude=52.11,
        longitude=5.11,
        capacity=120,
        key_holder="Beheerder, 06-12345678",
        district=buurt,
        services=["informatie", "water"],
        power_hours=72,
    )
    services.location_save(
        organisation=org,
        actor=aov,
        name="Verpleeghuis De Linde",
        kind="zorginstelling",
        address="Lindelaan 4",
        latitude=52.112,
        longitude=5.113,
        district=buurt,
        people=80,
        dependencies=["stroom", "zorg"],
    )
    services.location_save(
        organisation=org,
        actor=aov,
        name="Thuisdialyse",
        kind="thuisdialyse",
        district=buurt,
        people=3,
        dependencies=["stroom"],
    )
    group = services.group_save(organisation=org, actor=aov, name="75-plussers alleen")
    services.group_count_set(
        group=group,
        district=buurt,
        count=120,
        source="CBS",
        as_of=timezone.localdate(),
        actor=aov,
    )
    good = services.good_save(
        organisation=org, actor=aov, name="Drinkwater", kind="drinkwater", unit="liter"
    )
    services.stock_save(
        good=good,
        actor=aov,
        place="Gemeentewerf",
        quantity=Decimal(1000),
        as_of=timezone.localdate(),
    )
    data = services.RuleVersionInput(
        priority_order="Verpleeghuizen\nNoodsteunpunten",
        norm_amount=Decimal(3),
        norm_unit="liter per persoon per dag",
        norm_source="Drinkwaterbesluit",
        conditions="",
        decided_by="college van B en W",
        decided_on=timezone.localdate(),
        reasons="Eerst wie zich het minst kan redden.",
    )
    rule = services.rule_create(organisation=org, actor=aov, good=good, title="Water", data=data)
    services.affected_area_change(crisis=world.crisis_a, actor=world.chair, add=[buurt])
    AllocationRequest.objects.create(
        crisis=world.crisis_a,
        number=1,
        good=good,
        quantity=200,
        point=point,
        description="Water voor bezoekers",
        created_by=world.logger,
        client_token=uuid.uuid4(),
    )

    def at(name: str, *args) -> str:
        return reverse(name, args=[org.pk, *args])

    crisis = reverse("crisis_first72", args=[world.crisis_a.pk])
    return {
        "aov": [
            at("first72_points"),
            at("first72_point_detail", point.pk),
            at("first72_point_create"),
            at("first72_point_edit", point.pk),
            at("first72_locations"),
            at("first72_location_create"),
            at("first72_groups"),
            at("first72_districts"),
            at("first72_district_create"),
            at("first72_district_edit", wijk.pk),
            at("first72_districts_import"),
            at("first72_map"),
            at("first72_print"),
            at("scarce_goods"),
            at("scarce_good_create"),
            at("scarce_stock_create", good.pk),
            at("allocation_rule_create", good.pk),
            at("allocation_rule", rule.number),
            at("allocation_rule_version", rule.number, 1),
            at("allocation_rule_decide", rule.number),
        ],
        "logger": [crisis],
        "chair": [crisis],
        "mayor": [crisis, at("samenloop")],
    }


def test_no_first72_page_has_a_serious_or_critical_violation(world, cold, browser, live_server):
    found: dict[str, list] = {}
    for persona, paths in _scene(world, cold).items():
        user = getattr(cold, persona, None) or getattr(world, persona)
        found |= axe_violations(browser, live_server, user, persona, paths)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
