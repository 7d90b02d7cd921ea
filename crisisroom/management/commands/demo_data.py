"""Load the demo: a municipality in a real-looking GBT crisis and a company in a CMT exercise.

Idempotent: running it again leaves the same data, it never duplicates. Demo users exist only
through this command; their password is printed, never used anywhere else.
"""

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

DEMO_PASSWORD = "crisisroom"  # noqa: S105 - the documented demo password, demo users only

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


class Command(BaseCommand):
    help = "Load the Crisisroom demo (idempotent) and print the demo users."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        users = {row[0]: self._person(*row) for row in PEOPLE}
        orgs = {
            MUNICIPALITY: Organisation.objects.get_or_create(
                name=MUNICIPALITY, defaults={"kind": Organisation.Kind.MUNICIPALITY}
            )[0],
            COMPANY: Organisation.objects.get_or_create(
                name=COMPANY, defaults={"kind": Organisation.Kind.COMPANY}
            )[0],
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
        self._crisis(
            organisation=orgs[MUNICIPALITY],
            title="Grote brand bedrijventerrein De Hoven",
            team_kind=TeamKind.GBT,
            scaling_label="GRIP 3",
            summary=GBT_SUMMARY,
            is_exercise=False,
            started_at=now - timedelta(hours=2, minutes=35),
        )
        self._crisis(
            organisation=orgs[COMPANY],
            title="Ransomware-aanval op klant- en meetsystemen",
            team_kind=TeamKind.CMT,
            scaling_label="Crisisniveau 2",
            summary=CMT_SUMMARY,
            is_exercise=True,
            started_at=now - timedelta(hours=1, minutes=10),
        )
        self._print_users()

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
