"""Access helper for the strategic analysis.

Members of the crisis read it (writing needs write_analysis). Someone the mayor shared it with
may read it and its PDF — nothing else of the crisis — while the share stands and they still
belong to the organisation. Everyone else gets 404.
"""

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from guardian.shortcuts import get_user_perms

from crisisroom.access import crisis_for_user
from crisisroom.models import Crisis, Organisation

from .models import Analysis, AnalysisShare


@dataclass
class AnalysisAccess:
    crisis: Crisis
    analysis: Analysis | None
    is_member: bool

    @property
    def perms(self) -> frozenset[str]:
        return self.crisis.user_perms


def analysis_for_user(
    request: HttpRequest, crisis_pk: int, perm: str | tuple[str, ...] | None = None
) -> AnalysisAccess:
    try:
        crisis = crisis_for_user(request, crisis_pk, perm)
    except Http404:
        if perm is not None:
            raise  # a shared reader only reads
        share = (
            AnalysisShare.objects.select_related(
                "analysis__crisis__organisation", "analysis__format"
            )
            .filter(
                analysis__crisis_id=crisis_pk,
                user=request.user,
                revoked_at__isnull=True,
                analysis__crisis__organisation__members__user=request.user,
            )
            .first()
        )
        if share is None:
            raise
        crisis = share.analysis.crisis
        crisis.user_perms = frozenset()
        return AnalysisAccess(crisis=crisis, analysis=share.analysis, is_member=False)
    analysis = Analysis.objects.select_related("format").filter(crisis=crisis).first()
    return AnalysisAccess(crisis=crisis, analysis=analysis, is_member=True)


def organisation_for_admin(request: HttpRequest, pk: int) -> Organisation:
    """An organisation the user administers; 404 for anyone else (no superuser shortcut)."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or "administer_organisation" not in get_user_perms(
        request.user, organisation
    ):
        raise Http404
    return organisation


def personal_item_for_user(request: HttpRequest, crisis: Crisis, item_pk: int):
    """A line of the requesting user's own personal logbook; anyone else's is 404, the
    chair's included: the personal logbook is private."""
    from .models import PersonalItem

    item = PersonalItem.objects.filter(pk=item_pk, crisis=crisis, owner=request.user).first()
    if item is None:
        raise Http404
    return item
