"""The meetings' PDFs behind functions that return bytes: the paper pack and the besluitenlijst.
Views and the archive only wrap the bytes."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from crisisroom.boboc import PHASE_ORDER
from crisisroom.models import Crisis, Organisation, Partner
from crisisroom.roles import ROLES_FOR_TEAM, Role, TeamKind
from crisisroom.text import display_name
from formats.models import CardSet
from formats.pdf import PDF_VARIANT
from formats.teams import team_kind_for

from .models import Assignment, CrisisStakeholder, Entry, Meeting
from .record import CrisisRecord, crisis_record_read

# More of the paper pack from apps above this one (the first 72 hours' noodsteunpunten and
# allocation rules): each returns finished, escaped HTML of whole <section> elements, or "".
PaperPackSection = Callable[[Organisation, Crisis | None, bool], str]
_PAPER_PACK_SECTIONS: list[PaperPackSection] = []


def paper_pack_section_register(section: PaperPackSection) -> None:
    """Add sections to every paper pack, after "wie communiceert met wie". Called from an app's
    ready(); the same function twice is added once."""
    if section not in _PAPER_PACK_SECTIONS:
        _PAPER_PACK_SECTIONS.append(section)


LOG_SHEETS = 4
LOG_ROWS_PER_SHEET = 18
PERSONAL_SHEETS = 2


def render_paper_pack(
    *, organisation: Organisation, card_set: CardSet, crisis: Crisis | None = None
) -> bytes:
    """The paper fallback as one PDF: attention card with agenda, every role's task card,
    blank numbered log sheets and personal logbook sheets."""
    meeting_number = None
    if crisis is not None:
        latest = Meeting.objects.filter(crisis=crisis).order_by("-number").first()
        if latest is None:
            meeting_number = 1
        else:
            meeting_number = latest.number if latest.is_running else latest.number + 1
    # Only the roles of this team: a municipality runs a GBT, a company a CMT.
    team = crisis.team_kind if crisis is not None else team_kind_for(organisation)
    team_roles = ROLES_FOR_TEAM[team]
    log_sheets = [
        range(s * LOG_ROWS_PER_SHEET + 1, (s + 1) * LOG_ROWS_PER_SHEET + 1)
        for s in range(LOG_SHEETS)
    ]
    exercise = bool(crisis and crisis.is_exercise)
    with translation.override("nl"):
        extra_sections = [
            section(organisation, crisis, exercise) for section in _PAPER_PACK_SECTIONS
        ]
        html = render_to_string(
            "meetings/pdf/paper_pack.html",
            {
                "organisation": organisation,
                "crisis": crisis,
                "exercise": exercise,
                "extra_sections": [html for html in extra_sections if html],
                "meeting_number": meeting_number,
                "card": card_set.card,
                # In BOBOC order: a card's JSON keeps no order on PostgreSQL.
                "phases": [
                    (phase, card_set.card.get("phases", {}).get(phase, []))
                    for phase in PHASE_ORDER
                    if card_set.card.get("phases", {}).get(phase)
                ],
                "card_set": card_set,
                # A CMT's card speaks of its chair's challenges, never of a mayor.
                "cmt": team == TeamKind.CMT,
                "task_cards": [
                    (label, card_set.tasks[role])
                    for role, label in Role.choices
                    if card_set.tasks.get(role) and role in team_roles
                ],
                "log_sheets": log_sheets,
                "contacts": _contacts(organisation, crisis),
                "blank_contact_rows": range(6),
                "personal_sheets": range(PERSONAL_SHEETS),
                "personal_rows": range(16),
            },
        )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


@dataclass(frozen=True)
class ContactRow:
    """A line of "wie communiceert met wie" on paper."""

    name: str
    kind: str
    route: str
    keeper: str


def _contacts(organisation: Organisation, crisis: Crisis | None) -> list[ContactRow]:
    """The crisis's stakeholders with who keeps contact; before a crisis, the organisation's
    register with its default contacts."""
    if crisis is not None:
        return [
            ContactRow(
                s.partner.name,
                str(s.partner.get_kind_display()),
                s.partner.contact_route,
                display_name(s.keeper),
            )
            for s in CrisisStakeholder.objects.filter(crisis=crisis)
            .select_related("partner", "keeper")
            .order_by("partner__kind", "partner__name")
        ]
    return [
        ContactRow(
            p.name, str(p.get_kind_display()), p.contact_route, display_name(p.default_owner)
        )
        for p in Partner.objects.filter(organisation=organisation, is_active=True)
        .select_related("default_owner")
        .order_by("kind", "name")
    ]


@dataclass(frozen=True)
class DecisionRow:
    """A decision or assignment of the besluitenlijst, with what the list shows beside it."""

    entry: Entry
    meeting_number: int | None
    assignment: Assignment | None
    corrects_seq: int | None
    corrected_by_seq: int | None


def render_decision_list_pdf(*, crisis: Crisis, data: CrisisRecord | None = None) -> bytes:
    """The besluitenlijst of the whole crisis as an A4 PDF (also what the archive holds).

    ``data``: what the archive has already read, so it reads the crisis once.
    """
    with translation.override("nl"), timezone.override(settings.TIME_ZONE):
        data = data or crisis_record_read(crisis)
        assignments = {a.entry_id: a for a in data.assignments}
        # Looked up here rather than joined per row: the template then makes no queries.
        rows = [
            DecisionRow(
                entry=e,
                meeting_number=data.meeting_number.get(e.meeting_id) if e.meeting_id else None,
                assignment=assignments.get(e.pk),
                corrects_seq=data.seq_by_id.get(e.corrects_id) if e.corrects_id else None,
                corrected_by_seq=data.corrected_by.get(e.pk),
            )
            for e in data.entries
            if e.kind in (Entry.Kind.BESLUIT, Entry.Kind.OPDRACHT)
        ]
        statuses = [a.status for a in data.assignments]
        html = render_to_string(
            "meetings/pdf/decision_list.html",
            {
                "crisis": crisis,
                "rows": rows,
                "meetings": data.meetings,
                "last_seq": data.entries[-1].seq if data.entries else 0,
                "decisions": sum(1 for r in rows if r.entry.kind == Entry.Kind.BESLUIT),
                "assignments": {
                    "all": len(statuses),
                    "open": statuses.count(Assignment.Status.OPEN),
                    "done": statuses.count(Assignment.Status.DONE),
                    "dropped": statuses.count(Assignment.Status.DROPPED),
                    "superseded": statuses.count(Assignment.Status.SUPERSEDED),
                },
                "time_zone": settings.TIME_ZONE,
            },
        )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
