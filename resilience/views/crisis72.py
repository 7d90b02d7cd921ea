"""The first 72 hours in a crisis: the affected area and what it holds, the noodsteunpunten's
live status, requests for scarce goods and the allocation decisions that cite the rule; and the
mayor's overview of what the organisation's open crises claim of the same goods (samenloop).

The crisis page is live like the meeting screens: its regions refresh when the crisis changes
(a status set on another screen, a request, a decision)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom import roles
from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from meetings.access import live_token_for_request
from meetings.selectors import logbook_revision

from .. import selectors, services
from ..access import resilience_for_user
from ..forms.crisis72 import (
    AffectedAreaForm,
    DecisionForm,
    PointStatusForm,
    RefuseForm,
    RequestForm,
)
from ..models import AllocationRequest, EmergencyPoint, PointStatus
from ..selectors.crisis72 import (
    LocationRow,
    RequestRow,
    point_status_line,
    with_exercise_status,
)
from .first72_map import allow_map_tiles, map_context

TEMPLATE = "resilience/first72/crisis/page.html"
AREA_TEMPLATE = "resilience/first72/crisis/area.html"
REFUSE_TEMPLATE = "resilience/first72/crisis/refuse.html"
STATUS_PERMS = (roles.RUN_MEETING, roles.RECORD_ENTRY, roles.HANDLE_MESSAGES)
MARK_PERMS = (roles.RUN_MEETING, roles.RECORD_ENTRY)

Context = dict[str, Any]


def _rights(access: CrisisAccess) -> Context:
    active = access.crisis.is_active
    return {
        "can_mark": active and access.has(*MARK_PERMS),
        "can_set_status": active and access.has(*STATUS_PERMS),
        "can_request": active and access.has(*STATUS_PERMS),
        "can_decide": active and access.has(roles.RECORD_DECISION),
        "can_analyse": active and access.has(roles.WRITE_ANALYSIS),
    }


def _page_context(request: AuthenticatedRequest, access: CrisisAccess) -> Context:
    crisis = access.crisis
    return {
        "access": access,
        "crisis": crisis,
        "revision": logbook_revision(crisis=crisis),
        "live_url": reverse("live_poll", args=[live_token_for_request(request, crisis.pk)]),
        "page_url": reverse("crisis_first72", args=[crisis.pk]),
        **_rights(access),
    }


def _location_rows(rows: list[LocationRow]) -> SafeString:
    """The rows of the table of vulnerable locations. Hundreds of them: built with format_html
    (every value escaped) rather than through the template engine, which took most of the
    page's time at municipal scale."""
    dash = "—"
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td class="num">{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        (
            (
                row.name,
                row.kind_label,
                row.district.name,
                dash if row.people is None else number_format(row.people),
                row.dependencies_text or dash,
                row.partner_name or dash,
            )
            for row in rows
        ),
    )


def _point_rows(
    request: AuthenticatedRequest,
    access: CrisisAccess,
    points: list[EmergencyPoint],
    *,
    can_set_status: bool,
    exercise: bool,
) -> SafeString:
    """The rows of a table of noodsteunpunten, each with its live status and, for who may set
    it, a small form that carries the status shown (a change made meanwhile is refused). Built
    with format_html like the locations: every value escaped."""
    token = get_token(request)
    badge = (
        format_html('<span class="badge badge-exercise">{}</span> ', "OEFENING") if exercise else ""
    )
    choices = [(value, str(label)) for value, label in PointStatus.choices]
    options = {
        current: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, " selected" if value == current else "", label) for value, label in choices),
        )
        for current, _label in choices
    }
    note_placeholder = _("note (optional)")
    set_label = _("Set")
    rows = []
    for p in points:
        form = ""
        if can_set_status:
            form = format_html(
                '<td><form method="post" action="{}" class="first72-status-form">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="shown" value="{}">'
                '<label for="status-{}" class="visually-hidden">{}</label>'
                '<select id="status-{}" name="status">{}</select>'
                '<label for="note-{}" class="visually-hidden">{}</label>'
                '<input type="text" id="note-{}" name="note" maxlength="300" placeholder="{}">'
                '<button type="submit">{}<span class="visually-hidden"> {}</span></button>'
                "</form></td>",
                reverse("crisis_first72_point_status", args=[access.crisis.pk, p.pk]),
                token,
                p.status,
                p.pk,
                _("New status of %(name)s") % {"name": p.name},
                p.pk,
                options.get(p.status, options[PointStatus.GESLOTEN]),
                p.pk,
                _("Note with the status of %(name)s (optional)") % {"name": p.name},
                p.pk,
                note_placeholder,
                set_label,
                p.name,
            )
        rows.append(
            format_html(
                '<tr data-point="{}"><th scope="row">{}<br><span class="muted">{}</span></th>'
                "<td>{}</td>"
                '<td class="point-status status-{}" data-testid="point-status-{}">{}'
                "<strong>{}</strong></td>"
                '<td class="num">{}</td><td>{}</td>{}</tr>',
                p.pk,
                p.name,
                p.address,
                p.district.name if p.district else "—",
                p.status,
                p.pk,
                badge,
                point_status_line(p),
                p.capacity,
                p.key_holder,
                form,
            )
        )
    # Joined parts each built by format_html, so already escaped.
    return SafeString("".join(rows))  # nosec B308 B703  # noqa: S308


