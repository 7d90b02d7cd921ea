"""The first 72 hours in the paper pack: noodsteunpunten with addresses and key holders, the
vulnerable locations per district (clusters only as counts), and the allocation rules in force,
read back from the real PDF."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from resilience.models import (
    AllocationRule,
    AllocationRuleVersion,
    District,
    EmergencyPoint,
    GoodKind,
    GroupCount,
    ScarceGood,
    VulnerableGroup,
    VulnerableLocation,
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


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pack_lists_noodsteunpunten_with_address_and_key_holder(world, login):
    _point(world.org_a, staff="Twee vrijwilligers", water_hours=24)
    _point(world.org_a, name="Oud punt", is_active=False)
    text = _flat(_pack(world, login))
    assert "Noodsteunpunten" in text
    assert "Buurthuis De Brink" in text and "Brink 1, Aadorp" in text
    assert "Beheerder" in text and "06-12345678" in text
    assert "Openen: Buurthuis De Brink" in text and "aggregaat starten" in text
    assert "52.10000 N, 5.10000 O" in text  # coordinates
    assert "120 personen" in text  # capacity
    assert "informatie" in text.lower()  # services, by their label
    assert "72 uur / 24 uur / geen" in text  # backup power, water, communication
    assert "Twee vrijwilligers" in text  # staff
    assert "Oud punt" not in text  # out of use


def test_the_pack_lists_vulnerable_locations_per_district_and_clusters_only_as_counts(world, login):
    org = world.org_a
    centrum = District.objects.create(
        organisation=org, code="WK034401", name="Centrum", level=District.Level.WIJK
    )
    group = VulnerableGroup.objects.create(organisation=org, name="Ouderen 75+")
    GroupCount.objects.create(
        group=group, district=centrum, count=35, source="CBS", as_of=timezone.localdate()
    )
    VulnerableLocation.objects.create(
        organisation=org, name="Verpleeghuis Zonnehof", kind="zorginstelling", district=centrum,
        address="Zonnelaan 3", latitude=52.16, longitude=5.16, people=80,
        dependencies=["stroom"],
    )  # fmt: skip
    for name, people in (("Thuisdialyse Noord", 3), ("Thuisdialyse Zuid", 4)):
        VulnerableLocation.objects.create(
            organisation=org, name=name, kind="thuisdialyse", district=centrum, people=people
        )
    VulnerableLocation.objects.create(
        organisation=org, name="Basisschool Het Anker", kind="school", people=200
    )
    text = _flat(_pack(world, login))
    assert "Kwetsbare locaties per wijk" in text
    assert "Centrum (WK034401)" in text and "35 personen in kwetsbare groepen" in text
    assert "Verpleeghuis Zonnehof" in text and "Zonnelaan 3" in text
    assert "52.16000," in text and "5.16000" in text  # may wrap in its narrow column
    assert text.index("Centrum (WK034401)") < text.index("Zonder wijk")
    assert text.index("Zonder wijk") < text.index("Basisschool Het Anker")
    # Two clusters of home dialysis: their kind and numbers, never their names.
    assert ": 2 clusters, 7 personen" in text
    assert "Thuisdialyse Noord" not in text and "Thuisdialyse Zuid" not in text


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
    EmergencyPoint.objects.update(key_holder="<i>Jan</i>")
    VulnerableLocation.objects.create(
        organisation=world.org_a, name="<b>Zorg</b>", kind="school", people=3
    )
    text = _pack(world, login)
    assert "<b>Punt</b> & co" in text and "<i>Jan</i>" in text and "<b>Zorg</b>" in text


def test_each_section_starts_on_its_own_page(world, login):
    _point(world.org_a)
    VulnerableLocation.objects.create(
        organisation=world.org_a, name="Basisschool Het Anker", kind="school", people=200
    )
    _rule(world.org_a, world.chair)
    pages = _pack(world, login).split("\f")
    starts = [
        next(i for i, page in enumerate(pages) if heading in page)
        for heading in (
            "Noodsteunpunten",
            "Kwetsbare locaties per wijk",
            "Toedelingsregels schaarse middelen",
        )
    ]
    assert starts == sorted(set(starts))  # three different pages, in this order
