"""The first 72 hours of the demo municipality: Gemeente Zuiderveen's districts, its vulnerable
locations and groups (counts only), five noodsteunpunten, drinking water and generators with
the allocation rules the college decided, and, in the GBT crisis of the fire at De Hoven, the
affected districts, an open noodsteunpunt, a request and an allocation decision that cites its
rule.

All figures are fictional and say so in their source. The districts carry CBS-style codes of a
municipality number that does not exist (9999), so they can never be mistaken for real ones.

Idempotent: each part is looked up by its name or code and made only if missing.
"""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from crisisroom.models import AuditEvent, Crisis, Organisation, Partner

from . import services
from .models import (
    AllocationDecision,
    AllocationRule,
    AllocationRuleVersion,
    District,
    EmergencyPoint,
    GoodKind,
    GroupCount,
    LocationKind,
    PointKind,
    PointService,
    PointStatus,
    ScarceGood,
    Stock,
    VulnerableGroup,
    VulnerableLocation,
)

# -- the districts: code, name, (south, west, north, east) --------------------------------------

CENTRUM, OOSTERPARK, MOLENAKKER, DE_HOVEN, BUITENGEBIED = (
    "WK999901",
    "WK999902",
    "WK999903",
    "WK999904",
    "WK999905",
)
DISTRICTS: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    (CENTRUM, "Centrum", (52.2550, 6.0000, 52.2650, 6.0200)),
    (OOSTERPARK, "Oosterpark", (52.2550, 6.0200, 52.2700, 6.0400)),
    (MOLENAKKER, "Molenakker", (52.2700, 6.0150, 52.2820, 6.0400)),
    (DE_HOVEN, "Bedrijventerrein De Hoven", (52.2430, 5.9850, 52.2550, 6.0100)),
    (BUITENGEBIED, "Buitengebied", (52.2650, 5.9750, 52.2820, 6.0150)),
)
# The smoke of the fire at De Hoven drifts over these (the GBT demo's analysis).
AFFECTED = (OOSTERPARK, MOLENAKKER)

DEMO_SOURCE = "Demo: fictieve aantallen"
# name, description, counts per district code
GROUPS: tuple[tuple[str, str, dict[str, int]], ...] = (
    (
        "Zelfstandig wonende 75-plussers",
        "Inwoners van 75 jaar en ouder die zelfstandig wonen: door hun leeftijd minder goed in "
        "staat zich 72 uur zelf te redden.",
        {CENTRUM: 410, OOSTERPARK: 630, MOLENAKKER: 280, DE_HOVEN: 0, BUITENGEBIED: 150},
    ),
    (
        "Cliënten wijkverpleging en thuiszorg",
        "Inwoners met een kwetsbare gezondheid die thuis zorg krijgen; aantallen van de "
        "zorgaanbieder, geaggregeerd per wijk.",
        {CENTRUM: 120, OOSTERPARK: 210, MOLENAKKER: 95, DE_HOVEN: 0, BUITENGEBIED: 40},
    ),
)

ZUIDERVEEN_CARE = "Zorggroep Zuiderveen"
# name, kind, address, (lat, lon) or None, district, people, dependencies, partner, notes
LOCATIONS = (
    (
        "Zorgcentrum De Linde",
        LocationKind.ZORGINSTELLING,
        "Lindelaan 4",
        (52.2752, 6.0281),
        MOLENAKKER,
        96,
        ["stroom", "verwarming", "zorg"],
        ZUIDERVEEN_CARE,
        "Twee liften en luchtbedden op stroom; eigen noodstroom ontbreekt.",
    ),
    (
        "Verpleeghuis Vlietstaete",
        LocationKind.ZORGINSTELLING,
        "Vlietkade 12",
        (52.2601, 6.0093),
        CENTRUM,
        64,
        ["stroom", "water", "zorg"],
        ZUIDERVEEN_CARE,
        "Noodstroom voor 24 uur.",
    ),
    (
        "Basisschool De Molenwiek",
        LocationKind.SCHOOL,
        "Molenweg 31",
        (52.2738, 6.0215),
        MOLENAKKER,
        310,
        ["verwarming"],
        None,
        "",
    ),
    (
        "Kinderdagverblijf Oosterpark",
        LocationKind.KINDEROPVANG,
        "Parkstraat 8",
        (52.2628, 6.0301),
        OOSTERPARK,
        48,
        ["verwarming"],
        None,
        "",
    ),
    (
        "Thuisdialyse Oosterpark",
        LocationKind.THUISDIALYSE,
        "",
        None,
        OOSTERPARK,
        3,
        ["stroom", "water", "zorg"],
        ZUIDERVEEN_CARE,
        "Geteld, geen adressen: de zorggroep bereikt deze mensen.",
    ),
    (
        "Zuurstof thuis Molenakker",
        LocationKind.ZUURSTOF,
        "",
        None,
        MOLENAKKER,
        9,
        ["stroom", "zorg"],
        ZUIDERVEEN_CARE,
        "Geteld, geen adressen: de zorggroep bereikt deze mensen.",
    ),
    (
        "Zuurstof thuis Centrum",
        LocationKind.ZUURSTOF,
        "",
        None,
        CENTRUM,
        6,
        ["stroom", "zorg"],
        ZUIDERVEEN_CARE,
        "Geteld, geen adressen: de zorggroep bereikt deze mensen.",
    ),
)