def _points(
    request: AuthenticatedRequest, access: CrisisAccess, summary: selectors.AffectedSummary
) -> Context:
    in_area = set(summary.covered_ids)
    others = list(
        EmergencyPoint.objects.filter(organisation=access.crisis.organisation, is_active=True)
        .exclude(district_id__in=in_area)
        .select_related("status_by", "district")
        .defer("district__outline")
        .order_by("name")
    )
    if summary.exercise:
        # In an exercise each point shows its status within the exercise, never the real one.
        with_exercise_status(others, summary.exercise_statuses)
    can_set = _rights(access)["can_set_status"]
    return {
        "point_count": len(summary.points),
        "other_point_count": len(others),
        "point_rows": _point_rows(
            request, access, summary.points, can_set_status=can_set, exercise=summary.exercise
        ),
        "other_point_rows": _point_rows(
            request, access, others, can_set_status=can_set, exercise=summary.exercise
        ),
    }


def _region_affected(request: AuthenticatedRequest, access: CrisisAccess) -> Context:
    summary = selectors.affected_summary(crisis=access.crisis)
    return {"summary": summary, "location_rows": _location_rows(summary.locations)}


def _region_points(request: AuthenticatedRequest, access: CrisisAccess) -> Context:
    summary = selectors.affected_summary(crisis=access.crisis)
    return {"summary": summary, **_points(request, access, summary)}


def _region_requests(request: AuthenticatedRequest, access: CrisisAccess) -> Context:
    return {"request_rows": selectors.requests_open(crisis=access.crisis)}


REGIONS = {
    "affected": _region_affected,
    "points": _region_points,
    "requests": _region_requests,
}


def _marking(request: AuthenticatedRequest, access: CrisisAccess) -> Context:
    """The districts to mark, grouped by wijk; a filter text narrows them (without script)."""
    needle = (request.GET.get("gebied") or request.POST.get("gebied") or "").strip()[:60]
    groups = selectors.districts_for_marking(crisis=access.crisis)
    if needle:
        low = needle.lower()
        filtered = []
        for group in groups:
            wijk_hit = group.wijk is not None and (
                low in group.wijk.district.name.lower() or low in group.wijk.district.code.lower()
            )
            buurten = [
                c
                for c in group.buurten
                if wijk_hit or low in c.district.name.lower() or low in c.district.code.lower()
            ]
            if wijk_hit or buurten:
                group.buurten = buurten
                filtered.append(group)
        groups = filtered
    return {"district_groups": groups, "area_filter": needle}


