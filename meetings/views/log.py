"""The crisis log: recording an entry, correcting one, the Controle of an assignment, and the
besluitenlijst."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom import roles
from crisisroom.access import crisis_for_user
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.models import Crisis

from .. import selectors, services
from ..access import MeetingAccess, assignment_for_user, entry_for_user, meeting_for_user
from ..forms import CheckForm, CorrectionForm, EntryForm
from ..models import Entry, Meeting
from .live import ENTRY_REGIONS, changed
from .meeting import back_to_meeting
from .regions import detail_page, entry_form_for

ENTRY_FIELDS = (
    "kind",
    "text",
    "client_token",
    "reasoning",
    "decided_by",
    "without_reasoning",
    "owner",
    "owner_function",
    "deadline",
    "occurred_at",
)


def _record_from_form(
    request: AuthenticatedRequest,
    crisis: Crisis,
    meeting: Meeting | None,
    data: dict[str, Any],
    **overrides: Any,
) -> Entry:
    """One log entry from a cleaned entry (or correction) form, as the user."""
    fields = {name: data[name] for name in ENTRY_FIELDS}
    return services.entry_record(
        crisis=crisis, meeting=meeting, actor=request.user, **{**fields, **overrides}
    )


def _ask_once(form: EntryForm) -> EntryForm:
    """Keep what was typed and arm the form so the next save records without reasons."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["without_reasoning"] = "True"
    armed = EntryForm(data, crisis=form.crisis, decisions_only=form.decisions_only)
    armed.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            armed.add_error(field if field != "__all__" else None, error)
    return armed


def _entry_form_response(
    request: AuthenticatedRequest, access: MeetingAccess, form: EntryForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "meetings/meeting_detail.html#entry-form",
        {"crisis": access.crisis, "meeting": access.meeting, "entry_form": form},
        status=status,
    )


@require_POST
@login_required
def entry_create(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = meeting_for_user(request, pk, number, (roles.RECORD_ENTRY, roles.RECORD_DECISION))
    form = entry_form_for(access, request.POST)
    if form.is_valid():
        try:
            _record_from_form(request, access.crisis, access.meeting, form.cleaned_data)
        except services.ReasoningMissing as error:
            attach_validation_error(form, error)
            form = _ask_once(form)
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if request.htmx:
                fresh = form.fresh(crisis=access.crisis, decisions_only=form.decisions_only)
                # Only entries changed: this screen refreshes the entry regions, as all do.
                return changed(_entry_form_response(request, access, fresh), ENTRY_REGIONS)
            return back_to_meeting(access.meeting)
    if request.htmx:
        return _entry_form_response(request, access, form, status=422)
    return detail_page(request, access, status=422, entry_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def entry_correct(request: AuthenticatedRequest, pk: int, seq: int) -> HttpResponse:
    access = entry_for_user(request, pk, seq, roles.RECORD_ENTRY)
    crisis, original = access.crisis, access.entry
    meeting = selectors.meeting_current(crisis=crisis)
    form = CorrectionForm.from_entry(original, request.POST or None, crisis=crisis)
    if request.method == "POST" and form.is_valid():
        try:
            _record_from_form(
                request,
                crisis,
                meeting,
                form.cleaned_data,
                without_reasoning=True,  # the original already stood without reasons
                corrects=original,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Entry %(seq)d corrected.") % {"seq": original.seq})
            if meeting is not None:
                return back_to_meeting(meeting)
            return redirect("decision_list", pk=pk)
    return render(
        request,
        "meetings/entry_correct.html",
        {
            "access": access,
            "crisis": crisis,
            "original": original,
            "form": form,
            "meeting": meeting,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def assignment_check(request: AuthenticatedRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Controle of one assignment: GET shows the form (in place with htmx), POST records it."""
    access = assignment_for_user(request, pk, assignment_pk, roles.RECORD_ENTRY)
    crisis, assignment = access.crisis, access.assignment
    meeting = selectors.meeting_current(crisis=crisis)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_check(
                assignment=assignment,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                remark=form.cleaned_data["remark"],
                new_deadline=form.cleaned_data["new_deadline"],
                client_token=form.cleaned_data["client_token"],
                meeting=meeting,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if request.htmx:
                return changed(HttpResponse(status=204))
            messages.success(request, _("Check recorded."))
            if meeting is not None:
                return back_to_meeting(meeting)
            return redirect("decision_list", pk=pk)
    template = "meetings/assignment_check.html"
    if request.htmx:
        template += "#check-form"
    return render(
        request,
        template,
        {"access": access, "crisis": crisis, "assignment": assignment, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def decision_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The besluitenlijst of the whole crisis, or of one meeting (``?meeting=N``)."""
    access = crisis_for_user(request, pk)
    meeting = None
    if request.GET.get("meeting"):
        try:
            number = int(request.GET["meeting"])
        except ValueError:
            raise Http404 from None
        meeting = meeting_for_user(request, pk, number).meeting
    return render(
        request,
        "meetings/decision_list.html",
        {
            "access": access,
            "crisis": access.crisis,
            "meeting": meeting,
            "meetings": selectors.meetings_of(crisis=access.crisis),
            "entries": selectors.decision_list(crisis=access.crisis, meeting=meeting),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def entry_between(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The log between meetings: a decision taken by phone, an assignment, a fact, recorded in
    the crisis log without a meeting; the next meeting's Controle and "what changed" show it.
    Also where a line goes that was typed while the meeting was being closed."""
    access = crisis_for_user(request, pk, (roles.RECORD_ENTRY, roles.RECORD_DECISION))
    crisis = access.crisis
    form = EntryForm(request.POST or None, crisis=crisis, decisions_only=not access.can_record)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _record_from_form(request, crisis, None, form.cleaned_data)
        except services.ReasoningMissing as error:
            attach_validation_error(form, error)
            form = _ask_once(form)
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            form = form.fresh(crisis=crisis, decisions_only=form.decisions_only)
    status = 422 if request.method == "POST" and saved is None else 200
    context = {
        "access": access,
        "crisis": crisis,
        "entry_form": form,
        "saved": saved,
        "between": True,
        "entries": selectors.log_between(crisis=crisis),
    }
    if request.htmx:
        response = render(request, "meetings/log_between.html#entry-form", context, status=status)
        return changed(response) if saved else response
    return render(request, "meetings/log_between.html", context, status=status)
