"""Regional publishing: a region publishes versions of its format, its cards and its scenarios
and sees which member took which version; a member sees what its region published and adopts
it as its own copy."""

from dataclasses import dataclass, field

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from ..access import ExerciseOrgAccess, organisation_for_exercises
from ..forms.publishing import PublishForm
from ..models import Publication
from ..selectors.publishing import (
    adoption_overview,
    publications_for,
    publishable_target,
    region_versions,
)
from ..services.publishing import publication_adopt, publication_create, version_number_of


@dataclass(frozen=True)
class FailedPublish:
    """A publish form that came back: which row it was, what was typed and what was wrong."""

    kind: str
    pk: int | None
    note: str
    note_errors: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)


def _failed(form: PublishForm) -> FailedPublish:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    raw_pk = form.data.get("target", "")
    return FailedPublish(
        kind=str(data.get("kind") or form.data.get("kind", "")),
        pk=data.get("target")
        or (int(raw_pk) if str(raw_pk).isascii() and str(raw_pk).isdecimal() else None),
        note=str(form.data.get("note", "")),
        note_errors=[str(e) for e in form.errors.get("note", [])],
        other_errors=[
            str(e) for name, errors in form.errors.items() if name != "note" for e in errors
        ],
    )


def _page(
    request: AuthenticatedRequest,
    access: ExerciseOrgAccess,
    *,
    failed: FailedPublish | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    context = {
        "access": access,
        "organisation": organisation,
        "failed": failed,
        "errors": errors or [],
    }
    if organisation.is_region:
        context["versions"] = region_versions(region=organisation)
        context["overview"] = adoption_overview(region=organisation)
        template = "exercises/region/region.html"
    elif organisation.region_id is not None:
        context["mine"] = publications_for(member=organisation)
        template = "exercises/region/member.html"
    else:
        template = "exercises/region/no_region.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def exercise_region(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    """For a region: what it can publish and which member took which version. For a member:
    what its region published, to adopt."""
    access = organisation_for_exercises(request, org_pk, "read")
    return _page(request, access)


@require_POST
@login_required
def publish(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    access = organisation_for_exercises(request, org_pk, "prepare")
    region = access.organisation
    if not region.is_region:
        raise PermissionDenied(_("Only a safety region publishes to member organisations."))
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _page(request, access, failed=_failed(form), status=422)
    target = publishable_target(
        region=region, kind=form.cleaned_data["kind"], pk=form.cleaned_data["target"]
    )
    if target is None:
        raise Http404(_("The region has no such version."))
    try:
        publication = publication_create(
            region=region, actor=request.user, target=target, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        attach_validation_error(form, error)
        return _page(request, access, failed=_failed(form), status=422)
    flash.success(
        request,
        _("%(what)s, version %(n)d, is published to the member organisations.")
        % {"what": publication.get_kind_display(), "n": version_number_of(target)},
    )
    return redirect("exercise_region", org_pk=org_pk)


@require_POST
@login_required
def adopt(request: AuthenticatedRequest, org_pk: int, publication_pk: int) -> HttpResponse:
    access = organisation_for_exercises(request, org_pk, "adopt")
    member = access.organisation
    publication = (
        Publication.objects.select_related("region", "format", "card_set", "scenario_version")
        .filter(pk=publication_pk, region_id=member.region_id)
        .first()
        if member.region_id is not None
        else None
    )
    if publication is None:
        raise Http404(_("Your region published no such thing."))
    if publication.kind != Publication.Kind.SCENARIO and not access.is_administrator:
        # The format and the cards are what every real crisis of the organisation uses: the
        # administrators change them (as in the format and card editors), not exercise leaders.
        raise PermissionDenied(
            _("Only an administrator of the organisation adopts the format or the cards.")
        )
    try:
        adoption = publication_adopt(
            publication=publication, organisation=member, actor=request.user
        )
    except ValidationError as error:
        return _page(request, access, errors=error.messages, status=422)
    if adoption.format is not None:
        message = _(
            "Adopted: your analysis format is now version %(n)d, a copy of the region's. "
            "Analyses already written keep the version they used."
        ) % {"n": adoption.format.version}
    elif adoption.card_set is not None:
        message = _(
            "Adopted: your cards are now version %(n)d, a copy of the region's. "
            "Meetings keep the version they used."
        ) % {"n": adoption.card_set.version}
    else:
        message = _("Adopted: the scenario is in your library as a copy of your own to adapt.")
    flash.success(request, message)
    return redirect("exercise_region", org_pk=org_pk)
