"""Wijken en buurten by CBS code: the list, one district by hand, and an import of many (a CSV
of codes and names, or a GeoJSON of outlines) that imports all rows or none."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from .. import selectors, services
from ..access import ResilienceAccess, resilience_for_user
from ..forms.registers72 import DistrictForm, DistrictImportForm
from ..models import District
from ..services.registers72 import DistrictImportReport

T = "resilience/first72/registers/"


@require_GET
@login_required
def first72_districts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    districts = selectors.districts_of(organisation=access.organisation)
    return render(
        request,
        T + "district_list.html",
        {
            "access": access,
            "organisation": access.organisation,
            # Whether each has an outline, without loading the outlines themselves.
            "districts": districts,
            "with_outline": set(
                District.objects.filter(
                    organisation=access.organisation, outline__isnull=False
                ).values_list("pk", flat=True)
            ),
        },
    )


def _district_form(
    request: AuthenticatedRequest, access: ResilienceAccess, district: District | None
) -> HttpResponse:
    organisation = access.organisation
    saved_name = str(district) if district else ""
    form = DistrictForm(request.POST or None, instance=district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.district_save(
                organisation=organisation,
                actor=request.user,
                district=district,
                code=data["code"],
                name=data["name"],
                level=data["level"] or "",
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": str(saved)})
            return redirect("first72_districts", pk=organisation.pk)
    return render(
        request,
        T + "district_form.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "district": district,
            "saved_name": saved_name,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def first72_district_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    return _district_form(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def first72_district_edit(request: AuthenticatedRequest, pk: int, district_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    district = get_object_or_404(
        District.objects.defer("outline"), pk=district_pk, organisation=access.organisation
    )
    return _district_form(request, access, district)


def _import_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    form: DistrictImportForm,
    report: DistrictImportReport | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        T + "district_import.html",
        {"access": access, "organisation": access.organisation, "form": form, "report": report},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def first72_districts_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    if request.method == "GET":
        return _import_page(request, access, DistrictImportForm())
    form = DistrictImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, access, form, status=422)
    upload = form.cleaned_data["file"]
    try:
        report = services.districts_import(
            organisation=access.organisation,
            actor=request.user,
            filename=upload.name or "",
            content=upload.read(),
        )
    except ValidationError as error:
        form.add_error("file", error)  # said beside the file it is about
        return _import_page(request, access, form, status=422)
    if not report.imported:
        return _import_page(request, access, form, report, status=422)
    messages.success(
        request,
        _(
            "Districts imported from %(file)s: %(created)s new, %(updated)s changed, "
            "%(unchanged)s unchanged, 0 rejected."
        )
        % {
            "file": report.filename,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return redirect("first72_districts", pk=access.organisation.pk)
