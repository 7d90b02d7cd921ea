"""Load the demo: a municipality in a real-looking GBT crisis and a company in a CMT exercise.

Idempotent: running it again leaves the same data, it never duplicates. Demo users exist only
through this command; their password is printed, never used anywhere else. It lives in the
meetings app because it fills every part of the product (crisisroom imports no other app).
The parts are in ``meetings.demo``: the people and rosters, the GBT crisis, the CMT exercise and
its message desk. Every time in the demo is counted back from the moment it is loaded, and
every clock time in its texts from the start of its crisis (``meetings.demo.story``).
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from crisisroom import services
from crisisroom.models import (
    AuditEvent,
    Crisis,
    CrisisStart,
    Membership,
    Organisation,
    OrganisationMember,
    RosterEntry,
)
from crisisroom.roles import TeamKind
from formats.models import AnalysisFormat, CardSet
from meetings.demo import cmt, gbt
from meetings.demo.desk import load_desk, load_partners, load_start
from meetings.demo.people import (
    COMPANY,
    DEMO_PASSWORD,
    GBT_UNAVAILABLE,
    LOGINS,
    MUNICIPALITY,
    ORGANISATION_MEMBERS,
    PEOPLE,
    ROSTER,
)

# The organisations, their people and rosters were set up well before the crises began.
SET_UP_BEFORE = timedelta(days=14)


class Command(BaseCommand):
    help = "Load the Crisisroom demo (idempotent) and print the demo users."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        loading = timezone.now()
        users = {row[0]: self._person(*row) for row in PEOPLE}
        orgs = {
            MUNICIPALITY: self._organisation(MUNICIPALITY, Organisation.Kind.MUNICIPALITY),
            COMPANY: self._organisation(COMPANY, Organisation.Kind.COMPANY),
        }
        self._organisation_members(orgs, users)
        for org_name, role, function, username, rank in ROSTER:
            RosterEntry.objects.update_or_create(
                organisation=orgs[org_name],
                role=role,
                function_title=function,
                rank=rank,
                defaults={"user": users[username]},
            )
        self._set_up_earlier(loading, orgs.values(), users.values())
        gbt_start = loading - gbt.SINCE_START
        gbt_crisis = self._crisis(
            organisation=orgs[MUNICIPALITY],
            title=gbt.TITLE,
            team_kind=TeamKind.GBT,
            scaling_label="GRIP 3",
            summary=gbt.summary(gbt_start),
            is_exercise=False,
            started_at=gbt_start,
            unavailable=[users[username] for username in GBT_UNAVAILABLE],
        )
        cmt_start = loading - cmt.SINCE_START
        cmt_crisis = self._crisis(
            organisation=orgs[COMPANY],
            title=cmt.TITLE,
            team_kind=TeamKind.CMT,
            scaling_label="Crisisniveau 2",
            summary=cmt.summary(cmt_start),
            is_exercise=True,
            started_at=cmt_start,
        )
        gbt.load_gbt(gbt_crisis, users)
        cmt.load_cmt(cmt_crisis, users)
        load_start(cmt_crisis, users)
        self._start_decision_dated(cmt_crisis, loading)
        load_desk(cmt_crisis, users, load_partners(orgs[COMPANY], users))
        self._print_users()

    def _start_decision_dated(self, crisis: Crisis, loading: datetime) -> None:
        """The start decision was taken in the first minutes: so says its audit event too."""
        decided = CrisisStart.objects.filter(crisis=crisis).values_list("decided_at", flat=True)
        AuditEvent.objects.filter(
            crisis=crisis, action=AuditEvent.Action.CRISIS_START_RECORDED, at__gte=loading
        ).update(at=decided.first() or loading)

    def _organisation(self, name: str, kind: str) -> Organisation:
        """The demo organisation, created once through the service (with its defaults)."""
        existing = Organisation.objects.filter(name=name).first()
        return existing or services.organisation_create(name=name, kind=kind, actor=None)

    def _organisation_members(self, orgs: dict, users: dict) -> None:
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

    def _set_up_earlier(self, loading: datetime, orgs, users) -> None:
        """What this run created for the organisations dates from before the crises.

        Only rows written now are moved: loading again changes nothing, and a change made on
        a later load (a new function title) keeps the time it was really made.
        """
        set_up = loading - SET_UP_BEFORE
        org_ids = [org.pk for org in orgs]
        Organisation.objects.filter(pk__in=org_ids, created_at__gte=loading).update(
            created_at=set_up
        )
        AuditEvent.objects.filter(
            organisation__in=org_ids, crisis__isnull=True, at__gte=loading
        ).update(at=set_up)
        AnalysisFormat.objects.filter(organisation__in=org_ids, created_at__gte=loading).update(
            created_at=set_up
        )
        CardSet.objects.filter(organisation__in=org_ids, created_at__gte=loading).update(
            created_at=set_up
        )
        get_user_model().objects.filter(
            pk__in=[user.pk for user in users], date_joined__gte=loading
        ).update(date_joined=set_up)

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
        for username, what in LOGINS:
            self.stdout.write(f"  {username:<17} {what}")
