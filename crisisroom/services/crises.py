"""Crises and their teams. Every permission on a crisis is granted or revoked here."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from ..models import (
    AuditEvent,
    Crisis,
    CrisisStart,
    Membership,
    Organisation,
    OrganisationMember,
    RosterEntry,
)
from ..roles import (
    ALL_PERMISSIONS,
    EXCON_ROLES,
    EXERCISE_ONLY_ROLES,
    ROLES_FOR_TEAM,
    permissions_for_roles,
)
from ..text import display_name, refuse_nul
from .audit import audit_record
from .organisations import is_organisation_administrator


def _crisis_permissions_sync(*, crisis: Crisis, user: User) -> None:
    """Make the user's object permissions on the crisis exactly what their active roles give."""
    roles = set(
        Membership.objects.filter(crisis=crisis, user=user, ended_at__isnull=True).values_list(
            "role", flat=True
        )
    )
    wanted = permissions_for_roles(roles)
    held = set(get_perms(user, crisis)) & set(ALL_PERMISSIONS)
    for codename in wanted - held:
        assign_perm(f"crisisroom.{codename}", user, crisis)
    for codename in held - wanted:
        remove_perm(f"crisisroom.{codename}", user, crisis)


def membership_validate(*, membership: Membership, from_roster: bool = False) -> None:
    """The rules for a new seat in a crisis team, with messages an administrator can act on."""
    crisis, user, role = membership.crisis, membership.user, membership.role
    if not crisis.is_active:
        raise ValidationError(_("This crisis is closed: its team can no longer change."))
    if role not in ROLES_FOR_TEAM[crisis.team_kind]:
        raise ValidationError(
            {"role": _("A %(team)s has no such role.") % {"team": crisis.get_team_kind_display()}}
        )
    if role in EXERCISE_ONLY_ROLES and not crisis.is_exercise:
        raise ValidationError({"role": _("Only an exercise has an exercise leader.")})
    if crisis.is_exercise:
        _exercise_seat_check(membership)
    # In an exercise, the region's people may sit at a member's table as its exercise control.
    seats_from = Q(organisation=crisis.organisation)
    if crisis.is_exercise and crisis.organisation.region_id is not None and role in EXCON_ROLES:
        seats_from |= Q(organisation_id=crisis.organisation.region_id)
    if not OrganisationMember.objects.filter(seats_from, user=user).exists():
        raise ValidationError(
            {
                "user": _("Only people registered with %(org)s can join its crisis team.")
                % {"org": crisis.organisation}
            }
        )
    if Membership.objects.filter(
        crisis=crisis, user=user, role=role, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("This person already has this role in the crisis."))
    actor = membership.added_by
    if (
        not from_roster
        and actor is not None
        and actor.pk == user.pk
        and not is_organisation_administrator(user=actor, organisation=crisis.organisation)
    ):
        # Nobody widens their own rights: another member or an administrator seats you.
        raise ValidationError(
            {"user": _("You cannot give yourself a role; ask the chair or an administrator.")}
        )


def is_exercise_leader_for(*, user: User, crisis: Crisis) -> bool:
    """Whether ``user`` leads exercises for the crisis's organisation or for its region."""
    organisations = [crisis.organisation_id, crisis.organisation.region_id]
    return OrganisationMember.objects.filter(
        user=user, is_exercise_leader=True, organisation_id__in=[o for o in organisations if o]
    ).exists()


def _exercise_seat_check(membership: Membership) -> None:
    """In an exercise the exercise control (oefenleider, waarnemer) sees what the players must
    not: only an exercise leader seats it, and nobody is player and exercise control at once."""
    crisis, user, role, actor = (
        membership.crisis,
        membership.user,
        membership.role,
        membership.added_by,
    )
    excon = role in EXCON_ROLES
    if excon and actor is not None and not is_exercise_leader_for(user=actor, crisis=crisis):
        raise ValidationError(
            {"role": _("Only an exercise leader seats the exercise leader and the observers.")}
        )
    held = set(
        Membership.objects.filter(crisis=crisis, user=user, ended_at__isnull=True).values_list(
            "role", flat=True
        )
    )
    if excon and held - EXCON_ROLES:
        raise ValidationError(
            {"user": _("This person plays in the exercise and cannot also be in its control.")}
        )
    if not excon and held & EXCON_ROLES:
        raise ValidationError(
            {"user": _("This person is in the exercise control and cannot also play.")}
        )


