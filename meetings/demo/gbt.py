"""The municipality's GBT crisis: a large fire on a business park, meeting 1 already held.

The story, in minutes after the fire was reported (the crisis start):

- 4 and on: the team is called together from the roster (the first communicatieadviseur is on
  leave, her deputy takes the seat);
- 40: the ROL saves the strategic analysis; 45: hands it over to the mayor, who reads it (47)
  and shares it with the wethouder economische zaken (52), who reads it (58);
- 55: first measurement results;
- 60 to 88: meeting 1 — attendance (the head of police is absent, his tasks go to the ROL),
  BOBOC with a reflection moment, items ticked on the attention card, two decisions, three
  assignments, the next meeting fixed for minute 180;
- 135: the demo is loaded ("now").

Every clock time in the texts is computed from the crisis start, so texts and timestamps agree
whenever the demo is loaded.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from crisisroom.models import Crisis, Membership
from crisisroom.roles import Role
from formats import services as format_services
from formats.models import Analysis, AnalysisRead, AnalysisVersion
from meetings import services
from meetings.models import Meeting

from .people import POLICE
from .story import Backdate, clock, log, minutes_after

TITLE = "Grote brand bedrijventerrein De Hoven"
# How long before the demo is loaded the fire was reported.
SINCE_START = timedelta(hours=2, minutes=15)

CALLED = 4  # the first member joins; the others follow a minute apart
DRAFT_SAVED, HANDED_OVER, MAYOR_READS, SHARED, READER_READS = 40, 45, 47, 52, 58
FIRST_MEASUREMENT = 55
MEETING_1, MEETING_1_MINUTES = 60, 28
PUBLIC_UPDATE = 120  # the next public update the analysis announces
NEXT_MEETING, INPUT_DUE = 180, 165


def summary(started_at: datetime) -> str:
    return (
        f"Sinds {clock(started_at)} uur woedt een zeer grote brand in een opslaghal voor "
        "kunststoffen op bedrijventerrein De Hoven. De rookpluim trekt met een zuidwestenwind "
        "over de wijken Oosterpark en Molenakker (ca. 9.000 inwoners). Het advies ramen en deuren "
        "gesloten te houden en ventilatie uit te zetten is via NL-Alert verspreid. De A28 is ter "
        "hoogte van de afrit tijdelijk afgesloten. Twee medewerkers zijn met rookinhalatie naar "
        "het ziekenhuis gebracht. Onbekend: welke stoffen precies vrijkomen (metingen lopen) en "
        "of bluswater de Vlietsloot bereikt."
    )


def analysis_sections(started_at: datetime) -> dict[str, str]:
    """The ROL's analysis, version 1, with its clock times taken from the crisis start."""
    at = minutes_after(started_at)
    start, measured = clock(started_at), clock(at(FIRST_MEASUREMENT))
    update = clock(at(PUBLIC_UPDATE))
    return {
        "aanleiding": "Zeer grote brand in een opslaghal voor kunststoffen op bedrijventerrein "
        f"De Hoven, sinds {start} uur. Brandweer, politie, GHOR en Rijkswaterstaat zijn "
        "ingezet; GRIP 3.",
        "weten": "Weten: rookpluim trekt met zuidwestenwind over Oosterpark en Molenakker; "
        "NL-Alert verstuurd; A28 afgesloten; twee medewerkers met rookinhalatie naar het "
        "ziekenhuis.\nWeten niet: welke stoffen precies vrijkomen (metingen lopen, eerste "
        f"uitslag rond {measured}); of bluswater de Vlietsloot bereikt; hoe lang het nablussen "
        "duurt.",
        "impact": "Mensen: ca. 9.000 inwoners binnen met ramen dicht; zorgen bij ouders en "
        "mantelzorgers. Vitale processen: A28 dicht, drinkwaterinname niet bedreigd. "
        "Samenleving: onrust op sociale media over asbest. Bestuur: vragen van gemeenteraad en "
        "pers verwacht.",
        "voorwaarts": "Pech (komende 24 uur): wind draait naar noord, rook over het centrum en "
        "twee scholen; bluswater vervuilt de Vlietsloot. Geluk: brand binnen een dag meester, "
        "metingen schoon. Nu doen: besluit over scholen voorbereiden, waterschap aansluiten, "
        "meetplan voor morgen vastleggen.",
        "uitgangspunten": "1. Gezondheid van inwoners beschermen.\n2. Maatschappelijke onrust "
        "tegengaan met heldere informatie.\n3. Vervolgschade aan water en natuur voorkomen.\n"
        "4. Zo snel mogelijk terug naar normaal voor bedrijventerrein en A28.",
        "dilemmas": "Scholen morgen dicht (zekerheid voor ouders, last voor werkende ouders) of "
        "open met binnenblijfadvies (normaal leven, risico bij draaiende wind).",
        "opties": "Snel: scholen in het rookgebied morgen sluiten; extra NL-Alert-update; "
        "informatieavond. Later: gezondheidsonderzoek GGD, schaderegeling ondernemers.",
        "advies": "Besluit vandaag over de scholen in Oosterpark en Molenakker, met de "
        "windverwachting als argument; burgemeester morgen zichtbaar bij de opvang.",
        "communicatie": "Kernboodschap: 'Blijf binnen, ramen en deuren dicht, ventilatie uit. "
        f"We meten continu en informeren u om {update} uur en daarna elke twee uur.' "
        "Woordvoering: burgemeester.",
    }