def _page(
    request: AuthenticatedRequest, access: CrisisAccess, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _page_context(request, access)
    region = request.GET.get("region")
    if region is not None:
        if region not in REGIONS:
            raise Http404
        context |= REGIONS[region](request, access)
        return render(request, f"{TEMPLATE}#{region}", context)
    summary = selectors.affected_summary(crisis=access.crisis)
    context |= {
        "summary": summary,
        "location_rows": _location_rows(summary.locations),
        **_points(request, access, summary),
        **_region_requests(request, access),
    }
    crisis = access.crisis
    if summary.has_districts:
        # The affected area on the map, as it is when the page opens (the lists stay live).
        # In an exercise the map shows each point's status within the exercise (closed until
        # set there), never the real one: every point of the area is given, already overlaid.
        overrides = {p.pk: p.status for p in summary.points} if summary.exercise else None
        context["affected_map"] = map_context(
            organisation=crisis.organisation,
            district_ids=summary.covered_ids,
            status_overrides=overrides,
        )
    if context["can_request"]:
        context.setdefault("request_form", RequestForm(crisis=crisis))
    if context["can_decide"]:
        context.setdefault("decision_form", DecisionForm(crisis=crisis, user=request.user))
    context |= extra
    return allow_map_tiles(render(request, TEMPLATE, context, status=status))


def _area_page(
    request: AuthenticatedRequest, access: CrisisAccess, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "access": access,
        "crisis": access.crisis,
        "page_url": reverse("crisis_first72", args=[access.crisis.pk]),
        **_marking(request, access),
        **extra,
    }
    return render(request, AREA_TEMPLATE, context, status=status)


def _back(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("crisis_first72", args=[pk]) + f"#{anchor}")


@require_GET
@login_required
def crisis_first72(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk)
    return _page(request, access)


@require_http_methods(["GET", "POST"])
@login_required
def crisis_first72_area(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark the affected area: its own page, so the crisis page stays light (200 districts)."""
    access = crisis_for_user(request, pk, MARK_PERMS)
    if request.method == "GET":
        if not access.crisis.is_active:
            messages.info(request, _("This crisis is closed: nothing can be added any more."))
            return _back(pk, "region-affected")
        return _area_page(request, access)
    form = AffectedAreaForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        checked = set(form.cleaned_data["districts"])
        shown = set(form.cleaned_data["shown"])
        try:
            change = services.affected_area_change(
                crisis=access.crisis,
                actor=request.user,
                add=checked - shown,
                remove=shown - checked,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if change.changed:
                messages.success(
                    request,
                    _("Affected area changed: %(added)d marked, %(removed)d unmarked.")
                    % {"added": len(change.added), "removed": len(change.removed)},
                )
            else:
                messages.info(request, _("Nothing changed in the affected area."))
            return _back(pk, "region-affected")
    return _area_page(request, access, status=422, area_errors=form.errors)


@require_POST
@login_required
def crisis_first72_point_status(
    request: AuthenticatedRequest, pk: int, point_pk: int
) -> HttpResponse:
    access = crisis_for_user(request, pk, STATUS_PERMS)
    point = get_object_or_404(EmergencyPoint, pk=point_pk, organisation=access.crisis.organisation)
    form = PointStatusForm(request.POST)
    error_text = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        label = dict(PointStatus.choices)[status]
        try:
            change = services.point_status_set(
                point=point,
                status=status,
                actor=request.user,
                crisis=access.crisis,
                note=form.cleaned_data["note"],
                shown=form.cleaned_data["shown"] or None,
            )
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            if change is None:
                messages.info(
                    request,
                    _("%(point)s already has the status “%(status)s”.")
                    % {"point": point.name, "status": label},
                )
            else:
                messages.success(
                    request,
                    _("%(point)s: status is now “%(status)s”.")
                    % {"point": point.name, "status": label},
                )
            return _back(pk, "region-points")
    else:
        error_text = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _page(request, access, status=422, point_error=(point.pk, error_text))


@require_POST
@login_required
def crisis_first72_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, STATUS_PERMS)
    form = RequestForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.allocation_request_record(
                crisis=access.crisis,
                actor=request.user,
                good=data["good"],
                description=data["description"],
                client_token=data["client_token"],
                quantity=data["quantity"],
                point=data["point"],
                partner=data["partner"],
                requester=data["requester"],
                needed_by=data["needed_by"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Request V%(number)d recorded.") % {"number": made.number})
            return _back(pk, "region-requests")
    return _page(request, access, status=422, request_form=form)


@require_POST
@login_required
def crisis_first72_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, roles.RECORD_DECISION)
    form = DecisionForm(request.POST, crisis=access.crisis, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        how = data["how"]
        try:
            decision = services.allocation_decide(
                crisis=access.crisis,
                actor=request.user,
                good=data["good"],
                quantity=data["quantity"],
                recipient=data["recipient"],
                requests=list(data["requests"]),
                rule_version=None if how == DecisionForm.NO_RULE else data["rule_version"],
                follows_rule=how == DecisionForm.FOLLOWS,
                deviation_reasons=data["deviation_reasons"],
                reasons=data["reasons"],
                decided_by=data["decided_by"],
                client_token=data["client_token"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Decision %(seq)d recorded in the log: %(text)s")
                % {"seq": decision.entry.seq, "text": decision.entry.text},
            )
            return _back(pk, "region-requests")
    return _page(request, access, status=422, decision_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def crisis_first72_refuse(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """Refuse a request, with reasons: a page of its own, outside the live regions, so what is
    typed is never replaced by a refresh of the list of requests."""
    access = crisis_for_user(request, pk, roles.RECORD_DECISION)
    allocation_request = get_object_or_404(
        AllocationRequest.objects.select_related("good", "point", "partner"),
        crisis=access.crisis,
        number=number,
    )
    if request.method == "GET":
        form = RefuseForm()
        status = 200
    else:
        form = RefuseForm(request.POST)
        if form.is_valid():
            try:
                entry = services.allocation_refuse(
                    crisis=access.crisis,
                    actor=request.user,
                    request=allocation_request,
                    reasons=form.cleaned_data["reasons"],
                    client_token=form.cleaned_data["client_token"],
                )
            except ValidationError as error:
                attach_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Request V%(number)d refused; decision %(seq)d recorded in the log.")
                    % {"number": number, "seq": entry.seq},
                )
                return _back(pk, "region-requests")
        status = 422
    return render(
        request,
        REFUSE_TEMPLATE,
        {
            "access": access,
            "crisis": access.crisis,
            "row": RequestRow(
                allocation_request,
                overdue=allocation_request.needed_by is not None
                and allocation_request.needed_by < timezone.now(),
            ),
            "form": form,
        },
        status=status,
    )


@require_POST
@login_required
def crisis_first72_to_analysis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, roles.WRITE_ANALYSIS)
    try:
        appended = services.affected_into_analysis(crisis=access.crisis, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(pk, "region-affected")
    if appended:
        messages.success(
            request, _("The affected area was added to the impact section of the analysis draft.")
        )
    else:
        messages.info(request, _("This summary is already in the analysis draft."))
    return _back(pk, "region-affected")


# -- samenloop ---------------------------------------------------------------------------------


@require_GET
@login_required
def samenloop(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    return render(
        request,
        "resilience/first72/crisis/samenloop.html",
        {
            "access": access,
            "organisation": access.organisation,
            "overview": selectors.samenloop_overview(
                organisation=access.organisation, user=request.user
            ),
        },
    )
