"""The registers of the first 72 hours: noodsteunpunten (with their status), vulnerable
locations, and vulnerable groups as counts per district. Everyone who reads the cold phase sees
them; the adviser (AOV) keeps them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.selectors import crises_for_user

from .. import selectors, services
from ..access import ResilienceAccess, resilience_for_user
from ..forms.registers72 import (
    GroupCountForm,
    GroupForm,
    LocationForm,
    PointForm,
    PointStatusForm,
)
from ..models import Dependency, EmergencyPoint, PointService, VulnerableLocation

T = "resilience/first72/registers/"


def _context(access: ResilienceAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "organisation": access.organisation, **extra}


# -- noodsteunpunten ---------------------------------------------------------------------------


@require_GET
@login_required
def first72_points(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    organisation = access.organisation
    return render(
        request,
        T + "point_list.html",
        _context(
            access,
            points=selectors.points_of(organisation=organisation),
            retired=selectors.points_of(organisation=organisation, in_use=False),
            service_labels=dict(PointService.choices),
        ),
    )


def _point_form(
    request: AuthenticatedRequest, access: ResilienceAccess, point: EmergencyPoint | None
) -> HttpResponse:
    organisation = access.organisation
    saved_name = point.name if point else ""
    form = PointForm(request.POST or None, instance=point, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.point_save(
                organisation=organisation,
                actor=request.user,
                point=point,
                name=data["name"],
                kind=data["kind"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                district=data["district"],
                capacity=data["capacity"],
                services=data["services"],
                power_hours=data["power_hours"],
                water_hours=data["water_hours"],
                comms_hours=data["comms_hours"],
                key_holder=data["key_holder"],
                staff=data["staff"],
                opening_procedure=data["opening_procedure"],
                is_active=data.get("is_active", True),
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return redirect("first72_point_detail", pk=organisation.pk, point_pk=saved.pk)
    return render(
        request,
        T + "point_form.html",
        _context(access, form=form, point=point, saved_name=saved_name),
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def first72_point_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    return _point_form(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def first72_point_edit(request: AuthenticatedRequest, pk: int, point_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    point = get_object_or_404(EmergencyPoint, pk=point_pk, organisation=access.organisation)
    return _point_form(request, access, point)


def _point_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    point: EmergencyPoint,
    form: PointStatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None and access.can_maintain and point.is_active:
        form = PointStatusForm(
            initial={"status": point.status}, organisation=access.organisation, user=request.user
        )
    return render(
        request,
        T + "point_detail.html",
        _context(
            access,
            point=point,
            history=selectors.point_history(point=point),
            service_labels=dict(PointService.choices),
            status_form=form,
            # A crisis's name only for its members: crisis information is confidential.
            member_of=set(
                crises_for_user(user=request.user)
                .prefetch_related(None)
                .values_list("pk", flat=True)
            ),
        ),
        status=status,
    )


@require_GET
@login_required
def first72_point_detail(request: AuthenticatedRequest, pk: int, point_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    point = get_object_or_404(
        EmergencyPoint.objects.select_related("district", "status_by"),
        pk=point_pk,
        organisation=access.organisation,
    )
    return _point_page(request, access, point)


@require_POST
@login_required
def first72_point_status(request: AuthenticatedRequest, pk: int, point_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    point = get_object_or_404(
        EmergencyPoint.objects.select_related("district", "status_by"),
        pk=point_pk,
        organisation=access.organisation,
    )
    form = PointStatusForm(request.POST, organisation=access.organisation, user=request.user)
    if form.is_valid():
        try:
            change = services.point_status_set(
                point=point,
                status=form.cleaned_data["status"],
                actor=request.user,
                crisis=form.cleaned_data.get("crisis"),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            if change is None:
                messages.info(
                    request,
                    _("“%(name)s” already has the status: %(status)s.")
                    % {"name": point.name, "status": point.get_status_display()},
                )
            else:
                messages.success(
                    request,
                    _("“%(name)s” now has the status: %(status)s.")
                    % {"name": point.name, "status": point.get_status_display()},
                )
            return redirect("first72_point_detail", pk=access.organisation.pk, point_pk=point.pk)
    return _point_page(request, access, point, form=form, status=422)


@require_POST
@login_required
def first72_point_retire(request: AuthenticatedRequest, pk: int, point_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    point = get_object_or_404(EmergencyPoint, pk=point_pk, organisation=access.organisation)
    services.point_retire(point=point, actor=request.user)
    messages.success(
        request,
        _("“%(name)s” is no longer in use. Its history is kept.") % {"name": point.name},
    )
    return redirect("first72_points", pk=access.organisation.pk)


# -- vulnerable locations ----------------------------------------------------------------------


@require_GET
@login_required
def first72_locations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    return render(
        request,
        T + "location_list.html",
        _context(
            access,
            locations=selectors.locations_of(organisation=access.organisation),
            dependency_labels=dict(Dependency.choices),
        ),
    )


def _location_form(
    request: AuthenticatedRequest, access: ResilienceAccess, location: VulnerableLocation | None
) -> HttpResponse:
    organisation = access.organisation
    saved_name = location.name if location else ""
    form = LocationForm(request.POST or None, instance=location, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.location_save(
                organisation=organisation,
                actor=request.user,
                location=location,
                name=data["name"],
                kind=data["kind"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                district=data["district"],
                people=data["people"],
                dependencies=data["dependencies"],
                partner=data["partner"],
                notes=data["notes"],
                is_active=data.get("is_active", True),
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return redirect("first72_locations", pk=organisation.pk)
    return render(
        request,
        T + "location_form.html",
        _context(access, form=form, location=location, saved_name=saved_name),
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def first72_location_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    return _location_form(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def first72_location_edit(request: AuthenticatedRequest, pk: int, location_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    location = get_object_or_404(
        VulnerableLocation, pk=location_pk, organisation=access.organisation
    )
    return _location_form(request, access, location)


# -- vulnerable groups and their counts per district --------------------------------------------


def _groups_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    *,
    group_form: GroupForm | None = None,
    count_form: GroupCountForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    if access.can_maintain:
        group_form = group_form or GroupForm()
        count_form = count_form or GroupCountForm(organisation=organisation)
    return render(
        request,
        T + "groups.html",
        _context(
            access,
            table=selectors.group_table(organisation=organisation),
            group_form=group_form,
            count_form=count_form,
        ),
        status=status,
    )


@require_GET
@login_required
def first72_groups(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _groups_page(request, resilience_for_user(request, pk))


@require_POST
@login_required
def first72_group_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            group = services.group_save(
                organisation=access.organisation,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Group “%(name)s” saved.") % {"name": group.name})
            return redirect("first72_groups", pk=access.organisation.pk)
    return _groups_page(request, access, group_form=form, status=422)


@require_POST
@login_required
def first72_count_set(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    form = GroupCountForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.group_count_set(
                group=data["group"],
                district=data["district"],
                count=data["count"],
                source=data["source"],
                as_of=data["as_of"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(group)s in %(district)s: %(count)s people (%(source)s).")
                % {
                    "group": saved.group.name,
                    "district": saved.district.name,
                    "count": saved.count,
                    "source": saved.source,
                },
            )
            return redirect("first72_groups", pk=access.organisation.pk)
    return _groups_page(request, access, count_form=form, status=422)