def load_gbt(crisis: Crisis, users: dict[str, User]) -> None:
    """The analysis and meeting 1, once: a crisis that has a meeting keeps what it has."""
    if Meeting.objects.filter(crisis=crisis).exists():
        return
    backdate = Backdate(crisis)
    _analysis(crisis, users, backdate)
    _first_meeting(crisis, users, backdate)


def _analysis(crisis: Crisis, users: dict[str, User], backdate: Backdate) -> None:
    """The ROL hands the analysis over before the first BT; the mayor shares it."""
    rol, mayor, reader = users["rol"], users["burgemeester"], users["lezer"]
    at = minutes_after(crisis.started_at)
    analysis = format_services.analysis_get_or_start(crisis=crisis)
    analysis = format_services.analysis_save_draft(
        analysis=analysis,
        actor=rol,
        base_revision=analysis.draft_revision,
        sections=analysis_sections(crisis.started_at),
    )
    Analysis.objects.filter(pk=analysis.pk).update(draft_saved_at=at(DRAFT_SAVED))
    version = format_services.analysis_hand_over(analysis=analysis, actor=rol)
    AnalysisVersion.objects.filter(pk=version.pk).update(handed_over_at=at(HANDED_OVER))
    backdate(at(HANDED_OVER))
    format_services.analysis_record_read(version=version, user=mayor, kind=AnalysisRead.Kind.VIEW)
    backdate(at(MAYOR_READS))
    # Someone of the municipality outside the team: the business park is her portfolio.
    format_services.analysis_share(analysis=analysis, user=reader, actor=mayor)
    backdate(at(SHARED))
    format_services.analysis_record_read(version=version, user=reader, kind=AnalysisRead.Kind.VIEW)
    backdate(at(READER_READS))


