"""PDF rendering behind one function: a version in, bytes out. Views only wrap the bytes."""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from .models import AnalysisVersion
from .selectors import sections_with_text


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
            },
        )
    return HTML(string=html).write_pdf()


LOG_SHEETS = 4
LOG_ROWS_PER_SHEET = 18
PERSONAL_SHEETS = 2


def render_paper_pack(*, organisation, card_set, crisis=None) -> bytes:
    """The paper fallback as one PDF: attention card with agenda, every role's task card,
    blank numbered log sheets and personal logbook sheets."""
    from crisisroom.roles import ROLES_FOR_TEAM, Role, TeamKind

    meeting_number = None
    if crisis is not None:
        # The reverse relation only: formats does not import the meetings app.
        numbers = crisis.meetings.order_by("-number").values_list("number", "status")
        latest = numbers.first()
        if latest is not None:
            meeting_number = latest[0] if latest[1] == "running" else latest[0] + 1
        else:
            meeting_number = 1
    # Only the roles of this team: a municipality runs a GBT, a company a CMT.
    team = (
        crisis.team_kind
        if crisis is not None
        else (TeamKind.GBT if organisation.kind == "municipality" else TeamKind.CMT)
    )
    team_roles = ROLES_FOR_TEAM[team]
    log_sheets = [
        range(s * LOG_ROWS_PER_SHEET + 1, (s + 1) * LOG_ROWS_PER_SHEET + 1)
        for s in range(LOG_SHEETS)
    ]
    with translation.override("nl"):
        html = render_to_string(
            "formats/pdf/paper_pack.html",
            {
                "organisation": organisation,
                "crisis": crisis,
                "exercise": bool(crisis and crisis.is_exercise),
                "meeting_number": meeting_number,
                "card": card_set.card,
                "card_set": card_set,
                "task_cards": [
                    (label, card_set.tasks[role])
                    for role, label in Role.choices
                    if card_set.tasks.get(role) and role in team_roles
                ],
                "log_sheets": log_sheets,
                "personal_sheets": range(PERSONAL_SHEETS),
                "personal_rows": range(16),
            },
        )
    return HTML(string=html).write_pdf()