def membership_add(
    *,
    crisis: Crisis,
    user: User,
    role: str,
    actor: User | None,
    function_title: str = "",
    from_roster: bool = False,
) -> Membership:
    """Seat someone in a crisis team in a role, and give them what that role may do.

    ``from_roster``: the seat comes from the standing roster an administrator keeps, so the
    actor seating themselves through it is not widening their own rights.
    """
    with transaction.atomic():
        # Lock the crisis row so two simultaneous adds of the same person cannot both pass.
        crisis = Crisis.objects.select_for_update().select_related("organisation").get(pk=crisis.pk)
        membership = Membership(
            crisis=crisis, user=user, role=role, function_title=function_title, added_by=actor
        )
        membership_validate(membership=membership, from_roster=from_roster)
        membership.full_clean()
        membership.save()
        _crisis_permissions_sync(crisis=crisis, user=user)
        audit_record(
            action=AuditEvent.Action.MEMBER_ADDED,
            organisation=crisis.organisation,
            crisis=crisis,
            actor=actor,
            subject=user,
            detail={"role": role, "function": function_title},
        )
    return membership


def membership_end(*, membership: Membership, actor: User | None) -> Membership:
    """Take someone out of the team. The membership stays on record with who ended it, and when."""
    with transaction.atomic():
        # Lock the crisis first, as membership_add does: permission syncs of one crisis queue.
        crisis = Crisis.objects.select_for_update().get(pk=membership.crisis_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.ended_at is not None:
            return membership  # Ending twice (a double click) changes nothing.
        if not crisis.is_active:
            # Members of a closed crisis keep reading its record; the team is fixed.
            raise ValidationError(_("This crisis is closed: its team can no longer change."))
        if (
            crisis.is_exercise
            and membership.role in EXCON_ROLES
            and actor is not None
            and not is_exercise_leader_for(user=actor, crisis=crisis)
        ):
            raise ValidationError(
                _("Only an exercise leader ends the seat of the exercise leader or an observer.")
            )
        membership.ended_at = timezone.now()
        membership.ended_by = actor
        membership.save(update_fields=["ended_at", "ended_by"])
        _crisis_permissions_sync(crisis=membership.crisis, user=membership.user)
        audit_record(
            action=AuditEvent.Action.MEMBER_REMOVED,
            organisation=membership.crisis.organisation,
            crisis=membership.crisis,
            actor=actor,
            subject=membership.user,
            detail={"role": membership.role, "function": membership.function_title},
        )
    return membership


def crisis_staff_from_roster(
    *,
    crisis: Crisis,
    actor: User | None,
    unavailable: Iterable[User] = (),
) -> list[Membership]:
    """Seat the standing roster in one step: per seat the first available person by rank.

    Unavailable people are skipped, so their first deputy is called instead. Seats already
    filled and roles the team kind does not have are left alone.
    """
    unavailable_ids = {user.pk for user in unavailable}
    seats: dict[tuple[str, str], RosterEntry] = {}
    # People who left the organisation stay on an outdated roster; they are not called.
    entries = RosterEntry.objects.filter(
        organisation=crisis.organisation,
        user__organisation_memberships__organisation=crisis.organisation,
    ).select_related("user")
    for entry in entries.order_by("role", "function_title", "rank"):
        seat = (entry.role, entry.function_title)
        if seat in seats or entry.user_id in unavailable_ids or not entry.user.is_active:
            continue
        if entry.role not in ROLES_FOR_TEAM[crisis.team_kind]:
            continue
        if entry.role in EXERCISE_ONLY_ROLES or (crisis.is_exercise and entry.role in EXCON_ROLES):
            continue  # an exercise seats its own control when it is prepared
        seats[seat] = entry
    added = []
    with transaction.atomic():
        for entry in seats.values():
            already = Membership.objects.filter(
                crisis=crisis, user=entry.user, role=entry.role, ended_at__isnull=True
            ).exists()
            if already:
                continue
            added.append(
                membership_add(
                    crisis=crisis,
                    user=entry.user,
                    role=entry.role,
                    function_title=entry.function_title,
                    actor=actor,
                    from_roster=True,
                )
            )
    return added


def crisis_validate(*, crisis: Crisis) -> None:
    """All the rules for a crisis, including one active crisis per title per organisation."""
    crisis.full_clean()


def crisis_open(
    *,
    organisation: Organisation,
    title: str,
    team_kind: str,
    actor: User | None,
    scaling_label: str = "",
    summary: str = "",
    is_exercise: bool = False,
    staff_from_roster: bool = True,
    unavailable: Iterable[User] = (),
    started_at: datetime | None = None,
) -> Crisis:
    """Open a crisis; by default its team is staffed from the standing roster in the same step.

    ``started_at`` lets a crisis that began on paper or before the system was reached keep its
    real start time.
    """
    with transaction.atomic():
        crisis = Crisis(
            organisation=organisation,
            started_at=started_at or timezone.now(),
            title=title,
            team_kind=team_kind,
            scaling_label=scaling_label,
            summary=summary,
            is_exercise=is_exercise,
        )
        crisis_validate(crisis=crisis)
        crisis.save()
        audit_record(
            action=AuditEvent.Action.CRISIS_OPENED,
            organisation=organisation,
            crisis=crisis,
            actor=actor,
            detail={"title": title, "exercise": is_exercise},
        )
        if staff_from_roster:
            crisis_staff_from_roster(crisis=crisis, actor=actor, unavailable=unavailable)
    return crisis


def crisis_update(
    *, crisis: Crisis, actor: User | None, title: str, scaling_label: str, summary: str
) -> Crisis:
    """Change what the crisis is called, its scaling label and summary; recorded."""
    with transaction.atomic():
        crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if not crisis.is_active:
            raise ValidationError(_("This crisis is closed: it can no longer change."))
        before = {"title": crisis.title, "scaling_label": crisis.scaling_label}
        crisis.title, crisis.scaling_label, crisis.summary = title, scaling_label, summary
        crisis.full_clean()
        crisis.save(update_fields=["title", "scaling_label", "summary"])
        audit_record(
            action=AuditEvent.Action.CRISIS_UPDATED,
            organisation=crisis.organisation,
            crisis=crisis,
            actor=actor,
            detail={"before": before, "title": title, "scaling_label": scaling_label},
        )
    return crisis


def crisis_close(*, crisis: Crisis, actor: User | None) -> Crisis:
    """Close the crisis. Members keep reading access: the record stays with them."""
    with transaction.atomic():
        crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if not crisis.is_active:
            return crisis
        crisis.status = Crisis.Status.CLOSED
        crisis.closed_at = timezone.now()
        crisis.full_clean()
        crisis.save(update_fields=["status", "closed_at"])
        audit_record(
            action=AuditEvent.Action.CRISIS_CLOSED,
            organisation=crisis.organisation,
            crisis=crisis,
            actor=actor,
        )
    return crisis


def crisis_start_record(
    *,
    crisis: Crisis,
    actor: User,
    scope: str,
    response: str,
    coordinator: str = "",
    agreements: str = "",
    meeting_cycle: str = "",
) -> CrisisStart:
    """The chair's first decision with the crisis coordinator, and the working agreements and
    meeting cycle (CMT task card, tasks 1 and 7). Recorded again when it changes; every
    version is in the audit trail."""
    refuse_nul(coordinator, agreements, meeting_cycle)
    with transaction.atomic():
        crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if not crisis.is_active:
            raise ValidationError(_("This crisis is closed: it can no longer change."))
        start = CrisisStart.objects.filter(crisis=crisis).first() or CrisisStart(crisis=crisis)
        start.scope, start.response = scope, response
        start.coordinator = coordinator.strip()
        start.agreements = agreements.strip()
        start.meeting_cycle = meeting_cycle.strip()
        start.decided_by, start.decided_at = actor, timezone.now()
        start.full_clean()
        start.save()
        audit_record(
            action=AuditEvent.Action.CRISIS_START_RECORDED,
            crisis=crisis,
            actor=actor,
            detail={
                "scope": scope,
                "response": response,
                "coordinator": start.coordinator,
                "agreements": start.agreements,
                "meeting_cycle": start.meeting_cycle,
            },
        )
    return start


def membership_set_available(
    *, membership: Membership, actor: User | None, available: bool, note: str = ""
) -> Membership:
    """Mark a member unavailable (with why), or available again; recorded in the audit trail."""
    refuse_nul(note)
    note = note.strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep it under 200 characters.")})
    with transaction.atomic():
        crisis = Crisis.objects.select_for_update().get(pk=membership.crisis_id)
        if not crisis.is_active:
            raise ValidationError(_("This crisis is closed: its team can no longer change."))
        membership = Membership.objects.select_related("user").get(pk=membership.pk)
        if membership.ended_at is not None:
            raise ValidationError(_("This person is no longer in the team."))
        if (membership.unavailable_at is None) == available:
            return membership  # already so (a double click)
        membership.unavailable_at = None if available else timezone.now()
        membership.unavailable_note = "" if available else note
        membership.save(update_fields=["unavailable_at", "unavailable_note"])
        audit_record(
            action=AuditEvent.Action.MEMBER_AVAILABLE
            if available
            else AuditEvent.Action.MEMBER_UNAVAILABLE,
            crisis=crisis,
            actor=actor,
            subject=membership.user,
            detail={"role": membership.role, "note": note},
        )
    return membership


def deputy_for(*, membership: Membership) -> RosterEntry | None:
    """The first deputy on the standing roster for this member's seat who is not at the table
    in that role yet: same role and function, by rank, active, still with the organisation."""
    seated = Membership.objects.filter(
        crisis_id=membership.crisis_id, role=membership.role, ended_at__isnull=True
    ).values("user")
    return (
        RosterEntry.objects.filter(
            organisation_id=membership.crisis.organisation_id,
            role=membership.role,
            function_title=membership.function_title,
            user__is_active=True,
            user__organisation_memberships__organisation_id=membership.crisis.organisation_id,
        )
        .exclude(user__in=seated)
        .select_related("user")
        .order_by("rank", "pk")
        .first()
    )


def crisis_call_deputy(*, membership: Membership, actor: User | None) -> Membership:
    """Call in the next deputy from the roster for an unavailable member, in one step.

    Once per absence: a second click returns the deputy already called. If that deputy is
    unavailable too, the chair calls in a deputy for them.
    """
    with transaction.atomic():
        Crisis.objects.select_for_update().get(pk=membership.crisis_id)
        membership = Membership.objects.select_related("crisis", "user").get(pk=membership.pk)
        if membership.unavailable_at is None:
            raise ValidationError(_("Mark the member unavailable first."))
        called = AuditEvent.objects.filter(
            crisis_id=membership.crisis_id,
            action=AuditEvent.Action.DEPUTY_CALLED,
            detail__for_membership=membership.pk,
            at__gte=membership.unavailable_at,
        ).first()
        if called is not None:
            return Membership.objects.get(pk=called.detail["deputy_membership"])
        entry = deputy_for(membership=membership)
        if entry is None:
            raise ValidationError(
                _("The roster has no further deputy for this seat: add someone to the team.")
            )
        deputy = membership_add(
            crisis=membership.crisis,
            user=entry.user,
            role=entry.role,
            function_title=entry.function_title,
            actor=actor,
            from_roster=True,
        )
        audit_record(
            action=AuditEvent.Action.DEPUTY_CALLED,
            crisis=membership.crisis,
            actor=actor,
            subject=entry.user,
            detail={
                "role": entry.role,
                "for": display_name(membership.user),
                "for_membership": membership.pk,
                "deputy_membership": deputy.pk,
                "rank": entry.rank,
            },
        )
    return deputy
