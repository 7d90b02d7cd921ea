"""Writes to the core domain. Every permission on a crisis is granted or revoked here."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from .models import (
    AuditEvent,
    Crisis,
    Membership,
    Organisation,
    OrganisationMember,
    RosterEntry,
    TwoFactorDevice,
)
from .roles import ALL_PERMISSIONS, ROLES_FOR_TEAM, permissions_for_roles
from .text import display_name


def audit_record(
    *,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    crisis: Crisis | None = None,
    subject: User | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append to the audit trail: who did or saw what. The organisation defaults to the crisis's."""
    if organisation is not None:
        organisation_id = organisation.pk
    elif crisis is not None:
        organisation_id = crisis.organisation_id
    else:
        raise ValueError("An audit event belongs to an organisation or a crisis.")
    return AuditEvent.objects.create(
        action=action,
        organisation_id=organisation_id,
        actor=actor,
        crisis=crisis,
        subject=subject,
        detail=detail or {},
    )


# What an organisation starts with (its analysis format, its cards) belongs to the apps above
# this one; each registers a seeder in its AppConfig.ready(), and organisation_create runs them
# in the same transaction. So a page never has to create defaults on first read.
OrganisationSeeder = Callable[[Organisation], None]
_organisation_seeders: list[OrganisationSeeder] = []


def organisation_seeder_register(seeder: OrganisationSeeder) -> None:
    if seeder not in _organisation_seeders:
        _organisation_seeders.append(seeder)


def organisation_create(
    *, name: str, kind: str, actor: User | None, require_two_factor: bool = False
) -> Organisation:
    """A new organisation with everything it starts with: the shipped defaults of every app."""
    with transaction.atomic():
        organisation = Organisation(
            name=name.strip(), kind=kind, require_two_factor=require_two_factor
        )
        organisation.full_clean()
        organisation.save()
        for seeder in _organisation_seeders:
            seeder(organisation)
        audit_record(
            action=AuditEvent.Action.ORGANISATION_CREATED,
            organisation=organisation,
            actor=actor,
            detail={"name": organisation.name, "kind": kind},
        )
    return organisation


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


def organisation_member_set(
    *,
    organisation: Organisation,
    user: User,
    actor: User | None,
    function_title: str = "",
    is_administrator: bool = False,
) -> OrganisationMember:
    """Register someone with an organisation, or update their function and admin right."""
    with transaction.atomic():
        member, _created = OrganisationMember.objects.select_for_update().get_or_create(
            organisation=organisation, user=user
        )
        member.function_title = function_title
        member.is_administrator = is_administrator
        member.full_clean()
        member.save()
        if is_administrator:
            assign_perm("crisisroom.administer_organisation", user, organisation)
        else:
            remove_perm("crisisroom.administer_organisation", user, organisation)
        # The admin site is where administrators work: its door follows the right.
        administers_any = OrganisationMember.objects.filter(
            user=user, is_administrator=True
        ).exists()
        if not user.is_superuser and user.is_staff != administers_any:
            user.is_staff = administers_any
            user.save(update_fields=["is_staff"])
        audit_record(
            action=AuditEvent.Action.ORGANISATION_MEMBER_SET,
            organisation=organisation,
            actor=actor,
            subject=user,
            detail={"function": function_title, "administrator": is_administrator},
        )
    return member


def two_factor_reset(*, organisation: Organisation, user: User, actor: User | None) -> int:
    """Forget a member's authenticator app (a lost phone); they set up a new one next time.

    The app guards every organisation the person belongs to, so an administrator resets it only
    for someone who is in no organisation they do not administer; never for a superuser.
    """
    if user.is_superuser:
        raise ValidationError(_("The platform operator resets a superuser's authenticator app."))
    if actor is not None and not actor.is_superuser:
        elsewhere = OrganisationMember.objects.filter(user=user).exclude(
            organisation__members__user=actor, organisation__members__is_administrator=True
        )
        if elsewhere.exists():
            raise ValidationError(
                _(
                    "%(person)s also belongs to an organisation you do not administer; the "
                    "platform operator resets this app."
                )
                % {"person": display_name(user)}
            )
    with transaction.atomic():
        removed, _kinds = TwoFactorDevice.objects.filter(user=user).delete()
        if removed:
            audit_record(
                action=AuditEvent.Action.TWO_FACTOR_RESET,
                organisation=organisation,
                actor=actor,
                subject=user,
            )
    return removed


def membership_validate(*, membership: Membership, from_roster: bool = False) -> None:
    """The rules for a new seat in a crisis team, with messages an administrator can act on."""
    crisis, user, role = membership.crisis, membership.user, membership.role
    if not crisis.is_active:
        raise ValidationError(_("This crisis is closed: its team can no longer change."))
    if role not in ROLES_FOR_TEAM[crisis.team_kind]:
        raise ValidationError(
            {"role": _("A %(team)s has no such role.") % {"team": crisis.get_team_kind_display()}}
        )
    if not OrganisationMember.objects.filter(organisation=crisis.organisation, user=user).exists():
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


def is_organisation_administrator(*, user: User, organisation: Organisation) -> bool:
    return OrganisationMember.objects.filter(
        organisation=organisation, user=user, is_administrator=True
    ).exists()


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


def roster_entry_validate(*, entry: RosterEntry) -> None:
    if not OrganisationMember.objects.filter(
        organisation=entry.organisation, user_id=entry.user_id
    ).exists():
        raise ValidationError(
            {
                "user": _("Register this person with %(org)s before putting them on its roster.")
                % {"org": entry.organisation}
            }
        )


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
