"""PDF rendering behind one function: a version in, bytes out. Views only wrap the bytes."""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from .models import AnalysisVersion
from .selectors import sections_with_text
from .teams import is_cmt

# Tagged PDF (PDF/UA-1): a screen reader follows headings, tables and reading order, as the
# accessibility rules for Dutch public bodies ask of documents too.
PDF_VARIANT = "pdf/ua-1"


def render_analysis_pdf(*, version: AnalysisVersion) -> bytes:
    # The header as it was at hand-over, like the content: renaming the crisis later does not
    # change what a printed version says.
    header = version.header
    # A document for the municipality: always in Dutch, whatever the requester's screen.
    with translation.override("nl"):
        html = render_to_string(
            "formats/pdf/analysis.html",
            {
                "header": header,
                "version": version,
                "sections": sections_with_text(version=version),
                # A CMT's analysis is shared by its chair: its paper never speaks of a mayor.
                "cmt": is_cmt(version.analysis.crisis),
            },
        )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
