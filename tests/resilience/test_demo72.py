"""The demo's first 72 hours: what `make run` shows the AOV, the mayor and the GBT."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from crisisroom.models import Crisis, Organisation
from meetings.demo import gbt
from meetings.demo.people import DEMO_PASSWORD, MUNICIPALITY
from meetings.models import Entry
from resilience.models import (
    CLUSTER_KINDS,
    AffectedDistrict,
    AllocationDecision,
    AllocationRequest,
    AllocationRule,
    EmergencyPoint,
    GoodKind,
    GroupCount,
    PointStatus,
    VulnerableLocation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def zuiderveen() -> Organisation:
    call_command("demo_data")
    return Organisation.objects.get(name=MUNICIPALITY)


def _crisis(organisation) -> Crisis:
    return Crisis.objects.get(organisation=organisation, title=gbt.TITLE)


def test_five_noodsteunpunten_one_open_in_the_gbt_crisis(zuiderveen):
    points = EmergencyPoint.objects.filter(organisation=zuiderveen)
    assert points.count() == 5
    open_points = points.filter(status=PointStatus.OPEN)
    assert [p.name for p in open_points] == ["Buurthuis Oosterpark"]
    change = open_points.get().status_changes.get()
    assert change.crisis == _crisis(zuiderveen) and change.by.username == "logger"
    assert all(p.key_holder and p.address for p in points)


def test_vulnerable_places_and_groups_are_counted_never_named(zuiderveen):
    locations = VulnerableLocation.objects.filter(organisation=zuiderveen)
    clusters = locations.filter(kind__in=CLUSTER_KINDS)
    assert clusters.count() == 3
    assert all(c.address == "" and c.latitude is None and c.people for c in clusters)
    counts = GroupCount.objects.filter(group__organisation=zuiderveen)
    assert counts.count() == 10 and all(c.source.startswith("Demo:") for c in counts)


def test_rules_for_drinking_water_and_generators_with_a_labelled_default(zuiderveen):
    rules = {r.good.kind: r for r in AllocationRule.objects.filter(organisation=zuiderveen)}
    assert set(rules) == {GoodKind.DRINKWATER, GoodKind.AGGREGATEN}
    water = rules[GoodKind.DRINKWATER].versions.get()
    assert water.norm_is_default and "Drinkwaterbesluit" in water.norm_source
    assert not rules[GoodKind.AGGREGATEN].versions.get().norm_is_default


def test_the_gbt_crisis_decided_an_allocation_that_cites_its_rule(zuiderveen):
    crisis = _crisis(zuiderveen)
    assert {a.district.name for a in AffectedDistrict.objects.filter(crisis=crisis)} == {
        "Oosterpark",
        "Molenakker",
    }
    decision = AllocationDecision.objects.get(crisis=crisis)
    assert decision.follows_rule and decision.rule_version.rule.code == "R2"
    assert decision.entry.kind == Entry.Kind.BESLUIT
    assert "volgens toedelingsregel R2 versie 1" in decision.entry.text
    assert decision.entry.decided_by.username == "burgemeester"
    requests = AllocationRequest.objects.filter(crisis=crisis)
    assert requests.filter(decision=decision).count() == 1
    assert requests.filter(status="open").count() == 1


def test_loading_again_adds_nothing(zuiderveen):
    before = (EmergencyPoint.objects.count(), AllocationDecision.objects.count())
    call_command("demo_data")
    assert (EmergencyPoint.objects.count(), AllocationDecision.objects.count()) == before


def test_the_logger_opens_the_crisis_page_and_sees_the_open_point(zuiderveen):
    client = Client()
    assert client.login(username="logger", password=DEMO_PASSWORD)
    html = client.get(reverse("crisis_first72", args=[_crisis(zuiderveen).pk])).content.decode()
    assert "Buurthuis Oosterpark" in html and "Zorgcentrum De Linde" in html
