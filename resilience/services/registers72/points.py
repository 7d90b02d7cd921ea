"""Noodsteunpunten: registered, changed and taken out of use. Their status is set apart
(``point_status_set`` in ``services.first72``), by the register and by the crisis."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul

from ...models import District, EmergencyPoint, PointKind, PointService
from ..first72 import crises_touch
from ._common import (
    MAX_BACKUP_HOURS,
    MAX_CAPACITY,
    add_error,
    choices_check,
    coordinates_check,
    district_check,
    number_check,
    raise_errors,
    repeated,
    unique_error,
)


def point_save(
    *,
    organisation: Organisation,
    actor: User,
    point: EmergencyPoint | None = None,
    name: str,
    kind: str,
    address: str,
    latitude: float | None,
    longitude: float | None,
    capacity: int | None,
    key_holder: str,
    district: District | None = None,
    services: Iterable[str] = (),
    power_hours: int | None = None,
    water_hours: int | None = None,
    comms_hours: int | None = None,
    staff: str = "",
    opening_procedure: str = "",
    is_active: bool = True,
) -> EmergencyPoint:
    """Register a noodsteunpunt or change it. Its status is set apart (``point_status_set``),
    and it is taken out of use, never deleted (``point_retire``): its history stays."""
    name, address, key_holder = name.strip(), address.strip(), key_holder.strip()
    staff, opening_procedure = staff.strip(), opening_procedure.strip()
    for value, key in (
        (name, "name"),
        (address, "address"),
        (key_holder, "key_holder"),
        (staff, "staff"),
        (opening_procedure, "opening_procedure"),
    ):
        refuse_nul(value, field=key)
    errors: dict[str, list[str]] = {}
    if not name:
        add_error(errors, "name", _("Give the emergency support point a name."))
    if kind not in PointKind.values:
        add_error(errors, "kind", _("Choose a kind from the list."))
    if not address:
        add_error(errors, "address", _("Give the address, so people can find the point."))
    if not key_holder:
        add_error(
            errors,
            "key_holder",
            _("Name the key holder: a function and how to reach it, so the point can open."),
        )
    chosen = choices_check(errors, "services", services, list(PointService.values))
    district_check(errors, organisation, district)
    if capacity is None:
        add_error(errors, "capacity", _("Give the number of people the point can receive."))
    else:
        number_check(
            errors,
            "capacity",
            capacity,
            MAX_CAPACITY,
            _("More than 100,000 people at one point cannot be right. Check the number."),
        )
    for key, hours in (
        ("power_hours", power_hours),
        ("water_hours", water_hours),
        ("comms_hours", comms_hours),
    ):
        number_check(
            errors,
            key,
            hours,
            MAX_BACKUP_HOURS,
            _("More than a year (8,760 hours) of backup cannot be right. Check the number."),
        )
    for key, messages in coordinates_check(latitude, longitude, required=True).items():
        for message in messages:
            add_error(errors, key, message)
    raise_errors(errors)
    values = {
        "name": name,
        "kind": kind,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
        "district_id": district.pk if district else None,
        "capacity": capacity,
        "services": chosen,
        "power_hours": power_hours,
        "water_hours": water_hours,
        "comms_hours": comms_hours,
        "key_holder": key_holder,
        "staff": staff,
        "opening_procedure": opening_procedure,
        "is_active": is_active,
    }
    with transaction.atomic():
        clash = EmergencyPoint.objects.filter(organisation=organisation, name__iexact=name)
        if point is not None:
            clash = clash.exclude(pk=point.pk)
        existing = clash.first()
        if existing is not None:
            if (
                point is None
                and all(getattr(existing, k) == v for k, v in values.items())
                and repeated(
                    action=AuditEvent.Action.POINT_CHANGED,
                    key="point",
                    pk=existing.pk,
                    actor=actor,
                )
            ):
                return existing  # the same new point, submitted twice
            raise unique_error(
                _(
                    "There is already an emergency support point called “%(name)s”. Change "
                    "that one, or give this point another name."
                )
                % {"name": existing.name}
            )
        if point is not None and all(getattr(point, k) == v for k, v in values.items()):
            return point  # nothing changed
        saved = point or EmergencyPoint(organisation=organisation)
        for attribute, new in values.items():
            setattr(saved, attribute, new)
        saved.updated_at = timezone.now()
        saved.full_clean()
        saved.save()
        audit_record(
            action=AuditEvent.Action.POINT_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={"point": saved.pk, "name": saved.name, "created": point is None},
        )
        crises_touch(organisation=organisation)
    return saved


def point_retire(*, point: EmergencyPoint, actor: User) -> EmergencyPoint:
    """Take a noodsteunpunt out of use: it leaves the lists and the map, its history stays.
    Taking it out twice is once."""
    with transaction.atomic():
        current = EmergencyPoint.objects.select_for_update().get(pk=point.pk)
        if not current.is_active:
            return current
        current.is_active = False
        current.updated_at = timezone.now()
        current.save(update_fields=["is_active", "updated_at"])
        audit_record(
            action=AuditEvent.Action.POINT_CHANGED,
            organisation=current.organisation,
            actor=actor,
            detail={"point": current.pk, "name": current.name, "retired": True},
        )
        crises_touch(organisation=current.organisation)
    point.is_active = False
    return current
