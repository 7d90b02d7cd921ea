"""Access helper for the strategic analysis.

Members of the crisis read it (writing needs write_analysis). Someone the mayor shared it with
may read it and its PDF — nothing else of the crisis — while the share stands and they still
belong to the organisation. Everyone else gets 404.
"""

from dataclasses import dataclass

from django.http import Http404

from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.http import AuthenticatedRequest

from .models import Analysis, AnalysisShare


@dataclass(frozen=True)
class AnalysisAccess(CrisisAccess):
    """The crisis with the viewer's rights (none for a shared reader), and its analysis."""

    analysis: Analysis | None
    is_member: bool


def analysis_for_user(
    request: AuthenticatedRequest, crisis_pk: int, perm: str | tuple[str, ...] | None = None
) -> AnalysisAccess:
    try:
        access = crisis_for_user(request, crisis_pk, perm)
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
        return AnalysisAccess(
            crisis=share.analysis.crisis,
            perms=frozenset(),
            analysis=share.analysis,
            is_member=False,
        )
    analysis = Analysis.objects.select_related("format").filter(crisis=access.crisis).first()
    return AnalysisAccess(
        crisis=access.crisis, perms=access.perms, analysis=analysis, is_member=True
    )
