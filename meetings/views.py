"""The meeting screens: the chair's and logger's console, the table view, the wall screen.

One page template per route; regions that live updates refresh are partials of that page,
fetched with ``?region=<name>`` so the first render and every refresh use the same markup.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from crisisroom import roles
from crisisroom.access import crisis_for_user
from crisisroom.forms import attach_validation_error
from formats.access import personal_item_for_user
from formats.selectors import card_items

from . import selectors, services
from .access import (
    LiveTokenExpired,
    assignment_for_user,
    entry_for_user,
    live_revision_for_token,
    live_token_for_request,
    meeting_for_user,
)
from .forms import (
    AttendanceForm,
    CheckForm,
    CorrectionForm,
    EntryForm,
    NextMeetingForm,
    PhaseForm,
    ReflectionForm,
    StartMeetingForm,
)
from .models import PHASE_ORDER, STANDARD_AGENDA, EntryProposal, Meeting, Phase

LIVE_EVENT = "crisis-changed"
REGIONS = ("status", "card", "kernbeeld", "log", "assignments", "proposals")
PROJECTION_REGIONS = ("status", "log", "assignments")  # what the wall screen shows


# What a new log entry can change on a meeting screen (an assignment is an entry too).
ENTRY_REGIONS = ("log", "assignments", "proposals")


def _changed(response: HttpResponse, regions: tuple[str, ...] | None = None) -> HttpResponse:
    """Tell this screen at once that the crisis changed; other screens learn it from polling.

    With ``regions``, only those need a refresh; without, all of them.
    """
    return trigger_client_event(response, LIVE_EVENT, {"regions": list(regions)} if regions else {})


def _region_after_write(request: HttpRequest, pk: int, number: int, region: str) -> HttpResponse:
    """After a write from an htmx form: this screen's region, fresh, and the news for the rest."""
    meeting = meeting_for_user(request, pk, number)
    return _changed(_meeting_page(request, meeting, f"meetings/meeting_detail.html#{region}"))


def _back_to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("meeting_detail", pk=meeting.crisis_id, number=meeting.number)


# -- meetings of a crisis ---------------------------------------------------------------------


@require_GET
@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for_user(request, pk)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "crisis": crisis,
            "meetings": selectors.meetings_of(crisis=crisis),
            "current": selectors.meeting_current(crisis=crisis),
            "can_run": roles.RUN_MEETING in crisis.user_perms,
            "start_form": StartMeetingForm(),
        },
    )


@require_POST
@login_required
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for_user(request, pk, roles.RUN_MEETING)
    form = StartMeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A meeting lasts 5 to 240 minutes."))
        return redirect("meeting_list", pk=pk)
    minutes = form.cleaned_data["planned_minutes"]
    try:
        meeting = services.meeting_start(crisis=crisis, actor=request.user, planned_minutes=minutes)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meeting_list", pk=pk)
    return _back_to_meeting(meeting)


# -- the meeting page ------------------------------------------------------------------------


def _meeting_context(request: HttpRequest, meeting: Meeting, **extra) -> dict:
    crisis = meeting.crisis
    perms = crisis.user_perms
    can_run = roles.RUN_MEETING in perms
    can_record = roles.RECORD_ENTRY in perms
    can_decide = roles.RECORD_DECISION in perms
    open_for_work = meeting.is_running and crisis.is_active
    in_controle = meeting.phase == Phase.CONTROLE
    limit = selectors.ASSIGNMENTS_PAGE if in_controle else selectors.ASSIGNMENTS_OUTSIDE_CONTROLE
    context = {
        "crisis": crisis,
        "meeting": meeting,
        "phases": [(p, Phase(p).label) for p in PHASE_ORDER],
        "agenda": STANDARD_AGENDA,
        "card": card_items(card=meeting.card_set.card) if meeting.card_set else None,
        # Lazy: only the screens that show the card or the proposals query them.
        "card_ticks": SimpleLazyObject(
            lambda: {t.key: t for t in meeting.card_ticks.select_related("by")}
        ),
        "proposals": SimpleLazyObject(
            lambda: selectors.proposals_pending(crisis=crisis) if can_record else []
        ),
        "phase_index": PHASE_ORDER.index(meeting.phase),
        "can_run": can_run and open_for_work,
        "can_record": can_record and open_for_work,
        "can_decide": can_decide and open_for_work,
        "can_check": can_record and open_for_work,
        "can_edit_kernbeeld": (can_run or can_record) and open_for_work,
        # A running meeting shows the crisis's latest log; a closed one only its own. Lazy, like
        # the rest that one region needs and another does not: a refresh pays for its region.
        "entries": SimpleLazyObject(
            lambda: selectors.log_recent(
                crisis=crisis, meeting=None if meeting.is_running else meeting
            )
        ),
        "assignments": SimpleLazyObject(
            lambda: selectors.assignments_open(crisis=crisis, limit=limit)
        ),
        "assignments_total": SimpleLazyObject(
            lambda: selectors.assignments_open_count(crisis=crisis)
        ),
        "next_offset": limit,
        "in_controle": in_controle,
        "revision": selectors.logbook_revision(crisis=crisis),
        "live_url": reverse("live_poll", args=[live_token_for_request(request, crisis.pk)]),
        "meeting_seconds": meeting.planned_minutes * 60,
        "phase_seconds": meeting.phase_seconds(),
    }
    context.update(extra)
    return context