def _first_meeting(crisis: Crisis, users: dict[str, User], backdate: Backdate) -> None:
    """Meeting 1, held and closed: the log a chair opens meeting 2 with."""
    chair, mayor, logger, rol = (
        users["voorzitter"],
        users["burgemeester"],
        users["logger"],
        users["rol"],
    )
    start = crisis.started_at + timedelta(minutes=MEETING_1)
    at = minutes_after(start)
    meeting = services.meeting_start(crisis=crisis, actor=chair)
    backdate(at(0), meeting)

    def phase(name: str, minute: int) -> None:
        services.meeting_set_phase(meeting=meeting, phase=name, actor=chair)
        backdate(at(minute), meeting)

    def tick(minute: int, *keys: str) -> None:
        for key in keys:
            services.meeting_tick_card(meeting=meeting, key=key, actor=chair)
        backdate(at(minute), meeting)

    # Opening: who is at the table. The head of police is in the ROT; the ROL takes his tasks.
    members = Membership.objects.filter(crisis=crisis, ended_at__isnull=True).select_related("user")
    for membership in members.order_by("pk"):
        absent = membership.role == Role.ADVISER and membership.function_title == POLICE
        services.meeting_set_attendance(
            meeting=meeting,
            actor=chair,
            user=membership.user,
            present=not absent,
            delegate=rol if absent else None,
        )
    backdate(at(1), meeting)
    tick(2, "agenda:1", "agenda:2")

    measured = clock(crisis.started_at + timedelta(minutes=FIRST_MEASUREMENT))
    log(
        crisis,
        meeting,
        logger,
        "beeld",
        "ROL: brand onder controle, nog niet meester. Verwachting: nablussen tot "
        f"morgenochtend. Eerste meetuitslag ({measured} uur): verhoogd fijnstof in Oosterpark, "
        "geen asbest aangetoond.",
        at(4),
        key="gbt/1/beeld-rol",
    )
    log(
        crisis,
        meeting,
        logger,
        "beeld",
        "Ca. 9.000 inwoners in het rookgebied; 140 telefoontjes bij de gemeente, "
        "vooral over schoolkinderen en huisdieren.",
        at(6),
    )
    tick(7, "beeldvorming:1", "beeldvorming:3")
    phase("oordeelsvorming", 8)
    log(
        crisis,
        meeting,
        logger,
        "knelpunt",
        "Onrust bij ouders: scholen in Oosterpark gaan morgen normaal open terwijl "
        "de rook mogelijk terugdraait.",
        at(10),
    )
    log(
        crisis,
        meeting,
        logger,
        "knelpunt",
        "Bluswater kan de Vlietsloot bereiken; waterschap nog niet aangesloten.",
        at(11),
    )
    tick(12, "agenda:3", "oordeelsvorming:2")
    services.meeting_mark_reflection(
        meeting=meeting,
        actor=chair,
        note="Gaan we niet te snel? Pechscenario nog eens langs: de wind draait vannacht naar "
        "het noorden. Conclusie: het besluit over de scholen niet uitstellen.",
    )
    backdate(at(13), meeting)
    tick(14, "oordeelsvorming:4")
    phase("besluitvorming", 15)
    log(
        crisis,
        meeting,
        logger,
        "besluit",
        "Scholen en kinderopvang in Oosterpark en Molenakker blijven morgen dicht.",
        at(17),
        reasoning="Windverwachting onzeker; gezondheid van kinderen gaat voor "
        "maatschappelijke last. Alternatief (open met binnenblijfadvies) afgewogen en "
        "verworpen: niet uitlegbaar aan ouders.",
        decided_by=mayor,
    )
    log(
        crisis,
        meeting,
        logger,
        "besluit",
        "Burgemeester bezoekt morgen om 10:00 de opvang in sporthal De Wiel.",
        at(18),
        reasoning="Burgervaderrol: zichtbaar betrokken bij getroffen bewoners.",
        decided_by=mayor,
    )
    tick(19, "agenda:4", "besluitvorming:1", "roles:1", "roles:2")
    phase("opdracht", 20)
    due = minutes_after(crisis.started_at)
    log(
        crisis,
        meeting,
        logger,
        "opdracht",
        "Ouders en scholen informeren over de sluiting (brief + website + NL-Alert update).",
        at(21),
        owner_function="communicatieadviseur",
        deadline=due(INPUT_DUE),
    )
    log(
        crisis,
        meeting,
        logger,
        "opdracht",
        "Waterschap aansluiten bij het GBT en monitoring Vlietsloot regelen.",
        at(22),
        owner=rol,
        deadline=due(NEXT_MEETING + 30),
    )
    log(
        crisis,
        meeting,
        logger,
        "opdracht",
        "Toezeggingen aan getroffen ondernemers De Hoven vastleggen.",
        at(23),
        owner=users["adviseur"],
        deadline=due(NEXT_MEETING + 120),
    )
    tick(24, "agenda:5", "opdracht:1", "opdracht:2")
    services.meeting_plan_next(
        meeting=meeting,
        actor=chair,
        next_at=due(NEXT_MEETING),
        minutes=30,
        input_due_at=due(INPUT_DUE),
    )
    backdate(at(25), meeting)
    tick(26, "agenda:7")
    services.meeting_close(meeting=meeting, actor=chair)
    backdate(at(MEETING_1_MINUTES), meeting)
    # The meeting's own times: started, the last phase (Opdracht) began, closed.
    Meeting.objects.filter(pk=meeting.pk).update(
        started_at=at(0), phase_started_at=at(20), ended_at=at(MEETING_1_MINUTES)
    )
