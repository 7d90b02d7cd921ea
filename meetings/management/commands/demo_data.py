"""Load the demo: a municipality in a real-looking GBT crisis and a company in a CMT exercise.

Idempotent: running it again leaves the same data, it never duplicates. Demo users exist only
through this command; their password is printed, never used anywhere else. It lives in the
meetings app because it fills every part of the product (crisisroom imports no other app).
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from crisisroom import services
from crisisroom.models import (
    AuditEvent,
    Crisis,
    Membership,
    Organisation,
    OrganisationMember,
    RosterEntry,
)
from crisisroom.roles import Role, TeamKind
from formats import services as format_services
from formats.models import Analysis, AnalysisVersion
from meetings import services as meeting_services
from meetings.chain import entry_hash, genesis
from meetings.demo.desk import load_desk, load_partners, load_start
from meetings.models import Entry, Meeting, MeetingEvent

DEMO_PASSWORD = "crisisroom"  # noqa: S105 - the documented demo password  # nosec B105

# username, first name, last name, can log in
PEOPLE = [
    ("voorzitter", "Marieke", "de Vries", True),
    ("burgemeester", "Jan Willem", "Bosman", True),
    ("rol", "Ahmed", "El Amrani", True),
    ("logger", "Sanne", "Jansen", True),
    ("adviseur", "Pieter", "van Dijk", True),
    ("cmt-voorzitter", "Linda", "Hoekstra", True),
    ("cmt-logger", "Tom", "Verbeek", True),
    ("berichtenmanager", "Fatima", "Yilmaz", True),
    ("buitenstaander", "Erik", "de Boer", True),
    ("beheerder", "Henk", "Mulder", True),
    # Deputies on the roster: known by name, not demo logins.
    ("k.smit", "Karin", "Smit", False),
    ("j.peters", "Joost", "Peters", False),
]

MUNICIPALITY = "Gemeente Zuiderveen"
COMPANY = "Waterbedrijf Rivierenland N.V."

# organisation, username, function, administrator
ORGANISATION_MEMBERS = [
    (MUNICIPALITY, "voorzitter", "Adviseur crisisbeheersing (technisch voorzitter)", False),
    (MUNICIPALITY, "burgemeester", "Burgemeester", False),
    (MUNICIPALITY, "rol", "Regionaal operationeel leider, Veiligheidsregio", False),
    (MUNICIPALITY, "logger", "Verslaglegger", False),
    (MUNICIPALITY, "adviseur", "Gemeentesecretaris", False),
    (MUNICIPALITY, "k.smit", "Loco-burgemeester", False),
    (MUNICIPALITY, "j.peters", "Verslaglegger", False),
    (MUNICIPALITY, "beheerder", "Functioneel beheerder", True),
    (COMPANY, "cmt-voorzitter", "Directeur operatie", False),
    (COMPANY, "cmt-logger", "Logger", False),
    (COMPANY, "berichtenmanager", "Berichtenmanager", False),
    (COMPANY, "buitenstaander", "Externe IT-specialist", False),
    (COMPANY, "beheerder", "Functioneel beheerder", True),
]

# organisation, role, function, username, rank
ROSTER = [
    (MUNICIPALITY, Role.TECHNICAL_CHAIR, "", "voorzitter", 1),
    (MUNICIPALITY, Role.MAYOR, "", "burgemeester", 1),
    (MUNICIPALITY, Role.MAYOR, "", "k.smit", 2),
    (MUNICIPALITY, Role.ROL, "", "rol", 1),
    (MUNICIPALITY, Role.LOGGER, "", "logger", 1),
    (MUNICIPALITY, Role.LOGGER, "", "j.peters", 2),
    (MUNICIPALITY, Role.ADVISER, "Gemeentesecretaris", "adviseur", 1),
    (COMPANY, Role.CMT_CHAIR, "", "cmt-voorzitter", 1),
    (COMPANY, Role.LOGGER, "", "cmt-logger", 1),
    (COMPANY, Role.MESSAGE_MANAGER, "", "berichtenmanager", 1),
    (COMPANY, Role.ADVISER, "Externe IT-specialist", "buitenstaander", 1),
]

GBT_SUMMARY = (
    "Sinds 06:40 uur woedt een zeer grote brand in een opslaghal voor kunststoffen op "
    "bedrijventerrein De Hoven. De rookpluim trekt met een zuidwestenwind over de wijken "
    "Oosterpark en Molenakker (ca. 9.000 inwoners). Het advies ramen en deuren gesloten te houden "
    "en ventilatie uit te zetten is via NL-Alert verspreid. De A28 is ter hoogte van de afrit "
    "tijdelijk afgesloten. Twee medewerkers zijn met rookinhalatie naar het ziekenhuis gebracht. "
    "Onbekend: welke stoffen precies vrijkomen (metingen lopen) en of bluswater de "
    "Vlietsloot bereikt."
)
CMT_SUMMARY = (
    "OEFENING. Scenario: om 07:15 uur meldt de servicedesk dat klantportaal en meetsystemen "
    "versleuteld zijn; een losgeldbericht eist betaling binnen 48 uur. De drinkwaterlevering "
    "draait op handbediening van de productielocaties. Klanten bellen over facturen en er "
    "gaan geruchten rond op sociale media over verontreinigd kraanwater."
)


ANALYSIS_V1 = {
    "aanleiding": "Zeer grote brand in een opslaghal voor kunststoffen op bedrijventerrein De "
    "Hoven, sinds 06:40 uur. Brandweer, politie, GHOR en Rijkswaterstaat zijn ingezet; GRIP 3.",
    "weten": "Weten: rookpluim trekt met zuidwestenwind over Oosterpark en Molenakker; NL-Alert "
    "verstuurd; A28 afgesloten; twee medewerkers met rookinhalatie naar het ziekenhuis.\n"
    "Weten niet: welke stoffen precies vrijkomen (metingen lopen, eerste uitslag 11:00); of "
    "bluswater de Vlietsloot bereikt; hoe lang het nablussen duurt.",
    "impact": "Mensen: ca. 9.000 inwoners binnen met ramen dicht; zorgen bij ouders en "
    "mantelzorgers. Vitale processen: A28 dicht, drinkwaterinname niet bedreigd. Samenleving: "
    "onrust op sociale media over asbest. Bestuur: vragen van gemeenteraad en pers verwacht.",
    "voorwaarts": "Pech (komende 24 uur): wind draait naar noord, rook over het centrum en twee "
    "scholen; bluswater vervuilt de Vlietsloot. Geluk: brand vanmiddag meester, metingen "
    "schoon. Nu doen: besluit over scholen voorbereiden, waterschap aansluiten, "
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
    "communicatie": "Kernboodschap: 'Blijf binnen, ramen en deuren dicht, ventilatie uit. We "
    "meten continu en informeren u om 12:00 en 17:00.' Woordvoering: burgemeester.",
}


class Command(BaseCommand):
    help = "Load the Crisisroom demo (idempotent) and print the demo users."

    def _organisation(self, name: str, kind: str) -> Organisation:
        """The demo organisation, created once through the service (with its defaults)."""
        existing = Organisation.objects.filter(name=name).first()
        return existing or services.organisation_create(name=name, kind=kind, actor=None)

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        users = {row[0]: self._person(*row) for row in PEOPLE}
        orgs = {
            MUNICIPALITY: self._organisation(MUNICIPALITY, Organisation.Kind.MUNICIPALITY),
            COMPANY: self._organisation(COMPANY, Organisation.Kind.COMPANY),
        }
        for org_name, username, function, is_admin in ORGANISATION_MEMBERS:
            org, user = orgs[org_name], users[username]
            current = OrganisationMember.objects.filter(organisation=org, user=user).first()
            if current and (current.function_title, current.is_administrator) == (
                function,
                is_admin,
            ):
                continue
            services.organisation_member_set(
                organisation=org,
                user=user,
                function_title=function,
                is_administrator=is_admin,
                actor=None,
            )
        for org_name, role, function, username, rank in ROSTER:
            RosterEntry.objects.update_or_create(
                organisation=orgs[org_name],
                role=role,
                function_title=function,
                rank=rank,
                defaults={"user": users[username]},
            )
        now = timezone.now()
        gbt = self._crisis(
            organisation=orgs[MUNICIPALITY],
            title="Grote brand bedrijventerrein De Hoven",
            team_kind=TeamKind.GBT,
            scaling_label="GRIP 3",
            summary=GBT_SUMMARY,
            is_exercise=False,
            started_at=now - timedelta(hours=2, minutes=35),
        )
        cmt = self._crisis(
            organisation=orgs[COMPANY],
            title="Ransomware-aanval op klant- en meetsystemen",
            team_kind=TeamKind.CMT,
            scaling_label="Crisisniveau 2",
            summary=CMT_SUMMARY,
            is_exercise=True,
            started_at=now - timedelta(hours=1, minutes=10),
        )
        if not Meeting.objects.filter(crisis=gbt).exists():
            self._gbt_analysis(gbt, users)
            self._gbt_first_meeting(gbt, users)
        if not Meeting.objects.filter(crisis=cmt).exists():
            self._cmt_running_meeting(cmt, users)
        load_start(cmt, users)
        load_desk(cmt, users, load_partners(orgs[COMPANY], users))
        self._print_users()

    def _log(self, crisis, meeting, actor, kind, text, at, **fields) -> Entry:
        # A fixed token per line keeps the demo idempotent even if interrupted half-way.
        token = uuid.uuid5(uuid.NAMESPACE_URL, f"crisisroom-demo/{crisis.pk}/{text}")
        entry = meeting_services.entry_record(
            crisis=crisis,
            meeting=meeting,
            actor=actor,
            kind=kind,
            text=text,
            client_token=token,
            **fields,
        )
        # The demo's meeting happened "earlier": its lines get their time in the story, and so
        # their chain hash is recomputed with it, or the demo's own log would not verify.
        entry.recorded_at = at
        previous = Entry.objects.filter(crisis=crisis, seq=entry.seq - 1).values_list(
            "chain_hash", flat=True
        )
        entry.chain_hash = entry_hash(entry, previous.first() or genesis(crisis.pk))
        Entry.objects.filter(pk=entry.pk).update(recorded_at=at, chain_hash=entry.chain_hash)
        return entry

    def _gbt_analysis(self, crisis: Crisis, users: dict) -> None:
        """The ROL's strategic analysis, handed over before the first BT."""
        rol = users["rol"]
        analysis = format_services.analysis_get_or_start(crisis=crisis)
        analysis = format_services.analysis_save_draft(
            analysis=analysis,
            actor=rol,
            base_revision=analysis.draft_revision,
            sections=ANALYSIS_V1,
        )
        version = format_services.analysis_hand_over(analysis=analysis, actor=rol)
        handed_over = crisis.started_at + timedelta(minutes=18)
        AnalysisVersion.objects.filter(pk=version.pk).update(handed_over_at=handed_over)
        Analysis.objects.filter(pk=analysis.pk).update(
            draft_saved_at=handed_over - timedelta(minutes=1)
        )

    def _gbt_first_meeting(self, crisis: Crisis, users: dict) -> None:
        """Meeting 1, held and closed: the log a chair opens meeting 2 with."""
        chair, mayor, logger = users["voorzitter"], users["burgemeester"], users["logger"]
        start = crisis.started_at + timedelta(minutes=25)
        meeting = meeting_services.meeting_start(crisis=crisis, actor=chair)
        at = lambda minutes: start + timedelta(minutes=minutes)  # noqa: E731
        self._log(
            crisis,
            meeting,
            logger,
            "beeld",
            "ROL: brand onder controle, nog niet meester. Verwachting: nablussen tot "
            "morgenochtend. Metingen: verhoogd fijnstof in Oosterpark, geen asbest "
            "aangetoond.",
            at(2),
        )
        self._log(
            crisis,
            meeting,
            logger,
            "beeld",
            "Ca. 9.000 inwoners in het rookgebied; 140 telefoontjes bij de gemeente, "
            "vooral over schoolkinderen en huisdieren.",
            at(4),
        )
        meeting_services.meeting_set_phase(meeting=meeting, phase="oordeelsvorming", actor=chair)
        self._log(
            crisis,
            meeting,
            logger,
            "knelpunt",
            "Onrust bij ouders: scholen in Oosterpark gaan morgen normaal open terwijl "
            "de rook mogelijk terugdraait.",
            at(8),
        )
        self._log(
            crisis,
            meeting,
            logger,
            "knelpunt",
            "Bluswater kan de Vlietsloot bereiken; waterschap nog niet aangesloten.",
            at(10),
        )
        meeting_services.meeting_set_phase(meeting=meeting, phase="besluitvorming", actor=chair)
        self._log(
            crisis,
            meeting,
            logger,
            "besluit",
            "Scholen en kinderopvang in Oosterpark en Molenakker blijven morgen dicht.",
            at(14),
            reasoning="Windverwachting onzeker; gezondheid van kinderen gaat voor "
            "maatschappelijke last. Alternatief (open met binnenblijfadvies) afgewogen en "
            "verworpen: niet uitlegbaar aan ouders.",
            decided_by=mayor,
        )
        self._log(
            crisis,
            meeting,
            logger,
            "besluit",
            "Burgemeester bezoekt morgen om 10:00 de opvang in sporthal De Wiel.",
            at(15),
            reasoning="Burgervaderrol: zichtbaar betrokken bij getroffen bewoners.",
            decided_by=mayor,
        )
        meeting_services.meeting_set_phase(meeting=meeting, phase="opdracht", actor=chair)
        deadline = timezone.now() + timedelta(hours=3)
        self._log(
            crisis,
            meeting,
            logger,
            "opdracht",
            "Ouders en scholen informeren over de sluiting (brief + website + NL-Alert update).",
            at(18),
            owner_function="communicatieadviseur",
            deadline=deadline,
        )
        self._log(
            crisis,
            meeting,
            logger,
            "opdracht",
            "Waterschap aansluiten bij het GBT en monitoring Vlietsloot regelen.",
            at(19),
            owner=users["rol"],
            deadline=deadline + timedelta(hours=1),
        )
        self._log(
            crisis,
            meeting,
            logger,
            "opdracht",
            "Toezeggingen aan getroffen ondernemers De Hoven vastleggen.",
            at(20),
            owner=users["adviseur"],
            deadline=deadline + timedelta(hours=2),
        )
        meeting_services.meeting_plan_next(
            meeting=meeting,
            actor=chair,
            next_at=timezone.now() + timedelta(hours=2),
            minutes=30,
            input_due_at=timezone.now() + timedelta(hours=1, minutes=30),
        )
        meeting_services.meeting_close(meeting=meeting, actor=chair)
        # Date the meeting and its timeline to the story, not to the moment of loading.
        Meeting.objects.filter(pk=meeting.pk).update(
            started_at=start, phase_started_at=at(17), ended_at=at(24)
        )
        for i, event in enumerate(meeting.events.order_by("pk")):
            MeetingEvent.objects.filter(pk=event.pk).update(at=at(min(6 * i, 24)))

    def _cmt_running_meeting(self, crisis: Crisis, users: dict) -> None:
        """The exercise is under way: meeting 1 runs, in Beeldvorming."""
        chair, logger = users["cmt-voorzitter"], users["cmt-logger"]
        meeting = meeting_services.meeting_start(crisis=crisis, actor=chair)
        now = timezone.now()
        self._log(
            crisis,
            meeting,
            logger,
            "beeld",
            "OEFENING — IT: versleuteling begonnen om 06:50 via een gecompromitteerd "
            "VPN-account; back-ups van gisteren intact.",
            now - timedelta(minutes=6),
        )
        self._log(
            crisis,
            meeting,
            logger,
            "beeld",
            "OEFENING — Productie draait op handbediening; bezetting voor 24 uur geregeld.",
            now - timedelta(minutes=4),
        )
        self._log(
            crisis,
            meeting,
            logger,
            "knelpunt",
            "OEFENING — Geruchten op sociale media over verontreinigd kraanwater; "
            "klantenservice onbereikbaar.",
            now - timedelta(minutes=2),
        )

    def _person(self, username: str, first: str, last: str, can_log_in: bool):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            if can_log_in:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.is_staff = username == "beheerder"
            user.save()
        return user

    def _crisis(self, *, organisation: Organisation, title: str, **fields) -> Crisis:
        existing = Crisis.objects.filter(organisation=organisation, title=title).first()
        if existing is not None:
            return existing
        crisis = services.crisis_open(organisation=organisation, title=title, actor=None, **fields)
        # The team was called together in the first minutes of the crisis, not when the demo
        # was loaded: move the join times and their audit events to match the story.
        start = crisis.started_at
        for minutes, membership in enumerate(crisis.memberships.order_by("pk"), start=4):
            joined = start + timedelta(minutes=minutes)
            Membership.objects.filter(pk=membership.pk).update(started_at=joined)
            AuditEvent.objects.filter(
                crisis=crisis, subject=membership.user, action=AuditEvent.Action.MEMBER_ADDED
            ).update(at=joined)
        AuditEvent.objects.filter(crisis=crisis, action=AuditEvent.Action.CRISIS_OPENED).update(
            at=start
        )
        return crisis

    def _print_users(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in with password 'crisisroom':"))
        lines = [
            ("voorzitter", "technisch voorzitter — GBT De Hoven"),
            ("burgemeester", "burgemeester — GBT De Hoven"),
            ("rol", "regionaal operationeel leider — GBT De Hoven"),
            ("logger", "logger — GBT De Hoven"),
            ("adviseur", "adviseur (gemeentesecretaris) — GBT De Hoven"),
            ("cmt-voorzitter", "CMT-voorzitter — CMT-oefening Waterbedrijf"),
            ("cmt-logger", "logger — CMT-oefening Waterbedrijf"),
            ("berichtenmanager", "berichtenmanager — CMT-oefening Waterbedrijf"),
            ("buitenstaander", "adviseur — alleen de CMT-oefening Waterbedrijf"),
            ("beheerder", "beheerder van beide organisaties (/admin/)"),
        ]
        for username, what in lines:
            self.stdout.write(f"  {username:<17} {what}")
