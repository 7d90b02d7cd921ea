"""The meetings of a crisis and the meeting screens: the console, the wall screen, and the
pieces they load on demand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom import roles
from crisisroom.access import crisis_for_user
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from formats.selectors import diff_html

from .. import selectors, services
from ..access import meeting_for_user
from ..forms import PaperMeetingForm, StartMeetingForm
from ..models import Meeting
from .regions import detail_page, projection_page

# No crisis has a million open assignments; a bigger offset is not a page of this list.
MAX_OFFSET = 1_000_000


def back_to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("meeting_detail", pk=meeting.crisis_id, number=meeting.number)


def _int_param(request: AuthenticatedRequest, name: str) -> int:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        raise Http404 from None


@require_GET
@login_required
def meeting_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk)
    crisis = access.crisis
    start = selectors.kernbeeld_start(crisis=crisis)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "access": access,
            "crisis": crisis,
            "meetings": selectors.meetings_of(crisis=crisis),
            "current": selectors.meeting_current(crisis=crisis),
            "can_run": access.can_run,
            "start": start,
            "start_form": StartMeetingForm.for_crisis(crisis, start),
        },
    )


@require_POST
@login_required
def meeting_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    crisis = crisis_for_user(request, pk, roles.RUN_MEETING).crisis
    form = StartMeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A meeting lasts 5 to 240 minutes."))
        return redirect("meeting_list", pk=pk)
    try:
        meeting = services.meeting_start(
            crisis=crisis,
            actor=request.user,
            planned_minutes=form.cleaned_data["planned_minutes"],
            kernbeeld_from=form.cleaned_data["kernbeeld_from"] or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meeting_list", pk=pk)
    return back_to_meeting(meeting)


@require_GET
@login_required
def meeting_detail(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number)
    return detail_page(request, access, region=request.GET.get("region"))


@require_GET
@login_required
def meeting_projection(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number)
    return projection_page(request, access, region=request.GET.get("region"))


@require_GET
@login_required
def meeting_log_older(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """Older entries on demand, so the console stays the same size however long the log is."""
    access = meeting_for_user(request, pk, number)
    meeting = access.meeting
    entries = selectors.log_recent(
        crisis=access.crisis,
        meeting=None if meeting.is_running else meeting,
        before_seq=_int_param(request, "before"),
    )
    return render(
        request,
        "meetings/_older_entries.html",
        {
            "crisis": access.crisis,
            "meeting": meeting,
            "entries": entries,
            "can_record": access.can_record and meeting.is_running and access.crisis.is_active,
        },
    )


@require_GET
@login_required
def meeting_assignments_more(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """The next page of open assignments for Controle."""
    access = meeting_for_user(request, pk, number)
    offset = _int_param(request, "offset")
    if not 0 <= offset <= MAX_OFFSET:
        raise Http404
    crisis, page = access.crisis, selectors.ASSIGNMENTS_PAGE
    return render(
        request,
        "meetings/_more_assignments.html",
        {
            "crisis": crisis,
            "meeting": access.meeting,
            "assignments": selectors.assignments_open(crisis=crisis, limit=page, offset=offset),
            "assignments_total": selectors.assignments_open_count(crisis=crisis),
            "next_offset": offset + page,
            "in_controle": True,
            "can_check": access.can_record and access.meeting.is_running and crisis.is_active,
        },
    )


@require_GET
@login_required
def meeting_kernbeeld_history(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """Every version of the meeting's kernbeeld, newest first, each against the one before."""
    access = meeting_for_user(request, pk, number)
    versions = list(selectors.kernbeeld_versions(meeting=access.meeting))
    rows = [
        {
            "version": version,
            "diff": diff_html(versions[i + 1].text if i + 1 < len(versions) else "", version.text),
        }
        for i, version in enumerate(versions)
    ]
    return render(
        request,
        "meetings/kernbeeld_history.html",
        {"access": access, "crisis": access.crisis, "meeting": access.meeting, "rows": rows},
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_on_paper(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record a meeting that was held on paper; then type its entries in, as written."""
    access = crisis_for_user(request, pk, (roles.RUN_MEETING, roles.RECORD_ENTRY))
    form = PaperMeetingForm(request.POST or None, crisis=access.crisis)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record_on_paper(
                crisis=access.crisis,
                actor=request.user,
                started_at=form.cleaned_data["started_at"],
                ended_at=form.cleaned_data["ended_at"],
                planned_minutes=form.cleaned_data["planned_minutes"],
                phases=form.phases(),
                absent=list(form.cleaned_data["absent"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Meeting %(n)d recorded as held on paper. Type in its entries with their time.")
                % {"n": meeting.number},
            )
            return back_to_meeting(meeting)
    return render(
        request,
        "meetings/meeting_on_paper.html",
        {"access": access, "crisis": access.crisis, "form": form},
        status=422 if request.method == "POST" else 200,
    )