ALL_SERVICES = list(PointService.values)
BUURTHUIS = "Buurthuis Oosterpark"
# name, kind, address, (lat, lon), district, capacity, services, (power, water, comms hours),
# key holder, staff, opening procedure
POINTS = (
    (
        BUURTHUIS,
        PointKind.GEMEENSCHAPSHUIS,
        "Parkstraat 2",
        (52.2611, 6.0322),
        OOSTERPARK,
        150,
        ALL_SERVICES,
        (72, 48, 72),
        "Beheerder buurthuis, 06-11122233",
        "Vier vrijwilligers van de Vrijwilligerscentrale; een EHBO'er.",
        "Sleutel bij de beheerder; aggregaat starten volgens de kaart in de meterkast; "
        "noodradio aan; de gemeente melden dat het punt open is.",
    ),
    (
        "Dorpshuis Molenakker",
        PointKind.GEMEENSCHAPSHUIS,
        "Molenplein 1",
        (52.2765, 6.0242),
        MOLENAKKER,
        120,
        ["informatie", "ehbo", "water", "ontmoeting"],
        (None, 24, None),
        "Voorzitter dorpshuisvereniging, 06-22233344",
        "Vrijwilligers van de dorpshuisvereniging.",
        "Sleutel bij de voorzitter; geen noodstroom: aggregaat nodig bij stroomuitval.",
    ),
    (
        "Brandweerkazerne Zuiderveen",
        PointKind.BRANDWEERKAZERNE,
        "Kazerneweg 1",
        (52.2585, 6.0152),
        CENTRUM,
        60,
        ["informatie", "ehbo", "opladen", "ontmoeting"],
        (168, 72, 168),
        "Ploegchef van dienst, via de meldkamer",
        "Vrijwillige brandweer; in een brand zelf ingezet, dan alleen informatie.",
        "Alleen openen in overleg met de ploegchef.",
    ),
    (
        "Gemeentehuis Zuiderveen",
        PointKind.GEMEENTEHUIS,
        "Raadhuisplein 1",
        (52.2603, 6.0048),
        CENTRUM,
        200,
        ["informatie", "water", "opladen", "warmte", "ontmoeting"],
        (48, 48, 72),
        "Facilitair coördinator, 06-33344455",
        "Baliemedewerkers burgerzaken en vrijwilligers.",
        "Hoofdingang open; bebording NOODSTEUNPUNT; lijst met telefoonnummers bij de balie.",
    ),
    (
        "Sporthal 't Veld",
        PointKind.SPORTHAL,
        "Veldweg 20",
        (52.2741, 5.9951),
        BUITENGEBIED,
        300,
        ["informatie", "water", "warmte", "ontmoeting"],
        (None, None, None),
        "Beheerder sporthal, 06-44455566",
        "Vrijwilligers van de sportvereniging.",
        "Sleutel bij de beheerder; verwarming handmatig aan.",
    ),
)

DRINKING_WATER, GENERATORS = "Drinkwater", "Aggregaten"
# The shipped default of resilience.services.scarce (the Drinkwaterbesluit's minimum), as the
# college kept it.
DRINKING_WATER_NORM = services.DRINKING_WATER_NORM


