"""The registers of the cold phase: critical processes, partners, and who has which role."""

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from guardian.shortcuts import get_users_with_perms

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.models import OrganisationMember, Partner
from crisisroom.text import display_name

from .. import selectors, services
from ..access import ResilienceAccess, resilience_for_user
from ..forms.registers import CriticalProcessForm, PartnerForm, RoleSetForm, attach_save_error
from ..models import CriticalProcess, Measure, ResilienceRole

# -- critical processes ------------------------------------------------------------------------


@require_GET
@login_required
def process_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    organisation = access.organisation
    return render(
        request,
        "resilience/registers/process_list.html",
        {
            "access": access,
            "organisation": organisation,
            "processes": selectors.critical_processes(organisation=organisation),
        },
    )


def _process_form(
    request: AuthenticatedRequest, access: ResilienceAccess, process: CriticalProcess | None
) -> HttpResponse:
    organisation = access.organisation
    saved_name = process.name if process else ""
    form = CriticalProcessForm(request.POST or None, instance=process, organisation=organisation)
    current: CriticalProcess | None = None  # on a conflict: the process as saved now
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.critical_process_save(
                organisation=organisation,
                actor=request.user,
                process=process,
                name=data["name"],
                description=data["description"],
                max_outage_hours=data["max_outage_hours"],
                fallback=data["fallback"],
                owner_function=data["owner_function"],
                measures=data["measures"],
                based_on_revision=data.get("revision"),
            )
        except ValidationError as error:
            if process is not None and getattr(error, "code", None) == "stale":
                # Keep what the editor typed, now based on the saved revision shown beside it,
                # so a second save (after comparing) goes through.
                current = CriticalProcess.objects.prefetch_related("measures").get(pk=process.pk)
                saved_name = current.name
                typed = request.POST.copy()
                typed["revision"] = str(current.revision)
                form = CriticalProcessForm(
                    typed,
                    instance=CriticalProcess.objects.get(pk=process.pk),
                    organisation=organisation,
                )
                form.is_valid()
                form.add_error(None, error)
                status = 409
            else:
                attach_save_error(
                    form,
                    error,
                    duplicate=_("There is already a critical process called “%(name)s”.")
                    % {"name": data["name"].strip()},
                )
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return redirect("process_list", pk=organisation.pk)
    return render(
        request,
        "resilience/registers/process_form.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "process": process,
            "current": current,
            # As saved: the form may have put the name just typed on the instance.
            "saved_name": saved_name,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def process_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    return _process_form(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def process_edit(request: AuthenticatedRequest, pk: int, process_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    process = get_object_or_404(CriticalProcess, pk=process_pk, organisation=access.organisation)
    return _process_form(request, access, process)


# -- partners ----------------------------------------------------------------------------------


@dataclass
class PartnerGroup:
    label: str
    partners: list[Partner]


def _partner_groups(access: ResilienceAccess) -> list[PartnerGroup]:
    """The organisation's partners by kind (in the order of the kinds), each with the measures
    it owns and those it takes part in: three queries, however many partners."""
    fields = ("pk", "organisation_id", "number", "title", "status", "owner_partner_id")
    partners = Partner.objects.filter(organisation=access.organisation).prefetch_related(
        Prefetch("owned_measures", queryset=Measure.objects.only(*fields).order_by("number")),
        Prefetch("measures", queryset=Measure.objects.only(*fields).order_by("number")),
    )
    by_kind: dict[str, list[Partner]] = {}
    for partner in sorted(partners, key=lambda p: p.name.lower()):
        by_kind.setdefault(partner.kind, []).append(partner)
    return [
        PartnerGroup(label=str(label), partners=by_kind[kind])
        for kind, label in Partner.Kind.choices
        if kind in by_kind
    ]


@require_GET
@login_required
def partner_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    return render(
        request,
        "resilience/registers/partner_list.html",
        {
            "access": access,
            "organisation": access.organisation,
            "groups": _partner_groups(access),
        },
    )


def _partner_form(
    request: AuthenticatedRequest, access: ResilienceAccess, partner: Partner | None
) -> HttpResponse:
    organisation = access.organisation
    saved_name = partner.name if partner else ""
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.partner_save(
                organisation=organisation,
                actor=request.user,
                partner=partner,
                name=data["name"],
                kind=data["kind"],
                contact_route=data["contact_route"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            attach_save_error(
                form,
                error,
                duplicate=_(
                    "There is already a partner called “%(name)s” in the register. "
                    "Change that one, or give this partner another name."
                )
                % {"name": data["name"].strip()},
            )
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return redirect("partner_list", pk=organisation.pk)
    return render(
        request,
        "resilience/registers/partner_form.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "partner": partner,
            "saved_name": saved_name,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def partner_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    return _partner_form(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def partner_edit(request: AuthenticatedRequest, pk: int, partner_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    partner = get_object_or_404(Partner, pk=partner_pk, organisation=access.organisation)
    return _partner_form(request, access, partner)


# -- cold-phase roles ----------------------------------------------------------------------------


@dataclass
class PersonRole:
    member: OrganisationMember
    kind: str  # a ResilienceRole.Kind, or "" for none
    is_administrator: bool

    @property
    def user(self) -> User:
        return self.member.user


def _role_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    form: RoleSetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    members = OrganisationMember.objects.filter(organisation=organisation).select_related("user")
    kinds = dict(
        ResilienceRole.objects.filter(organisation=organisation).values_list("user_id", "kind")
    )
    # The same right resilience/access.py reads: the guardian permission on the organisation.
    administrators = cast(
        QuerySet[User],
        get_users_with_perms(
            organisation, only_with_perms_in=["administer_organisation"], with_superusers=False
        ),
    )
    administrator_ids = set(administrators.values_list("pk", flat=True))
    people = [
        PersonRole(
            member=m,
            kind=kinds.get(m.user_id, ""),
            is_administrator=m.user_id in administrator_ids,
        )
        for m in members
    ]
    return render(
        request,
        "resilience/registers/role_list.html",
        {
            "access": access,
            "organisation": organisation,
            "people": people,
            "kinds": ResilienceRole.Kind.choices,
            "form": form,
        },
        status=status,
    )


@require_GET
@login_required
def role_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _role_page(request, resilience_for_user(request, pk, "manage_roles"))


@require_POST
@login_required
def role_set(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "manage_roles")
    form = RoleSetForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        person = form.cleaned_data["user"]
        kind = form.cleaned_data["kind"]
        try:
            role = services.resilience_role_set(
                organisation=access.organisation, actor=request.user, user=person, kind=kind
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if role is None:
                text = _("%(person)s no longer has a role in the cold phase.")
            else:
                text = _("%(person)s now has the role: %(role)s.")
            messages.success(
                request,
                text
                % {
                    "person": display_name(person),
                    "role": role.get_kind_display() if role else "",
                },
            )
            return redirect("resilience_roles", pk=access.organisation.pk)
    return _role_page(request, access, form=form, status=422)