def _meeting_page(request, meeting, template=None, status=200, **extra):
    """The meeting page or one of its regions, with what this member's page shows: the entry
    form for those who write, the chair's panel for the chair (unless ``extra`` brings them)."""
    template = template or "meetings/meeting_detail.html"
    region = request.GET.get("region")
    if region is not None:
        if region not in REGIONS:
            raise Http404
        template = f"{template}#{region}"

    def context() -> dict:
        perms = meeting.crisis.user_perms
        if template.startswith("meetings/meeting_detail.html"):
            if perms & {roles.RECORD_ENTRY, roles.RECORD_DECISION}:
                extra.setdefault("entry_form", _entry_form(request, meeting))
            if roles.RUN_MEETING in perms and "team" not in extra:
                extra.update(_chair_panel(meeting))
        return _meeting_context(request, meeting, **extra)

    if region is not None and region in SHARED_REGIONS:
        return _shared_region(request, meeting, template, context)
    return render(request, template, context(), status=status)


# No crisis has a million open assignments; a bigger offset is not a page of this list.
MAX_OFFSET = 1_000_000

# Regions whose markup is the same for everyone with the same rights: after a new entry every
# screen at the table asks for them at once, and one render per log revision serves them.
SHARED_REGIONS = frozenset({"log", "assignments"})


def _shared_region(request, meeting: Meeting, template: str, context) -> HttpResponse:
    """Render a shared region once per (meeting, log revision, right to correct, language,
    minute).

    The key holds the database's log revision, so a worker never serves a stale region, and
    the minute, so "overdue" turns up on time. Each worker keeps its own copy: the cache saves
    work, it decides nothing.
    """
    crisis = meeting.crisis
    revision = selectors.logbook_revision(crisis=crisis)
    can_correct = roles.RECORD_ENTRY in crisis.user_perms and meeting.is_running
    key = ":".join(
        str(part)
        for part in (
            "region",
            template,
            meeting.pk,
            meeting.status,
            meeting.phase,
            crisis.status,
            revision,
            int(can_correct),
            get_language(),
            timezone.now().strftime("%Y%m%d%H%M"),
        )
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context(), request=request)
        cache.set(key, html, SHARED_REGION_SECONDS)
    return HttpResponse(html)


SHARED_REGION_SECONDS = 10 * 60


def _entry_form(request, meeting: Meeting, data=None) -> EntryForm:
    perms = meeting.crisis.user_perms
    return EntryForm(
        data,
        crisis=meeting.crisis,
        decisions_only=roles.RECORD_ENTRY not in perms,
    )


def _chair_panel(meeting: Meeting, next_form: NextMeetingForm | None = None) -> dict:
    """What only the chair's console shows: attendance, the cycle, the timeline."""
    team = selectors.meeting_team(meeting=meeting)
    return {
        "team": team,
        "absent_count": sum(1 for m in team if m.attendance_mark and not m.attendance_mark.present),
        "timeline": selectors.meeting_timeline(meeting=meeting),
        "reflection_form": ReflectionForm(),
        "next_form": next_form
        or NextMeetingForm(initial={"minutes": meeting.next_minutes or meeting.planned_minutes}),
    }


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number)
    return _meeting_page(request, meeting)