def _ring(south: float, west: float, north: float, east: float) -> dict:
    """A district's outline as a GeoJSON polygon (longitude first, ring closed)."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def load_registers(*, organisation: Organisation) -> dict[str, District]:
    """Districts, groups with their counts, vulnerable locations and noodsteunpunten."""
    org = organisation
    districts = {d.code: d for d in District.objects.filter(organisation=org)}
    for code, name, box in DISTRICTS:
        if code not in districts:
            districts[code] = District.objects.create(
                organisation=org,
                code=code,
                name=name,
                level=District.Level.WIJK,
                outline=_ring(*box),
            )
    as_of = timezone.localdate() - timedelta(days=40)
    for name, description, counts in GROUPS:
        group, created = VulnerableGroup.objects.get_or_create(
            organisation=org, name=name, defaults={"description": description}
        )
        if created:
            GroupCount.objects.bulk_create(
                GroupCount(
                    group=group,
                    district=districts[code],
                    count=count,
                    source=DEMO_SOURCE,
                    as_of=as_of,
                )
                for code, count in counts.items()
            )
    partners = {p.name: p for p in Partner.objects.filter(organisation=org)}
    existing = set(
        VulnerableLocation.objects.filter(organisation=org).values_list("name", flat=True)
    )
    for name, location_kind, address, where, code, people, needs, partner, notes in LOCATIONS:
        if name in existing:
            continue
        VulnerableLocation.objects.create(
            organisation=org,
            name=name,
            kind=location_kind,
            address=address,
            latitude=where[0] if where else None,
            longitude=where[1] if where else None,
            district=districts[code],
            people=people,
            dependencies=needs,
            partner=partners.get(partner) if partner else None,
            notes=notes,
        )
    existing = set(EmergencyPoint.objects.filter(organisation=org).values_list("name", flat=True))
    for (
        name,
        kind,
        address,
        (lat, lon),
        code,
        capacity,
        offered,
        (power, water, comms),
        key_holder,
        staff,
        opening,
    ) in POINTS:
        if name in existing:
            continue
        EmergencyPoint.objects.create(
            organisation=org,
            name=name,
            kind=kind,
            address=address,
            latitude=lat,
            longitude=lon,
            district=districts[code],
            capacity=capacity,
            services=offered,
            power_hours=power,
            water_hours=water,
            comms_hours=comms,
            key_holder=key_holder,
            staff=staff,
            opening_procedure=opening,
        )
    return districts


def load_goods(*, organisation: Organisation) -> dict[str, ScarceGood]:
    org, today = organisation, timezone.localdate()
    goods = {}
    for name, kind, unit in (
        (DRINKING_WATER, GoodKind.DRINKWATER, "liter"),
        (GENERATORS, GoodKind.AGGREGATEN, "stuks"),
    ):
        good, created = ScarceGood.objects.get_or_create(
            organisation=org, name=name, defaults={"kind": kind, "unit": unit}
        )
        goods[name] = good
        if not created:
            continue
        if kind == GoodKind.DRINKWATER:
            point = EmergencyPoint.objects.filter(organisation=org, name=BUURTHUIS).first()
            Stock.objects.create(
                good=good,
                place="Gemeentewerf (noodwatervoorraad)",
                quantity=Decimal(12000),
                as_of=today - timedelta(days=10),
                source="Voorraadlijst gemeentewerf (demo)",
            )
            Stock.objects.create(
                good=good,
                place=BUURTHUIS,
                point=point,
                quantity=Decimal(600),
                as_of=today - timedelta(days=10),
                source="Voorraadlijst buurthuis (demo)",
            )
        else:
            Stock.objects.create(
                good=good,
                place="Gemeentewerf",
                quantity=Decimal(3),
                as_of=today - timedelta(days=10),
                source="Materieellijst gemeentewerf (demo)",
            )
    return goods


# title, good, version content
RULES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "Drinkwater bij uitval van de drinkwatervoorziening",
        DRINKING_WATER,
        {
            "priority_order": "Zorginstellingen en verpleeghuizen\n"
            "Thuisdialyse, via de zorggroep\n"
            "Kinderopvang en scholen\n"
            "Inwoners via de noodsteunpunten",
            "norm_amount": DRINKING_WATER_NORM.amount,
            "norm_unit": DRINKING_WATER_NORM.unit,
            "norm_source": DRINKING_WATER_NORM.source,
            "norm_is_default": True,
            "conditions": "Uitgifte alleen via de noodsteunpunten en de zorggroep; het "
            "waterbedrijf levert aan de gemeentewerf.",
            "reasons": "Wie zich het minst zelf kan redden krijgt eerst; de norm volgt het "
            "wettelijke minimum voor nooddrinkwater tot het college een eigen norm vaststelt.",
        },
    ),
    (
        "Aggregaten bij langdurige stroomuitval",
        GENERATORS,
        {
            "priority_order": "Zorginstellingen waar bewoners van stroom afhankelijk zijn\n"
            "Clusters thuisdialyse en zuurstof, via de thuiszorg\n"
            "Noodsteunpunten zonder eigen noodstroom\n"
            "Kritieke gemeentelijke processen",
            "norm_amount": None,
            "norm_unit": "",
            "norm_source": "",
            "norm_is_default": False,
            "conditions": "Een aggregaat gaat alleen uit met brandstof voor 24 uur en na "
            "afstemming met de netbeheerder over de aansluiting.",
            "reasons": "Zorg die van stroom afhangt gaat voor; noodsteunpunten hebben vaak al "
            "eigen noodstroom.",
        },
    ),
)


def load_rules(
    *, organisation: Organisation, goods: dict[str, ScarceGood], adviser: User, decided: datetime
) -> dict[str, AllocationRule]:
    """The two rules, version 1, as the college decided them on ``decided`` (AOV records)."""
    org = organisation
    rules = {r.title: r for r in AllocationRule.objects.filter(organisation=org)}
    for number, (title, good, content) in enumerate(RULES, start=1):
        if title in rules:
            continue
        rule = AllocationRule.objects.create(
            organisation=org, number=number, good=goods[good], title=title
        )
        AllocationRuleVersion.objects.create(
            rule=rule,
            version=1,
            decided_by="college van B en W",
            decided_on=timezone.localdate(decided),
            recorded_by=adviser,
            recorded_at=decided,
            **content,
        )
        AuditEvent.objects.create(
            action=AuditEvent.Action.RULE_DECIDED,
            organisation=org,
            actor=adviser,
            at=decided,
            detail={"rule": rule.number, "version": 1, "title": title},
        )
        rules[title] = rule
    return rules


def load_crisis(
    *,
    crisis: Crisis,
    districts: dict[str, District],
    goods: dict[str, ScarceGood],
    rules: dict[str, AllocationRule],
    users: dict[str, User],
) -> None:
    """The fire at De Hoven in its first hours: the smoke's districts marked, the buurthuis
    open, the care group's request for a generator decided by the rule, a request for water
    still open. Once per crisis."""
    if AllocationDecision.objects.filter(crisis=crisis).exists():
        return
    chair, logger, mayor = users["voorzitter"], users["logger"], users["burgemeester"]
    services.affected_area_change(
        crisis=crisis, actor=chair, add=[districts[code] for code in AFFECTED]
    )
    point = EmergencyPoint.objects.get(organisation=crisis.organisation, name=BUURTHUIS)
    services.point_status_set(
        point=point,
        status=PointStatus.OPEN,
        actor=logger,
        crisis=crisis,
        note="Open voor inwoners met vragen over de rook.",
    )
    care = Partner.objects.filter(organisation=crisis.organisation, name=ZUIDERVEEN_CARE).first()
    generator = services.allocation_request_record(
        crisis=crisis,
        actor=logger,
        good=goods[GENERATORS],
        quantity=Decimal(1),
        partner=care,
        requester="" if care else ZUIDERVEEN_CARE,
        description="Zorgcentrum De Linde (Molenakker) zonder stroom sinds de brand het "
        "middenspanningsstation bij De Hoven raakte: liften en luchtbedden vallen uit.",
        client_token=uuid.uuid4(),
        needed_by=timezone.now() + timedelta(hours=2),
    )
    services.allocation_request_record(
        crisis=crisis,
        actor=logger,
        good=goods[DRINKING_WATER],
        quantity=Decimal(400),
        point=point,
        description="Flessen water voor inwoners die vanwege de rook in het buurthuis opgevangen "
        "worden.",
        client_token=uuid.uuid4(),
        needed_by=timezone.now() + timedelta(hours=4),
    )
    rule = rules["Aggregaten bij langdurige stroomuitval"]
    services.allocation_decide(
        crisis=crisis,
        actor=logger,
        good=goods[GENERATORS],
        recipient="Zorgcentrum De Linde",
        quantity=Decimal(1),
        requests=[generator],
        rule_version=rule.versions.order_by("-version").first(),
        follows_rule=True,
        reasons="Bewoners zijn voor liften en luchtbedden van stroom afhankelijk; de "
        "netbeheerder verwacht geen herstel binnen twaalf uur.",
        decided_by=mayor,
        client_token=uuid.uuid4(),
    )


def load_first72(
    *, organisation: Organisation, crisis: Crisis | None, users: dict[str, User], decided: datetime
) -> None:
    """Everything of the first 72 hours for the demo municipality (and its GBT crisis)."""
    districts = load_registers(organisation=organisation)
    goods = load_goods(organisation=organisation)
    rules = load_rules(
        organisation=organisation, goods=goods, adviser=users["aov"], decided=decided
    )
    if crisis is not None and crisis.is_active:
        load_crisis(crisis=crisis, districts=districts, goods=goods, rules=rules, users=users)
