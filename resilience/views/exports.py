"""For the council and the spreadsheets: the programme plan and the weighing as PDF, CSV and
XLSX for everyone who reads the cold phase, and measures imported from a sheet by the adviser."""

import hashlib

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.models import Organisation
from crisisroom.responses import confidential_pdf_response

from .. import services, spreadsheets
from ..access import ResilienceAccess, resilience_for_user
from ..forms.imports import MeasureImportForm
from ..pdf import render_programme_pdf, render_weighing_pdf
from ..services.imports import ImportCheck

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(kind: str, organisation: Organisation, extension: str) -> str:
    name = slugify(organisation.name) or str(organisation.pk)
    return f"{kind}-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A spreadsheet to save: confidential like the PDFs, never kept in a shared cache."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def programme_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    pdf = render_programme_pdf(organisation=access.organisation)
    return confidential_pdf_response(pdf, _filename("programmaplan", access.organisation, "pdf"))


@require_GET
@login_required
def weighing_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    pdf = render_weighing_pdf(organisation=access.organisation)
    return confidential_pdf_response(pdf, _filename("afweging", access.organisation, "pdf"))


@require_GET
@login_required
def programme_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    table = spreadsheets.programme_table(organisation=access.organisation)
    return _download(
        spreadsheets.table_csv(table),
        "text/csv; charset=utf-8",
        _filename("programmaplan", access.organisation, "csv"),
    )


@require_GET
@login_required
def programme_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    table = spreadsheets.programme_table(organisation=access.organisation)
    return _download(
        spreadsheets.table_xlsx(table),
        XLSX,
        _filename("programmaplan", access.organisation, "xlsx"),
    )


@require_GET
@login_required
def weighing_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    table = spreadsheets.weighing_table(organisation=access.organisation)
    return _download(
        spreadsheets.table_csv(table),
        "text/csv; charset=utf-8",
        _filename("afweging", access.organisation, "csv"),
    )


@require_GET
@login_required
def weighing_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "read")
    table = spreadsheets.weighing_table(organisation=access.organisation)
    return _download(
        spreadsheets.table_xlsx(table),
        XLSX,
        _filename("afweging", access.organisation, "xlsx"),
    )


def _import_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    form: MeasureImportForm,
    check: ImportCheck | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "resilience/import.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "check": check,
            "columns": spreadsheets.PROGRAMME_COLUMNS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    if request.method == "GET":
        return _import_page(request, access, MeasureImportForm())
    form = MeasureImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, access, form, status=422)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        rows = spreadsheets.read_rows(name=upload.name or "", content=content)
    except ValidationError as error:
        form.add_error("file", error)  # said beside the file it is about
        return _import_page(request, access, form, status=422)
    check = services.measures_check(organisation=access.organisation, rows=rows)
    if not check.valid or (check.rejected and not form.cleaned_data["valid_only"]):
        return _import_page(request, access, form, check, status=422)
    try:
        created = services.measures_import(
            organisation=access.organisation,
            actor=request.user,
            measures=[row.data for row in check.valid if row.data is not None],
            filename=upload.name or "",
            rejected=len(check.rejected),
            digest=hashlib.sha256(content).hexdigest(),
        )
    except ValidationError as error:
        attach_validation_error(form, error)
        if getattr(error, "code", None) == "repeated":
            # Imported a moment ago: the rows' report would only suggest importing them again.
            return _import_page(request, access, form, status=409)
        return _import_page(request, access, form, check, status=422)
    flash.success(
        request,
        ngettext(
            "%(count)s measure imported: %(first)s.",
            "%(count)s measures imported: %(first)s to %(last)s.",
            len(created),
        )
        % {"count": len(created), "first": created[0].code, "last": created[-1].code},
    )
    if check.rejected:
        flash.warning(
            request,
            ngettext(
                "%(count)s rejected row was left out.",
                "%(count)s rejected rows were left out.",
                len(check.rejected),
            )
            % {"count": len(check.rejected)},
        )
    return redirect("programme_page", pk=access.organisation.pk)
