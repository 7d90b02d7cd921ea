"""What the chair (and, for the kernbeeld, the logger) changes on a running meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisroom import roles
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from .. import services
from ..access import meeting_for_user
from ..forms import AttendanceForm, KernbeeldForm, NextMeetingForm, PhaseForm, ReflectionForm
from .live import changed
from .meeting import back_to_meeting
from .regions import chair_panel, detail_page


def region_after_write(
    request: AuthenticatedRequest, pk: int, number: int, region: str
) -> HttpResponse:
    """After a write from an htmx form: this screen's region, fresh, and the news for the rest."""
    return changed(detail_page(request, meeting_for_user(request, pk, number), region=region))


@require_POST
@login_required
def meeting_kernbeeld(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """Chair and logger adjust the kernbeeld the meeting started from."""
    access = meeting_for_user(request, pk, number, (roles.RUN_MEETING, roles.RECORD_ENTRY))
    form = KernbeeldForm(request.POST)
    base = form.base_revision()
    try:
        services.meeting_update_kernbeeld(
            meeting=access.meeting, actor=request.user, text=form.text(), base_revision=base
        )
    except ValidationError as error:
        conflict = isinstance(error, services.KernbeeldConflict)
        return detail_page(
            request,
            meeting_for_user(request, pk, number),
            region="kernbeeld" if request.htmx else None,
            status=409 if conflict else 422,
            kernbeeld_error=" ".join(error.messages),
            kernbeeld_text=form.text(),
            # Keep the revision the text was based on, so saving again cannot silently
            # overwrite the newer text, which is shown next to it.
            kernbeeld_base=base,
            kernbeeld_conflict=conflict,
        )
    if request.htmx:
        return region_after_write(request, pk, number, "kernbeeld")
    messages.success(request, _("Core picture saved."))
    return back_to_meeting(access.meeting)


@require_POST
@login_required
def meeting_card_tick(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """The chair marks an agenda item or attention point as handled."""
    access = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    try:
        services.meeting_tick_card(
            meeting=access.meeting, key=request.POST.get("key", ""), actor=request.user
        )
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=422)
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return region_after_write(request, pk, number, "card")
    return back_to_meeting(access.meeting)


@require_POST
@login_required
def meeting_phase(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown phase."), status=400)
    try:
        services.meeting_set_phase(
            meeting=access.meeting, phase=form.cleaned_data["phase"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return region_after_write(request, pk, number, "status")
    return back_to_meeting(access.meeting)


@require_POST
@login_required
def meeting_reflection(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_mark_reflection(
                meeting=access.meeting, actor=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Reflection moment recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return back_to_meeting(access.meeting)


@require_POST
@login_required
def meeting_attendance(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = AttendanceForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        try:
            services.meeting_set_attendance(
                meeting=access.meeting,
                actor=request.user,
                user=form.cleaned_data["user"],
                present=form.cleaned_data["present"],
                delegate=form.cleaned_data["delegate"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a member of the team."))
    return redirect(reverse("meeting_detail", args=[pk, number]) + "#attendance")


@require_POST
@login_required
def meeting_next(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = NextMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_plan_next(
                meeting=access.meeting,
                actor=request.user,
                next_at=form.cleaned_data["next_at"],
                minutes=form.cleaned_data["minutes"],
                input_due_at=form.cleaned_data["input_due_at"],
            )
            messages.success(request, _("The next meeting is fixed."))
            return back_to_meeting(access.meeting)
        except ValidationError as error:
            attach_validation_error(form, error)
    return detail_page(request, access, status=422, **chair_panel(access, next_form=form))


@require_POST
@login_required
def meeting_close(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    meeting = access.meeting
    # The cycle goes on: closing asks for the next meeting, or a deliberate "no follow-up".
    if meeting.is_running and meeting.next_at is None and request.POST.get("no_follow_up") != "1":
        messages.error(
            request,
            _("Fix the next meeting first, or choose that there is no follow-up meeting."),
        )
        return redirect(reverse("meeting_detail", args=[pk, number]) + "#next-meeting")
    services.meeting_close(meeting=meeting, actor=request.user)
    messages.success(request, _("The meeting is closed."))
    return back_to_meeting(meeting)
