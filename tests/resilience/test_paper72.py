"""The first 72 hours in the paper pack: noodsteunpunten with addresses and key holders, and the
allocation rules in force, read back from the real PDF."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from resilience.models import (
    AllocationRule,
    AllocationRuleVersion,
    EmergencyPoint,
    GoodKind,
    ScarceGood,
)
from tests.conftest import pdf_text


def _point(organisation, name="Buurthuis De Brink", **fields) -> EmergencyPoint:
    return EmergencyPoint.objects.create(
        organisation=organisation,
        name=name,
        kind="gemeenschapshuis",
        address="Brink 1, Aadorp",
        latitude=52.1,
        longitude=5.1,
        capacity=120,
        services=["informatie", "water"],
        power_hours=72,
        key_holder="Beheerder buurthuis, 06-12345678",
        opening_procedure="Sleutel ophalen, aggregaat starten.",
        **fields,
    )


def _rule(organisation, user, *, active=True) -> AllocationRule:
    good = ScarceGood.objects.create(
        organisation=organisation, name="Drinkwater", kind=GoodKind.DRINKWATER, unit="liter"
    )
    rule = AllocationRule.objects.create(
        organisation=organisation,
        number=1,
        good=good,
        title="Drinkwater bij uitval",
        is_active=active,
    )
    for version, first in ((1, "Scholen"), (2, "Verpleeghuizen")):
        AllocationRuleVersion.objects.create(
            rule=rule,
            version=version,
            priority_order=f"{first}\nNoodsteunpunten",
            norm_amount=Decimal(15),
            norm_unit="liter per persoon per dag",
            norm_source="Sphere Handbook (2018)",
            norm_is_default=True,
            decided_by="college van B en W",
            decided_on=timezone.localdate() - timedelta(days=30),
            reasons="Wie zich het minst kan redden eerst.",
            recorded_by=user,
        )
    return rule


def _pack(world, login) -> str:
    response = login(world.adviser).get(reverse("paper_pack_crisis", args=[world.crisis_a.pk]))
    assert response.status_code == 200
    return pdf_text(response.content)


def test_the_pack_lists_noodsteunpunten_with_address_and_key_holder(world, login):
    _point(world.org_a)
    _point(world.org_a, name="Oud punt", is_active=False)
    text = _pack(world, login)
    assert "Noodsteunpunten" in text
    assert "Buurthuis De Brink" in text and "Brink 1, Aadorp" in text
    assert "Beheerder" in text and "06-12345678" in text
    assert "Openen: Buurthuis De Brink" in text and "aggregaat starten" in text
    assert "Oud punt" not in text  # out of use


def test_the_pack_carries_the_current_version_of_each_rule_in_force(world, login):
    _rule(world.org_a, world.chair)
    text = _pack(world, login)
    assert "Toedelingsregels schaarse middelen" in text
    assert "R1. Drinkwater bij uitval (Drinkwater) — versie 2" in text
    assert "Verpleeghuizen" in text and "Scholen" not in text  # version 1 is superseded
    assert "standaardwaarde uit openbare bron" in " ".join(text.split())


def test_a_rule_out_of_force_and_an_empty_register_add_nothing(world, login):
    _rule(world.org_a, world.chair, active=False)
    text = _pack(world, login)
    assert "Toedelingsregels" not in text and "Noodsteunpunten" not in text


def test_an_exercise_pack_marks_the_sections_oefening(world, login):
    _point(world.crisis_b.organisation)
    response = login(world.outsider).get(reverse("paper_pack_crisis", args=[world.crisis_b.pk]))
    pages = pdf_text(response.content).split("\f")[:-1]
    point_pages = [page for page in pages if "Buurthuis De Brink" in page]
    assert point_pages and all("OEFENING" in page for page in point_pages)


def test_names_are_text_in_the_pdf_never_markup(world, login):
    _point(world.org_a, name="<b>Punt</b> & co")
    text = _pack(world, login)
    assert "<b>Punt</b> & co" in text
