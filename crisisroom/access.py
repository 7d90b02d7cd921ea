"""The access helpers every view calls first.

A person who is not a member gets 404 for anything of the crisis, so they cannot learn that it
exists; a member without the right gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from guardian.shortcuts import get_user_perms

from .models import Crisis, Membership
from .roles import READ_AUDIT, VIEW


def crisis_for_user(
    request: HttpRequest, pk: int, perm: str | tuple[str, ...] | None = None
) -> Crisis:
    """The crisis ``pk`` if the request's user is a member; with ``perm``, also that right.

    ``perm`` may be a tuple: any one of those rights will do. The user's rights on the crisis
    are attached as ``crisis.user_perms`` so templates and views need no further queries.
    """
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied  # Views are behind login_required; this is a second lock.
    crisis = Crisis.objects.select_related("organisation").filter(pk=pk).first()
    # Only rights granted to the user on this crisis count: no superuser or group shortcut.
    perms = frozenset(get_user_perms(user, crisis)) if crisis is not None else frozenset()
    if VIEW not in perms:
        raise Http404(_("No such crisis."))
    wanted = (perm,) if isinstance(perm, str) else perm
    if wanted and not perms.intersection(wanted):
        raise PermissionDenied(_("Your role in this crisis does not allow this."))
    crisis.user_perms = perms
    # For the crisis menu: the same rule as the audit view's own check.
    crisis.can_read_audit = bool(perms.intersection(READ_AUDIT))
    return crisis


def membership_for_user(
    request: HttpRequest, crisis_pk: int, membership_pk: int, perm: str
) -> Membership:
    """A membership of a crisis the user may act on with ``perm``; 404 outside that crisis."""
    crisis = crisis_for_user(request, crisis_pk, perm)
    try:
        return Membership.objects.select_related("crisis", "user").get(
            pk=membership_pk, crisis=crisis
        )
    except Membership.DoesNotExist:
        raise Http404(_("No such member.")) from None