@require_GET
@login_required
def meeting_projection(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number)
    region = request.GET.get("region")
    template = "meetings/projection.html"

    def context():
        return _meeting_context(
            request,
            meeting,
            decisions=SimpleLazyObject(lambda: selectors.decisions_recent(crisis=meeting.crisis)),
        )

    if region is not None:
        if region not in PROJECTION_REGIONS:
            raise Http404
        template = f"{template}#{region}"
        if region in SHARED_REGIONS:
            return _shared_region(request, meeting, template, context)
    return render(request, template, context())


@require_GET
@login_required
def meeting_log_older(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Older entries on demand, so the console stays the same size however long the log is."""
    meeting = meeting_for_user(request, pk, number)
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        raise Http404 from None
    entries = selectors.log_recent(
        crisis=meeting.crisis,
        meeting=None if meeting.is_running else meeting,
        before_seq=before,
    )
    return render(
        request,
        "meetings/_older_entries.html",
        {
            "crisis": meeting.crisis,
            "meeting": meeting,
            "entries": entries,
            "can_record": roles.RECORD_ENTRY in meeting.crisis.user_perms
            and meeting.is_running
            and meeting.crisis.is_active,
        },
    )


@require_GET
@login_required
def meeting_assignments_more(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The next page of open assignments for Controle."""
    meeting = meeting_for_user(request, pk, number)
    try:
        offset = int(request.GET.get("offset", ""))
    except ValueError:
        raise Http404 from None
    if not 0 <= offset <= MAX_OFFSET:
        raise Http404
    crisis = meeting.crisis
    page = selectors.ASSIGNMENTS_PAGE
    return render(
        request,
        "meetings/_more_assignments.html",
        {
            "crisis": crisis,
            "meeting": meeting,
            "assignments": selectors.assignments_open(crisis=crisis, limit=page, offset=offset),
            "assignments_total": selectors.assignments_open_count(crisis=crisis),
            "next_offset": offset + page,
            "in_controle": True,
            "can_check": roles.RECORD_ENTRY in crisis.user_perms
            and meeting.is_running
            and crisis.is_active,
        },
    )


@require_POST
@login_required
def meeting_kernbeeld(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Chair and logger adjust the kernbeeld the meeting started from."""
    meeting = meeting_for_user(request, pk, number, (roles.RUN_MEETING, roles.RECORD_ENTRY))
    text = request.POST.get("kernbeeld", "")
    try:
        base = int(request.POST.get("kernbeeld_revision", ""))
    except ValueError:
        base = -1
    try:
        meeting = services.meeting_update_kernbeeld(
            meeting=meeting, actor=request.user, text=text, base_revision=base
        )
    except ValidationError as error:
        conflict = isinstance(error, services.KernbeeldConflict)
        return _meeting_page(
            request,
            meeting_for_user(request, pk, number),
            "meetings/meeting_detail.html#kernbeeld" if request.htmx else None,
            status=409 if conflict else 422,
            kernbeeld_error=" ".join(error.messages),
            kernbeeld_text=text,
            # Keep the revision the text was based on, so saving again cannot silently
            # overwrite the newer text, which is shown next to it.
            kernbeeld_base=base,
            kernbeeld_conflict=conflict,
        )
    if request.htmx:
        return _region_after_write(request, pk, number, "kernbeeld")
    messages.success(request, _("Core picture saved."))
    return _back_to_meeting(meeting)


@require_POST
@login_required
def meeting_card_tick(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The chair marks an agenda item or attention point as handled."""
    meeting = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    try:
        services.meeting_tick_card(
            meeting=meeting, key=request.POST.get("key", ""), actor=request.user
        )
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=422)
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return _region_after_write(request, pk, number, "card")
    return _back_to_meeting(meeting)


@require_POST
@login_required
def proposal_decide(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """The logger takes a personal-logbook proposal into the log, or declines it."""
    crisis = crisis_for_user(request, pk, roles.RECORD_ENTRY)
    proposal = EntryProposal.objects.filter(pk=proposal_pk, crisis=crisis).first()
    if proposal is None:
        raise Http404
    try:
        token = uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        token = uuid.uuid4()
    try:
        services.proposal_decide(
            proposal=proposal,
            actor=request.user,
            accept=request.POST.get("decision") == "accept",
            client_token=token,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    meeting = selectors.meeting_current(crisis=crisis)
    if request.htmx:
        return _changed(HttpResponse(status=204))
    if meeting is not None:
        return _back_to_meeting(meeting)
    return redirect("decision_list", pk=pk)


@require_POST
@login_required
def personal_item_propose(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The owner offers a line of their personal logbook to the logger."""
    crisis = crisis_for_user(request, pk)
    item = personal_item_for_user(request, crisis, item_pk)
    try:
        services.proposal_create(item=item, actor=request.user)
        messages.success(request, _("Offered to the logger for the official log."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("personal_logbook", pk=pk)


# -- the chair ---------------------------------------------------------------------------------


@require_POST
@login_required
def meeting_phase(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown phase."), status=400)
    try:
        meeting = services.meeting_set_phase(
            meeting=meeting, phase=form.cleaned_data["phase"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return _region_after_write(request, pk, number, "status")
    return _back_to_meeting(meeting)


@require_POST
@login_required
def meeting_reflection(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_mark_reflection(
                meeting=meeting, actor=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Reflection moment recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return _back_to_meeting(meeting)


@require_POST
@login_required
def meeting_attendance(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = AttendanceForm(request.POST, crisis=meeting.crisis)
    if form.is_valid():
        try:
            services.meeting_set_attendance(
                meeting=meeting,
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
def meeting_next(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    form = NextMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_plan_next(
                meeting=meeting,
                actor=request.user,
                next_at=form.cleaned_data["next_at"],
                minutes=form.cleaned_data["minutes"],
                input_due_at=form.cleaned_data["input_due_at"],
            )
            messages.success(request, _("The next meeting is fixed."))
            return _back_to_meeting(meeting)
        except ValidationError as error:
            attach_validation_error(form, error)
    return _meeting_page(
        request,
        meeting,
        status=422,
        entry_form=_entry_form(request, meeting),
        **_chair_panel(meeting, next_form=form),
    )


@require_POST
@login_required
def meeting_close(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number, roles.RUN_MEETING)
    services.meeting_close(meeting=meeting, actor=request.user)
    messages.success(request, _("The meeting is closed."))
    return _back_to_meeting(meeting)


# -- the log -----------------------------------------------------------------------------------


@require_POST
@login_required
def entry_create(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk, number, (roles.RECORD_ENTRY, roles.RECORD_DECISION))
    form = _entry_form(request, meeting, request.POST)
    decisions_only = roles.RECORD_ENTRY not in meeting.crisis.user_perms
    if form.is_valid():
        data = form.cleaned_data
        try:
            _record_from_form(request, meeting.crisis, meeting, data)
        except services.ReasoningMissing as error:
            attach_validation_error(form, error)
            form = _ask_once(form)
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if request.htmx:
                fresh = form.fresh(crisis=meeting.crisis, decisions_only=decisions_only)
                return _changed(_entry_form_response(request, meeting, fresh))
            return _back_to_meeting(meeting)
    if request.htmx:
        return _entry_form_response(request, meeting, form, status=422)
    return _meeting_page(request, meeting, status=422, entry_form=form)


def _record_from_form(request, crisis, meeting, data: dict, **overrides):
    """One log entry from a cleaned entry (or correction) form, as the user."""
    fields = {
        name: data[name]
        for name in (
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
    }
    return services.entry_record(
        crisis=crisis, meeting=meeting, actor=request.user, **{**fields, **overrides}
    )


def _ask_once(form: EntryForm) -> EntryForm:
    """Keep what was typed and arm the form so the next save records without reasons."""
    data = form.data.copy()
    data["without_reasoning"] = "True"
    armed = EntryForm(data, crisis=form.crisis, decisions_only=form.decisions_only)
    armed.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            armed.add_error(field if field != "__all__" else None, error)
    return armed


def _entry_form_response(request, meeting, form, status=200) -> HttpResponse:
    return render(
        request,
        "meetings/meeting_detail.html#entry-form",
        {"crisis": meeting.crisis, "meeting": meeting, "entry_form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def entry_correct(request: HttpRequest, pk: int, seq: int) -> HttpResponse:
    original = entry_for_user(request, pk, seq, roles.RECORD_ENTRY)
    crisis = original.crisis
    meeting = selectors.meeting_current(crisis=crisis)
    initial = {
        "kind": original.kind,
        "text": original.text,
        "reasoning": original.reasoning,
        "decided_by": original.decided_by,
    }
    assignment = getattr(original, "assignment", None)
    if assignment is not None:
        initial.update(
            owner=assignment.owner,
            owner_function=assignment.owner_function,
            deadline=timezone.localtime(assignment.deadline),
        )
    form = CorrectionForm(request.POST or None, crisis=crisis, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                _record_from_form(
                    request,
                    crisis,
                    meeting,
                    data,
                    without_reasoning=True,  # the original already stood without reasons
                    corrects=original,
                )
            except ValidationError as error:
                attach_validation_error(form, error)
            else:
                messages.success(request, _("Entry %(seq)d corrected.") % {"seq": original.seq})
                if meeting is not None:
                    return _back_to_meeting(meeting)
                return redirect("decision_list", pk=pk)
        status = 422
    return render(
        request,
        "meetings/entry_correct.html",
        {"crisis": crisis, "original": original, "form": form, "meeting": meeting},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def assignment_check(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Controle of one assignment: GET shows the form (in place with htmx), POST records it."""
    assignment = assignment_for_user(request, pk, assignment_pk, roles.RECORD_ENTRY)
    crisis = assignment.crisis
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
                return _changed(HttpResponse(status=204))
            messages.success(request, _("Check recorded."))
            if meeting is not None:
                return _back_to_meeting(meeting)
            return redirect("decision_list", pk=pk)
    template = "meetings/assignment_check.html"
    if request.htmx:
        template += "#check-form"
    return render(
        request,
        template,
        {"crisis": crisis, "assignment": assignment, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# -- besluitenlijst ----------------------------------------------------------------------------


@require_GET
@login_required
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for_user(request, pk)
    meeting = None
    if request.GET.get("meeting"):
        try:
            number = int(request.GET["meeting"])
        except ValueError:
            raise Http404 from None
        meeting = meeting_for_user(request, pk, number)
    return render(
        request,
        "meetings/decision_list.html",
        {
            "crisis": crisis,
            "meeting": meeting,
            "meetings": selectors.meetings_of(crisis=crisis),
            "entries": selectors.decision_list(crisis=crisis, meeting=meeting),
        },
    )


# -- live updates ------------------------------------------------------------------------------


@require_GET
def live_poll(request: HttpRequest, token: str) -> HttpResponse:
    """Has anything changed since revision ``r``? One query, and no session lookup (the token
    is bound to the session cookie by a keyed hash).

    204 when nothing changed. Otherwise the poller itself is swapped for one with the new
    revision and the page is told to refresh its live regions, each through the normal access
    check. A holder who left the team, or a token older than a day's meeting, stops polling.
    """
    try:
        revision, other_revision = live_revision_for_token(token, request)
    except LiveTokenExpired:
        return HttpResponseStopPolling()
    try:
        seen = int(request.GET.get("r", "-1"))
    except ValueError:
        seen = -1
    if seen == revision:
        return HttpResponse(status=204)
    # Rendered without the request: no session, user or CSRF lookup for a poll.
    html = render_to_string(
        "meetings/_live_poller.html", {"live_url": request.path, "revision": revision}
    )
    # Only new entries since what this screen saw: only the regions that show entries.
    regions = ENTRY_REGIONS if 0 <= other_revision <= seen < revision else None
    return _changed(HttpResponse(html), regions)


@require_POST
@login_required
def crisis_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """The closed crisis as one archive (ZIP) for the municipality's records."""
    crisis = crisis_for_user(request, pk, roles.READ_AUDIT)
    if crisis.is_active:
        messages.error(
            request, _("This crisis is still active: close it first, or export a snapshot.")
        )
        return redirect("crisis_audit", pk=crisis.pk)
    return archive_response(crisis=crisis, actor=request.user)


def archive_response(*, crisis, actor, via: str = "download") -> HttpResponse:
    """Write the archive into a download and record who took it (also used by the admin)."""
    from .archive import archive_filename, archive_record_export, write_archive

    response = HttpResponse(content_type="application/zip")
    summary = write_archive(crisis, response)
    archive_record_export(crisis=crisis, summary=summary, actor=actor, via=via)
    response["Content-Disposition"] = f'attachment; filename="{archive_filename(crisis)}"'
    response["Cache-Control"] = "private, no-store"
    return response
