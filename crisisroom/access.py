"""The access helpers every view calls first.

A person who is not a member gets 404 for anything of the crisis, so they cannot learn that it
exists; a member without the right gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from .models import Crisis, Membership
from .selectors import crises_for_user


def crisis_for_user(request: HttpRequest, pk: int, perm: str | None = None) -> Crisis:
    """The crisis ``pk`` if the request's user is a member; with ``perm``, also that right."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied  # Views are behind login_required; this is a second lock.
    crisis = crises_for_user(user=user).filter(pk=pk).first()
    if crisis is None:
        raise Http404(_("No such crisis."))
    if perm is not None and not user.has_perm(f"crisisroom.{perm}", crisis):
        raise PermissionDenied(_("Your role in this crisis does not allow this."))
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
