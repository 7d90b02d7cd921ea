"""Who informs whom: the crisis's stakeholders, who keeps contact, every informing, and the
scheme "wie communiceert met wie" on one printable page."""

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crisisroom import roles
from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.text import display_name

from .. import selectors, services
from ..access import stakeholder_for_user
from ..forms import InformForm, KeeperForm, StakeholderAddForm

# Who decides which stakeholders a crisis has, and who keeps contact.
MANAGE_STAKEHOLDERS = (roles.RUN_MEETING, roles.HANDLE_MESSAGES)


def _inform_prefix(stakeholder_pk: int) -> str:
    # One form per stakeholder on the page, each with its own ids and token.
    return f"s{stakeholder_pk}"


def _page(
    request: AuthenticatedRequest,
    access: CrisisAccess,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    crisis = access.crisis
    active = crisis.is_active
    failed: InformForm | None = forms.get("inform_form")
    rows = [
        (
            row,
            failed
            if failed is not None and failed.prefix == _inform_prefix(row.stakeholder.pk)
            else InformForm(prefix=_inform_prefix(row.stakeholder.pk)),
        )
        for row in selectors.stakeholders_of(crisis=crisis)
    ]
    return render(
        request,
        "meetings/stakeholders.html",
        {
            "access": access,
            "crisis": crisis,
            "rows": rows,
            "since": selectors.informed_since(crisis=crisis),
            "informings": selectors.informings_of(crisis=crisis),
            "can_manage": active and access.has(*MANAGE_STAKEHOLDERS),
            "can_inform": active and access.has(roles.INFORM_STAKEHOLDERS),
            "add_form": forms.get("add_form") or StakeholderAddForm(crisis=crisis),
            "keeper_form": KeeperForm(crisis=crisis),
        },
        status=status,
    )


@require_GET
@login_required
def stakeholders(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _page(request, crisis_for_user(request, pk))


@require_POST
@login_required
def stakeholder_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, MANAGE_STAKEHOLDERS)
    form = StakeholderAddForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        try:
            added = services.stakeholder_add(
                crisis=access.crisis,
                partner=form.cleaned_data["partner"],
                keeper=form.cleaned_data["keeper"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(request, _("%(name)s added.") % {"name": added.partner.name})
            return redirect("stakeholders", pk=pk)
    return _page(request, access, status=422, add_form=form)


@require_POST
@login_required
def stakeholder_keeper(request: AuthenticatedRequest, pk: int, stakeholder_pk: int) -> HttpResponse:
    stakeholder = stakeholder_for_user(request, pk, stakeholder_pk, MANAGE_STAKEHOLDERS)
    form = KeeperForm(request.POST, crisis=stakeholder.crisis)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a member of the crisis team."))
        services.stakeholder_set_keeper(
            stakeholder=stakeholder, actor=request.user, keeper=form.cleaned_data["keeper"]
        )
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        keeper = form.cleaned_data["keeper"]
        flash.success(
            request,
            _("%(name)s: contact kept by %(keeper)s.")
            % {"name": stakeholder.partner.name, "keeper": display_name(keeper) or "—"},
        )
    return redirect("stakeholders", pk=pk)


@require_POST
@login_required
def stakeholder_inform(request: AuthenticatedRequest, pk: int, stakeholder_pk: int) -> HttpResponse:
    stakeholder = stakeholder_for_user(request, pk, stakeholder_pk, roles.INFORM_STAKEHOLDERS)
    form = InformForm(request.POST, prefix=_inform_prefix(stakeholder.pk))
    if form.is_valid():
        try:
            services.inform_record(stakeholder=stakeholder, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(
                request, _("Recorded: %(name)s informed.") % {"name": stakeholder.partner.name}
            )
            return redirect("stakeholders", pk=pk)
    access = crisis_for_user(request, pk)
    return _page(request, access, status=422, inform_form=form)


@require_GET
@login_required
def stakeholder_scheme(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """ "Wie communiceert met wie" on one page to print: stakeholder, route, who keeps contact."""
    access = crisis_for_user(request, pk)
    return render(
        request,
        "meetings/stakeholder_scheme.html",
        {
            "access": access,
            "crisis": access.crisis,
            "rows": selectors.stakeholders_of(crisis=access.crisis),
        },
    )
