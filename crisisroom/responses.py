"""Responses more than one app sends."""

from django.http import HttpResponse


def confidential_pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A confidential PDF: shown in the browser, never kept in a shared cache."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
