"""The team's use of the cards in a crisis: task cards, the personal logbook and its proposals
to the logger, and the paper pack."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom import roles
from crisisroom.access import crisis_for_user, organisation_for_admin
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.models import Crisis, Organisation
from crisisroom.responses import confidential_pdf_response
from crisisroom.selectors import crisis_roles_of
from formats.selectors import cards_current

from .. import selectors, services
from ..access import personal_item_for_user
from ..forms import PersonalItemForm, TaskTickForm
from ..models import EntryProposal
from ..pdf import render_paper_pack
from .live import changed
from .meeting import back_to_meeting


@require_http_methods(["GET", "POST"])
@login_required
def task_cards(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """My task card for this crisis (tick tasks); the chair also sees progress per role."""
    access = crisis_for_user(request, pk)
    crisis = access.crisis
    if request.method == "POST":
        form = TaskTickForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("No such task on the card."))
            services.task_toggle(crisis=crisis, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("task_cards", pk=pk)
    card_set = selectors.crisis_card_set(crisis=crisis)
    ticks = {(t.role, t.number): t for t in selectors.task_ticks(crisis=crisis, card_set=card_set)}
    cards = [
        {
            "role": role,
            "label": roles.Role(role).label,
            "tasks": [
                (i, text, ticks.get((role, i)))
                for i, text in enumerate(card_set.tasks.get(role, []), 1)
            ],
        }
        for role in crisis_roles_of(crisis=crisis, user=request.user)
    ]
    see_progress = access.has(roles.RUN_MEETING, roles.MANAGE_MEMBERS)
    return render(
        request,
        "meetings/task_cards.html",
        {
            "access": access,
            "crisis": crisis,
            "cards": cards,
            "card_set": card_set,
            "progress": selectors.task_progress(crisis=crisis, card_set=card_set)
            if see_progress
            else None,
        },
    )


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@login_required
def personal_logbook(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """My individueel logboek for this crisis: mine alone, nobody else's, the chair included."""
    access = crisis_for_user(request, pk)
    crisis = access.crisis
    form = PersonalItemForm(request.POST or None)
    if request.method == "POST":
        if "check" in request.POST:
            item = personal_item_for_user(request, crisis, _number(request.POST.get("check")))
            services.personal_check(item=item, done=request.POST.get("done") == "1")
            return redirect("personal_logbook", pk=pk)
        if form.is_valid():
            try:
                services.personal_add(crisis=crisis, owner=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_validation_error(form, error)
            else:
                return redirect("personal_logbook", pk=pk)
    return render(
        request,
        "meetings/personal_logbook.html",
        {
            "access": access,
            "crisis": crisis,
            "form": form,
            "items": selectors.personal_items(crisis=crisis, owner=request.user),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def personal_item_propose(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    """The owner offers a line of their personal logbook to the logger."""
    crisis = crisis_for_user(request, pk).crisis
    item = personal_item_for_user(request, crisis, item_pk)
    try:
        services.proposal_create(item=item, actor=request.user)
        messages.success(request, _("Offered to the logger for the official log."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("personal_logbook", pk=pk)


@require_POST
@login_required
def proposal_decide(request: AuthenticatedRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """The logger takes a personal-logbook proposal into the log, or declines it."""
    crisis = crisis_for_user(request, pk, roles.RECORD_ENTRY).crisis
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
    if request.htmx:
        return changed(HttpResponse(status=204))
    meeting = selectors.meeting_current(crisis=crisis)
    if meeting is not None:
        return back_to_meeting(meeting)
    return redirect("decision_list", pk=pk)


def _paper_pack_response(organisation: Organisation, crisis: Crisis | None = None) -> HttpResponse:
    card_set = (
        selectors.crisis_card_set(crisis=crisis)
        if crisis is not None
        else cards_current(organisation=organisation)
    )
    pdf = render_paper_pack(organisation=organisation, card_set=card_set, crisis=crisis)
    name = f"papieren-set-{crisis.pk if crisis else organisation.pk}.pdf"
    return confidential_pdf_response(pdf, name)


@require_GET
@login_required
def paper_pack_crisis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The paper fallback for this crisis, as one PDF to print and keep in the cupboard."""
    crisis = crisis_for_user(request, pk).crisis
    return _paper_pack_response(crisis.organisation, crisis=crisis)


@require_GET
@login_required
def paper_pack_organisation(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    """The same pack before any crisis: blank crisis name, for the crisis room cupboard."""
    return _paper_pack_response(organisation_for_admin(request, org_pk))
