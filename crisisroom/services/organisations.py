"""Organisations: creating one with its defaults, registering people, their authenticator app,
the standing roster."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from ..models import (
    AuditEvent,
    Organisation,
    OrganisationMember,
    Partner,
    RosterEntry,
    TwoFactorDevice,
)
from ..roles import EXERCISE_ONLY_ROLES
from ..text import display_name
from .audit import audit_record

OrganisationSeeder = Callable[[Organisation], None]
_organisation_seeders: list[OrganisationSeeder] = []


def organisation_seeder_register(seeder: OrganisationSeeder) -> None:
    if seeder not in _organisation_seeders:
        _organisation_seeders.append(seeder)


def organisation_create(
    *,
    name: str,
    kind: str,
    actor: User | None,
    require_two_factor: bool = False,
    region: Organisation | None = None,
) -> Organisation:
    """A new organisation with everything it starts with: the shipped defaults of every app."""
    with transaction.atomic():
        organisation = Organisation(
            name=name.strip(), kind=kind, require_two_factor=require_two_factor, region=region
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


def organisation_member_set(
    *,
    organisation: Organisation,
    user: User,
    actor: User | None,
    function_title: str = "",
    is_administrator: bool = False,
    is_exercise_leader: bool = False,
) -> OrganisationMember:
    """Register someone with an organisation, or update their function, admin right and
    whether they lead its exercises."""
    with transaction.atomic():
        member, _created = OrganisationMember.objects.select_for_update().get_or_create(
            organisation=organisation, user=user
        )
        member.function_title = function_title
        member.is_administrator = is_administrator
        member.is_exercise_leader = is_exercise_leader
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
            detail={
                "function": function_title,
                "administrator": is_administrator,
                "exercise_leader": is_exercise_leader,
            },
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


def is_organisation_administrator(*, user: User, organisation: Organisation) -> bool:
    return OrganisationMember.objects.filter(
        organisation=organisation, user=user, is_administrator=True
    ).exists()


def roster_entry_validate(*, entry: RosterEntry) -> None:
    if entry.role in EXERCISE_ONLY_ROLES:
        raise ValidationError(
            {"role": _("The exercise leader is seated per exercise, not from the roster.")}
        )
    if not OrganisationMember.objects.filter(
        organisation=entry.organisation, user_id=entry.user_id
    ).exists():
        raise ValidationError(
            {
                "user": _("Register this person with %(org)s before putting them on its roster.")
                % {"org": entry.organisation}
            }
        )


def partner_validate(*, partner: Partner) -> None:
    """A stakeholder's default contact is someone registered with the same organisation."""
    if (
        partner.default_owner_id is not None
        and not OrganisationMember.objects.filter(
            organisation_id=partner.organisation_id, user_id=partner.default_owner_id
        ).exists()
    ):
        raise ValidationError(
            {"default_owner": _("Choose someone registered with this organisation.")}
        )
