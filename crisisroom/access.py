"""The access helpers every view calls first.

A person who is not a member gets 404 for anything of the crisis, so they cannot learn that it
exists; a member without the right gets 403. The helpers return what the viewer may do beside
the object, never as attributes stuck onto a model instance.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from guardian.shortcuts import get_user_perms

from . import roles
from .models import Crisis, Membership, Organisation


@dataclass(frozen=True)
class CrisisAccess:
    """A crisis and the rights the viewer holds on it (empty for a reader of a shared analysis)."""

    crisis: Crisis
    perms: frozenset[str]

    def has(self, *wanted: str) -> bool:
        """Whether the viewer holds any one of ``wanted``."""
        return not self.perms.isdisjoint(wanted)

    @property
    def can_run(self) -> bool:
        return roles.RUN_MEETING in self.perms

    @property
    def can_record(self) -> bool:
        return roles.RECORD_ENTRY in self.perms

    @property
    def can_decide(self) -> bool:
        return roles.RECORD_DECISION in self.perms

    @property
    def can_manage_members(self) -> bool:
        return roles.MANAGE_MEMBERS in self.perms

    @property
    def can_read_audit(self) -> bool:
        # The same rule as the audit view's own check, for the crisis menu.
        return self.has(*roles.READ_AUDIT)


def _crisis_perms(user: User | AnonymousUser, crisis: Crisis | None) -> frozenset[str]:
    # Only rights granted to the user on this crisis count: no superuser or group shortcut.
    if crisis is None or not user.is_authenticated:
        return frozenset()
    return frozenset(get_user_perms(user, crisis))


def crisis_for_user(
    request: HttpRequest, pk: int, perm: str | tuple[str, ...] | None = None
) -> CrisisAccess:
    """The crisis ``pk`` if the request's user is a member; with ``perm``, also that right.

    ``perm`` may be a tuple: any one of those rights will do.
    """
    if not request.user.is_authenticated:
        raise PermissionDenied  # Views are behind login_required; this is a second lock.
    crisis = Crisis.objects.select_related("organisation").filter(pk=pk).first()
    perms = _crisis_perms(request.user, crisis)
    if crisis is None or roles.VIEW not in perms:
        raise Http404(_("No such crisis."))
    access = CrisisAccess(crisis=crisis, perms=perms)
    wanted = (perm,) if isinstance(perm, str) else perm
    if wanted and not access.has(*wanted):
        raise PermissionDenied(_("Your role in this crisis does not allow this."))
    return access


def membership_for_user(
    request: HttpRequest, crisis_pk: int, membership_pk: int, perm: str
) -> Membership:
    """A membership of a crisis the user may act on with ``perm``; 404 outside that crisis."""
    crisis = crisis_for_user(request, crisis_pk, perm).crisis
    try:
        return Membership.objects.select_related("crisis", "user").get(
            pk=membership_pk, crisis=crisis
        )
    except Membership.DoesNotExist:
        raise Http404(_("No such member.")) from None


def organisation_for_admin(request: HttpRequest, pk: int) -> Organisation:
    """An organisation the user administers; 404 for anyone else (no superuser shortcut)."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if (
        organisation is None
        or not request.user.is_authenticated
        or "administer_organisation" not in get_user_perms(request.user, organisation)
    ):
        raise Http404
    return organisation
