"""Checks shared by the registers of the first 72 hours: coordinates, numbers, choices, and
telling a repeated submit from a new one."""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation

from ...models import District

# The rough box of the Netherlands in WGS84, with a margin for the Wadden and Zeeland.
NL_LATITUDE = (50.5, 53.8)
NL_LONGITUDE = (3.2, 7.4)

# Numbers beyond these are typing errors, not municipalities.
MAX_PEOPLE = 1_000_000  # more than live in the largest municipality
MAX_CAPACITY = 100_000
MAX_BACKUP_HOURS = 8_760  # a year

# A second submit of the same form (a double click, a reload that posts again) within this time
# is the first one repeated: nothing is saved twice.
REPEATED_CREATE = timedelta(minutes=2)


def coordinates_check(
    latitude: float | None, longitude: float | None, *, required: bool
) -> dict[str, list[str]]:
    """What is wrong with a pair of coordinates (WGS84 decimal degrees), by field: empty when
    they are fine. Swapped values and values outside the Netherlands get their own message."""
    errors: dict[str, list[str]] = {}
    if required and (latitude is None or longitude is None):
        if latitude is None:
            errors["latitude"] = [_("Give the latitude, for example 52.0907.")]
        if longitude is None:
            errors["longitude"] = [_("Give the longitude, for example 5.1214.")]
        return errors
    if latitude is None and longitude is None:
        return errors
    if latitude is None or longitude is None:
        missing = "latitude" if latitude is None else "longitude"
        errors[missing] = [_("Give both latitude and longitude, or neither.")]
        return errors
    if abs(latitude) > 1000 or abs(longitude) > 1000:
        errors["latitude"] = [
            _(
                "These look like RD coordinates (EPSG:28992) in metres. Give latitude and "
                "longitude in decimal degrees (WGS84), for example 52.0907 and 5.1214."
            )
        ]
        return errors
    if not -90 <= latitude <= 90:
        errors["latitude"] = [_("A latitude lies between -90 and 90 degrees.")]
    if not -180 <= longitude <= 180:
        errors["longitude"] = [_("A longitude lies between -180 and 180 degrees.")]
    if errors:
        return errors
    in_nl = in_netherlands(latitude, longitude)
    if not in_nl and in_netherlands(longitude, latitude):
        errors["latitude"] = [
            _(
                "Latitude and longitude seem to be swapped: in the Netherlands the latitude is "
                "about 50.5 to 53.8 and the longitude about 3.2 to 7.4."
            )
        ]
    elif not in_nl:
        errors["latitude"] = [
            _(
                "This place lies outside the Netherlands (latitude 50.5 to 53.8, longitude 3.2 "
                "to 7.4). Check the coordinates."
            )
        ]
    return errors


def in_netherlands(latitude: float, longitude: float) -> bool:
    return (
        NL_LATITUDE[0] <= latitude <= NL_LATITUDE[1]
        and NL_LONGITUDE[0] <= longitude <= NL_LONGITUDE[1]
    )


def add_error(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def choices_check(
    errors: dict[str, list[str]], name: str, values: Iterable[str], allowed: list[str]
) -> list[str]:
    chosen = set(values)
    if chosen - set(allowed):
        add_error(errors, name, _("Choose from the list."))
    # In the order of the list, so a repeated save of the same choice is the same value.
    return [v for v in allowed if v in chosen]


def district_check(
    errors: dict[str, list[str]], organisation: Organisation, district: District | None
) -> None:
    if district is not None and district.organisation_id != organisation.pk:
        add_error(errors, "district", _("Choose a district of this organisation."))


def number_check(
    errors: dict[str, list[str]], name: str, value: int | None, maximum: int, message: str
) -> None:
    if value is None:
        return
    if value < 0:
        add_error(errors, name, _("A number cannot be negative."))
    elif value > maximum:
        add_error(errors, name, message)


def repeated(*, action: str, key: str, pk: int, actor: User) -> bool:
    """``actor`` saved the object ``pk`` a moment ago (the audit trail says so)."""
    return AuditEvent.objects.filter(
        action=action,
        actor=actor,
        at__gte=timezone.now() - REPEATED_CREATE,
        **{f"detail__{key}": pk},
    ).exists()


def unique_error(message: str) -> ValidationError:
    return ValidationError({"name": [message]}, code="duplicate")
