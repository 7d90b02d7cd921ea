"""Who sees and does what in the cold phase of an organisation.

Outside the organisation, or inside it without a role, administration or a measure of one's
own: 404, so nobody learns what an organisation prepares for. A viewer without the right for an
action: 403. Views call one of these helpers on their first line.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from guardian.shortcuts import get_user_perms

from crisisroom.models import Organisation

from .models import Measure, ResilienceRole


@dataclass(frozen=True)
class ResilienceAccess:
    organisation: Organisation
    role: str  # a ResilienceRole.Kind, "beheerder" for an administrator, "" for an owner only
    is_administrator: bool

    @property
    def can_read(self) -> bool:
        """Reads the whole cold phase: scenarios, weighing, programme, processes, partners."""
        return self.is_administrator or self.role != ""

    @property
    def can_maintain(self) -> bool:
        """Writes scenarios, scores, the framework, measures, processes and partners."""
        return self.role == ResilienceRole.Kind.AOV

    @property
    def can_decide(self) -> bool:
        """Records the priority decision of the mayor or the college."""
        return self.is_administrator or self.role == ResilienceRole.Kind.BESTUUR

    @property
    def can_manage_roles(self) -> bool:
        return self.is_administrator


@dataclass(frozen=True)
class MeasureAccess(ResilienceAccess):
    measure: Measure
    viewer_id: int

    @property
    def is_owner(self) -> bool:
        return self.measure.owner_id is not None and self.measure.owner_id == self.viewer_id

    @property
    def can_update(self) -> bool:
        """Edits the measure and records its progress: the AOV, or the measure's own owner."""
        return self.can_maintain or self.is_owner


def _access(user: User, organisation: Organisation) -> ResilienceAccess:
    is_administrator = "administer_organisation" in get_user_perms(user, organisation)
    kind = (
        ResilienceRole.objects.filter(organisation=organisation, user=user)
        .values_list("kind", flat=True)
        .first()
    )
    return ResilienceAccess(
        organisation=organisation, role=kind or "", is_administrator=is_administrator
    )


def _organisation(request: HttpRequest, pk: int) -> tuple[User, Organisation]:
    if not request.user.is_authenticated:
        raise PermissionDenied  # Views are behind login_required; this is a second lock.
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    return request.user, organisation


def resilience_for_user(request: HttpRequest, pk: int, need: str = "read") -> ResilienceAccess:
    """The cold phase of organisation ``pk`` for the request's user.

    ``need`` is one of "read", "maintain", "decide", "manage_roles".
    """
    user, organisation = _organisation(request, pk)
    access = _access(user, organisation)
    if not access.can_read:
        raise Http404(_("No such organisation."))
    if not getattr(access, f"can_{need}"):
        raise PermissionDenied(_("Your role in the cold phase does not allow this."))
    return access


def measure_for_user(
    request: HttpRequest, pk: int, measure_pk: int, need: str = "read"
) -> MeasureAccess:
    """A measure of organisation ``pk``; its owner may open and update it without a role.

    ``need`` is "read" or "update".
    """
    user, organisation = _organisation(request, pk)
    measure = (
        Measure.objects.select_related("owner", "owner_partner")
        .filter(pk=measure_pk, organisation=organisation)
        .first()
    )
    base = _access(user, organisation)
    if measure is None:
        raise Http404(_("No such measure."))
    access = MeasureAccess(
        organisation=organisation,
        role=base.role,
        is_administrator=base.is_administrator,
        measure=measure,
        viewer_id=user.pk,
    )
    if not (access.can_read or access.is_owner):
        raise Http404(_("No such measure."))
    if need == "update" and not access.can_update:
        raise PermissionDenied(_("Only the adviser and the measure's owner change a measure."))
    return access
