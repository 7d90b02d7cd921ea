"""The demo's message desk and stakeholders: the CMT exercise's berichtenmanager at work.

Idempotent like the rest of the demo: fixed tokens, and nothing is added twice.
"""

import uuid
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from crisisroom.models import Crisis, CrisisStart, Organisation, Partner
from crisisroom.services import crisis_start_record
from meetings import services
from meetings.demo.story import clock
from meetings.models import Message

# name, kind, contact route, default owner (username)
PARTNERS = [
    (
        "Inspectie Leefomgeving en Transport (ILT)",
        Partner.Kind.TOEZICHTHOUDER,
        "Meldpunt drinkwater, 24/7",
        "cmt-voorzitter",
    ),
    (
        "Veiligheidsregio Rivierenland",
        Partner.Kind.VEILIGHEIDSREGIO,
        "Meldkamer, via de officier van dienst",
        "cmt-voorzitter",
    ),
    ("Gemeente Zuiderveen", Partner.Kind.OVERHEID, "Crisiscoördinator gemeente", "cmt-voorzitter"),
    ("Regionale pers", Partner.Kind.MEDIA, "Persvoorlichting, 06-nummer", "berichtenmanager"),
    (
        "Klanten (sociale media en klantenservice)",
        Partner.Kind.PUBLIEK,
        "Website, X, Facebook",
        "berichtenmanager",
    ),
]


def _token(crisis: Crisis, text: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"crisisroom-demo/{crisis.pk}/desk/{text}")


def load_partners(organisation: Organisation, users: dict[str, User]) -> dict[str, Partner]:
    partners = {}
    for name, kind, route, owner in PARTNERS:
        partners[name], _created = Partner.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"kind": kind, "contact_route": route, "default_owner": users[owner]},
        )
    return partners


def load_desk(crisis: Crisis, users: dict[str, User], partners: dict[str, Partner]) -> None:
    """A handful of realistic messages, some handled, some waiting; stakeholders with owners."""
    if Message.objects.filter(crisis=crisis).exists():
        return
    desk, chair = users["berichtenmanager"], users["cmt-voorzitter"]
    now = timezone.now()

    def message(minutes_ago: int, **fields) -> Message:
        return services.message_record(
            crisis=crisis,
            actor=desk,
            at=now - timedelta(minutes=minutes_ago),
            client_token=_token(crisis, fields["summary"]),
            **fields,
        )

    reporter = message(
        34,
        direction="in",
        channel="pers",
        counterpart="Omroep Rivierenland, verslaggever",
        summary="OEFENING — Vraagt of het kraanwater nog veilig is en wil een reactie voor "
        f"{clock(now + timedelta(hours=1))}",
        priority="hoog",
        routed_to=desk,
        partner=partners["Regionale pers"],
    )
    # The regulator's request waits for the chair: it stays open on purpose.
    message(
        28,
        direction="in",
        channel="e-mail",
        counterpart="ILT, meldpunt drinkwater",
        summary="OEFENING — Verzoekt om een eerste rapportage over de storing vóór "
        f"{clock(now + timedelta(hours=3))}",
        priority="hoog",
        routed_to=chair,
        partner=partners["Inspectie Leefomgeving en Transport (ILT)"],
    )
    region = message(
        22,
        direction="in",
        channel="ketenpartner",
        counterpart="Veiligheidsregio, officier van dienst",
        summary="OEFENING — Vraagt of er een liaison naar het ROT kan komen",
        partner=partners["Veiligheidsregio Rivierenland"],
    )
    message(
        15,
        direction="in",
        channel="sociale media",
        counterpart="Klanten op X en Facebook",
        summary="OEFENING — Tientallen berichten: 'water smaakt raar', 'klantenservice "
        "onbereikbaar'",
        priority="hoog",
        partner=partners["Klanten (sociale media en klantenservice)"],
    )
    message(
        6,
        direction="uit",
        channel="sociale media",
        counterpart="Klanten",
        summary="OEFENING — Er is geen aanwijzing dat het kraanwater onveilig is; we houden "
        "u op de hoogte via onze website",
        needs_approval=True,
        partner=partners["Klanten (sociale media en klantenservice)"],
    )
    services.message_handle(
        message=region,
        actor=chair,
        outcome=services.HandleOutcome.HANDLED,
        note="OEFENING — Hoofd productie gaat als liaison naar het ROT",
    )
    services.message_to_log(
        message=reporter,
        actor=desk,
        kind="knelpunt",
        client_token=_token(crisis, "log:reporter"),
    )
    for partner in partners.values():
        stakeholder = services.stakeholder_add(crisis=crisis, partner=partner, actor=chair)
        if partner.kind == Partner.Kind.VEILIGHEIDSREGIO:
            services.inform_record(
                stakeholder=stakeholder,
                actor=chair,
                channel="telefoon",
                core_message="OEFENING — Ransomware op klant- en meetsystemen; productie op "
                "handbediening; geen aanwijzing voor gevaar voor het drinkwater.",
                at=now - timedelta(minutes=20),
                client_token=_token(crisis, f"inform:{partner.pk}"),
            )


def load_start(crisis: Crisis, users: dict[str, User]) -> None:
    """The CMT chair's start decision with the crisis coordinator (task card, tasks 1 and 7)."""
    if CrisisStart.objects.filter(crisis=crisis).exists():
        return
    start = crisis_start_record(
        crisis=crisis,
        actor=users["cmt-voorzitter"],
        scope=CrisisStart.Scope.CENTRAL,
        response=CrisisStart.Response.CONVENE,
        coordinator="OEFENING — crisiscoördinator van dienst",
        meeting_cycle="Elk uur, 30 minuten; inbreng uiterlijk 10 minuten vooraf",
        agreements="OEFENING — Telefoons op stil tijdens het overleg. De berichtenmanager "
        "brengt berichten tussen de overleggen naar de voorzitter; de logger leest besluiten "
        "terug voor de Opdracht-fase.",
    )
    # Decided in the first minutes of the crisis, before the team met.
    CrisisStart.objects.filter(pk=start.pk).update(
        decided_at=crisis.started_at + timedelta(minutes=3)
    )
