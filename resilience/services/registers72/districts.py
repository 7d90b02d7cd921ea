"""Districts (wijken and buurten) by their CBS code, one at a time."""

import re

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul

from ...models import District
from ..first72 import crises_touch
from ._common import add_error, raise_errors, repeated
from .places import clusters_rename

WIJK_CODE = re.compile(r"WK\d{6}")
BUURT_CODE = re.compile(r"BU\d{8}")


def district_level_of(code: str) -> str:
    """The level a CBS code belongs to, or "" for a code that is neither."""
    if WIJK_CODE.fullmatch(code):
        return District.Level.WIJK
    if BUURT_CODE.fullmatch(code):
        return District.Level.BUURT
    return ""


def district_code_errors(code: str, level: str = "") -> list[str]:
    """What is wrong with a CBS code (and the level given with it): empty when it is fine."""
    if not code:
        return [_("Give the CBS code, for example WK036301 or BU03630101.")]
    derived = district_level_of(code)
    if not derived:
        return [
            _(
                "“%(code)s” is not a CBS code: a wijk is WK followed by 6 digits (WK036301), a "
                "buurt BU followed by 8 digits (BU03630101)."
            )
            % {"code": code}
        ]
    if level and level != derived:
        return [
            _("The code %(code)s is a %(derived)s, not a %(level)s.")
            % {
                "code": code,
                "derived": District.Level(derived).label,
                "level": District.Level(level).label if level in District.Level.values else level,
            }
        ]
    return []


def district_save(
    *,
    organisation: Organisation,
    actor: User,
    district: District | None = None,
    code: str,
    name: str,
    level: str = "",
) -> District:
    """Register a wijk or buurt by its CBS code, or change one. Without a level it follows from
    the code. The outline comes from an import and is kept."""
    code = code.strip().upper()
    name = name.strip()
    refuse_nul(name, field="name")
    errors: dict[str, list[str]] = {}
    for message in district_code_errors(code, level):
        add_error(errors, "code", message)
    if not name:
        add_error(errors, "name", _("Give the name of the district."))
    raise_errors(errors)
    level = level or district_level_of(code)
    clash = District.objects.filter(organisation=organisation, code=code)
    if district is not None:
        clash = clash.exclude(pk=district.pk)
    with transaction.atomic():
        existing = clash.first()
        if existing is not None:
            if (
                district is None
                and existing.name == name
                and existing.level == level
                and repeated(
                    action=AuditEvent.Action.DISTRICTS_CHANGED,
                    key="district",
                    pk=existing.pk,
                    actor=actor,
                )
            ):
                return existing  # the same new district, submitted twice
            raise ValidationError(
                {
                    "code": [
                        _("There is already a district with the code %(code)s: “%(name)s”.")
                        % {"code": code, "name": existing.name}
                    ]
                },
                code="duplicate",
            )
        if district is not None and (district.code, district.name, district.level) == (
            code,
            name,
            level,
        ):
            return district  # nothing changed
        saved = district or District(organisation=organisation)
        saved.code, saved.name, saved.level = code, name, level
        saved.full_clean(exclude=["outline"])
        saved.save()
        if district is not None:
            clusters_rename(districts=[saved])  # their names follow the district's
        audit_record(
            action=AuditEvent.Action.DISTRICTS_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={"district": saved.pk, "code": code, "created": district is None},
        )
        crises_touch(organisation=organisation)
    return saved
