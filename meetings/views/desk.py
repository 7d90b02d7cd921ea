"""The berichtenmanager's desk: register messages in and out, route them, handle them, take
them into the log; the chair approves outgoing ones. The desk is live like the meeting."""

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom import roles
from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from .. import selectors, services
from ..access import MessageAccess, live_token_for_request, message_for_user
from ..forms import HandleForm, MessageForm, MessageLogForm, RouteForm
from ..models import Message
from .live import changed

SHOW = ("all", "open", "mine")
DESK_REGIONS = ("messages",)


def _show(request: AuthenticatedRequest) -> str:
    show = request.GET.get("toon", "open")
    return show if show in SHOW else "open"


def _desk_context(request: AuthenticatedRequest, access: CrisisAccess) -> dict[str, Any]:
    crisis, show = access.crisis, _show(request)
    return {
        "access": access,
        "crisis": crisis,
        "show": show,
        "message_list": selectors.messages_of(crisis=crisis, show=show, user=request.user),
        "open_count": selectors.messages_open_count(crisis=crisis),
        "can_handle": access.has(roles.HANDLE_MESSAGES) and crisis.is_active,
        "revision": selectors.logbook_revision(crisis=crisis),
        "live_url": reverse("live_poll", args=[live_token_for_request(request, crisis.pk)]),
    }


def _desk_page(
    request: AuthenticatedRequest,
    access: CrisisAccess,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    region = request.GET.get("region")
    context = _desk_context(request, access)
    if region is not None:
        if region not in DESK_REGIONS:
            raise Http404
        return render(request, f"meetings/desk.html#{region}", context)
    if context["can_handle"]:
        context["form"] = form or MessageForm(crisis=access.crisis)
    return render(request, "meetings/desk.html", context, status=status)


@require_GET
@login_required
def desk(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _desk_page(request, crisis_for_user(request, pk))


@require_POST
@login_required
def message_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, roles.HANDLE_MESSAGES)
    form = MessageForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        try:
            message = services.message_record(
                crisis=access.crisis, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if request.htmx:
                return changed(
                    render(
                        request,
                        "meetings/desk.html#message-form",
                        {**_desk_context(request, access), "form": form.fresh()},
                    )
                )
            flash.success(request, _("Message %(seq)d registered.") % {"seq": message.seq})
            return redirect("desk", pk=pk)
    if request.htmx:
        return render(
            request,
            "meetings/desk.html#message-form",
            {**_desk_context(request, access), "form": form},
            status=422,
        )
    return _desk_page(request, access, form=form, status=422)


def _detail(
    request: AuthenticatedRequest, access: MessageAccess, status: int = 200, **forms: Any
) -> HttpResponse:
    crisis, message = access.crisis, access.message
    may_handle = crisis.is_active and (access.has(roles.HANDLE_MESSAGES) or access.is_addressee)
    context = {
        "access": access,
        "crisis": crisis,
        "message": message,
        "may_handle": may_handle and message.is_open,
        "may_log": crisis.is_active
        and message.is_open
        and message.direction == Message.Direction.IN
        and access.has(roles.HANDLE_MESSAGES, roles.RECORD_ENTRY),
        "may_route": crisis.is_active and message.is_open and access.has(roles.HANDLE_MESSAGES),
        "may_approve": crisis.is_active
        and message.status == Message.Status.AWAITING_APPROVAL
        and access.has(roles.APPROVE_MESSAGES),
        "may_correct": crisis.is_active
        and message.status != Message.Status.CORRECTED
        and access.has(roles.HANDLE_MESSAGES),
        "handle_form": forms.get("handle_form") or HandleForm(),
        "log_form": forms.get("log_form") or MessageLogForm(crisis=crisis),
        "route_form": forms.get("route_form")
        or RouteForm(crisis=crisis, initial={"routed_to": message.routed_to}),
    }
    return render(request, "meetings/message_detail.html", context, status=status)


def _after_write(message: Message, text: str, request: AuthenticatedRequest) -> HttpResponse:
    flash.success(request, text)
    return redirect("message_detail", pk=message.crisis_id, message_seq=message.seq)


@require_GET
@login_required
def message_detail(request: AuthenticatedRequest, pk: int, message_seq: int) -> HttpResponse:
    return _detail(request, message_for_user(request, pk, message_seq))


@require_POST
@login_required
def message_handle(request: AuthenticatedRequest, pk: int, message_seq: int) -> HttpResponse:
    """The addressee or the berichtenmanager closes an incoming message."""
    access = message_for_user(request, pk, message_seq)
    if not (access.has(roles.HANDLE_MESSAGES) or access.is_addressee):
        raise PermissionDenied(_("Only the addressee or the message manager handles this."))
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_handle(
                message=access.message, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            return _after_write(message, message.get_status_display(), request)
    return _detail(request, access, status=422, handle_form=form)


@require_POST
@login_required
def message_to_log(request: AuthenticatedRequest, pk: int, message_seq: int) -> HttpResponse:
    access = message_for_user(request, pk, message_seq, (roles.HANDLE_MESSAGES, roles.RECORD_ENTRY))
    form = MessageLogForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        try:
            entry = services.message_to_log(
                message=access.message, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            return _after_write(
                access.message,
                _("Taken into the log as entry %(seq)d.") % {"seq": entry.seq},
                request,
            )
    return _detail(request, access, status=422, log_form=form)


@require_POST
@login_required
def message_route(request: AuthenticatedRequest, pk: int, message_seq: int) -> HttpResponse:
    access = message_for_user(request, pk, message_seq, roles.HANDLE_MESSAGES)
    form = RouteForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        try:
            message = services.message_route(
                message=access.message, actor=request.user, to=form.cleaned_data["routed_to"]
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            return _after_write(message, _("Routed."), request)
    return _detail(request, access, status=422, route_form=form)


@require_POST
@login_required
def message_approve(request: AuthenticatedRequest, pk: int, message_seq: int) -> HttpResponse:
    access = message_for_user(request, pk, message_seq, roles.APPROVE_MESSAGES)
    try:
        message = services.message_approve(message=access.message, actor=request.user)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
        return redirect("message_detail", pk=pk, message_seq=message_seq)
    return _after_write(message, _("Approved: the message counts as sent."), request)


@require_http_methods(["GET", "POST"])
@login_required
def message_correct(request: AuthenticatedRequest, pk: int, message_seq: int) -> HttpResponse:
    """A correction is a new message; the original stays visible, marked as corrected."""
    access = message_for_user(request, pk, message_seq, roles.HANDLE_MESSAGES)
    form = MessageForm.correcting(access.message, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_record(
                crisis=access.crisis,
                actor=request.user,
                corrects=access.message,
                **form.cleaned_data,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            return _after_write(
                message,
                _("Message %(seq)d corrected.") % {"seq": access.message.seq},
                request,
            )
    return render(
        request,
        "meetings/message_correct.html",
        {"access": access, "crisis": access.crisis, "message": access.message, "form": form},
        status=422 if request.method == "POST" else 200,
    )
