"""The archive of a closed crisis, downloaded by the chair or the mayor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisroom import roles
from crisisroom.access import crisis_for_user
from crisisroom.http import AuthenticatedRequest

from ..archive import archive_response


@require_POST
@login_required
def crisis_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The closed crisis as one archive (ZIP) for the municipality's records."""
    crisis = crisis_for_user(request, pk, roles.READ_AUDIT).crisis
    if crisis.is_active:
        messages.error(
            request, _("This crisis is still active: close it first, or export a snapshot.")
        )
        return redirect("crisis_audit", pk=crisis.pk)
    return archive_response(crisis=crisis, actor=request.user, via="download")
