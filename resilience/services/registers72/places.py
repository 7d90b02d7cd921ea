"""Vulnerable groups with their counts per district, and vulnerable locations with the counted
clusters of people at home (home dialysis, oxygen).

Data minimisation (AVG): a vulnerable group is only ever a number per district with its source
and date; a cluster is a number in a district, never an address, a point on the map, a typed
name or a note that could describe one person.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from crisisroom.models import AuditEvent, Organisation, Partner
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul

from ...models import (
    CLUSTER_KINDS,
    Dependency,
    District,
    GroupCount,
    LocationKind,
    VulnerableGroup,
    VulnerableLocation,
)
from ..first72 import crises_touch
from ._common import (
    MAX_PEOPLE,
    REPEATED_CREATE,
    add_error,
    choices_check,
    coordinates_check,
    district_check,
    number_check,
    raise_errors,
    repeated,
    unique_error,
)

# -- vulnerable groups and their counts ---------------------------------------------------------


def group_save(
    *,
    organisation: Organisation,
    actor: User,
    group: VulnerableGroup | None = None,
    name: str,
    description: str = "",
) -> VulnerableGroup:
    """A vulnerable group as the organisation defines it: a name and what it counts, never a
    list of the people in it."""
    name, description = name.strip(), description.strip()
    refuse_nul(name, field="name")
    refuse_nul(description, field="description")
    if not name:
        raise ValidationError({"name": [_("Give the group a name.")]})
    with transaction.atomic():
        clash = VulnerableGroup.objects.filter(organisation=organisation, name__iexact=name)
        if group is not None:
            clash = clash.exclude(pk=group.pk)
        existing = clash.first()
        if existing is not None:
            if (
                group is None
                and existing.description == description
                and repeated(
                    action=AuditEvent.Action.VULNERABLE_CHANGED,
                    key="group",
                    pk=existing.pk,
                    actor=actor,
                )
            ):
                return existing
            raise unique_error(
                _("There is already a group called “%(name)s”.") % {"name": existing.name}
            )
        if group is not None and (group.name, group.description) == (name, description):
            return group
        saved = group or VulnerableGroup(organisation=organisation)
        saved.name, saved.description = name, description
        saved.full_clean(exclude=["organisation"])
        saved.save()
        audit_record(
            action=AuditEvent.Action.VULNERABLE_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={"group": saved.pk, "name": saved.name, "created": group is None},
        )
    return saved


def group_count_set(
    *,
    group: VulnerableGroup,
    district: District,
    count: int,
    source: str,
    as_of: date,
    actor: User,
) -> GroupCount:
    """How many people of ``group`` live in ``district``, by source and date. Setting it again
    replaces the number; the audit trail keeps what it was."""
    source = source.strip()
    refuse_nul(source, field="source")
    errors: dict[str, list[str]] = {}
    if district.organisation_id != group.organisation_id:
        add_error(errors, "district", _("Choose a district of this organisation."))
    if count is None:
        add_error(errors, "count", _("Give the number of people."))
    else:
        number_check(
            errors,
            "count",
            count,
            MAX_PEOPLE,
            _("More than a million people in one district cannot be right. Check the number."),
        )
    if not source:
        add_error(
            errors, "source", _("Say where the number comes from, for example CBS or the GGD.")
        )
    elif len(source) > 200:
        add_error(errors, "source", _("Keep the source under 200 characters."))
    if as_of is None:
        add_error(errors, "as_of", _("Give the date the number applies to."))
    elif as_of > timezone.localdate():
        add_error(
            errors, "as_of", _("The date lies in the future: give the date the number is from.")
        )
    raise_errors(errors)
    with transaction.atomic():
        current = (
            GroupCount.objects.select_for_update().filter(group=group, district=district).first()
        )
        before = (
            {"count": current.count, "source": current.source, "as_of": current.as_of.isoformat()}
            if current
            else None
        )
        after = {"count": count, "source": source, "as_of": as_of.isoformat()}
        if current is not None and before == after:
            return current  # the same number again: a double submit
        saved = current or GroupCount(group=group, district=district)
        saved.count, saved.source, saved.as_of = count, source, as_of
        saved.recorded_by, saved.recorded_at = actor, timezone.now()
        saved.full_clean()
        saved.save()
        audit_record(
            action=AuditEvent.Action.VULNERABLE_CHANGED,
            organisation=group.organisation,
            actor=actor,
            detail={
                "group": group.pk,
                "district": district.code,
                "before": before,
                "after": after,
            },
        )
        crises_touch(organisation=group.organisation)
    return saved


# -- vulnerable locations ----------------------------------------------------------------------


# The short words a cluster's name is made of: "Thuisdialyse — Oosterpark".
CLUSTER_LABELS = {
    LocationKind.THUISDIALYSE: _lazy("Home dialysis"),
    LocationKind.ZUURSTOF: _lazy("Oxygen at home"),
}


def cluster_name(*, kind: str, district: District) -> str:
    """The name of a cluster of people at home: its kind and district, never a typed name
    (that could name the one person on dialysis in a small buurt)."""
    return f"{CLUSTER_LABELS[LocationKind(kind)]} — {district.name}"


def clusters_rename(*, districts: Iterable[District]) -> None:
    """Give the clusters in ``districts`` the names that follow from the districts' names now.
    Call inside the transaction that renamed them."""
    renamed = []
    by_pk = {d.pk: d for d in districts}
    for cluster in VulnerableLocation.objects.filter(
        district__in=list(by_pk), kind__in=CLUSTER_KINDS
    ).only("pk", "kind", "district_id", "name"):
        if cluster.district_id is None:
            continue  # cannot be: the query asks for these districts
        name = cluster_name(kind=cluster.kind, district=by_pk[cluster.district_id])
        if cluster.name != name:
            cluster.name = name
            renamed.append(cluster)
    VulnerableLocation.objects.bulk_update(renamed, ["name"], batch_size=500)


def _cluster_check(
    errors: dict[str, list[str]],
    *,
    district: District | None,
    address: str,
    latitude: float | None,
    longitude: float | None,
    people: int | None,
    notes: str,
) -> None:
    if district is None:
        add_error(
            errors,
            "district",
            _("A cluster of people at home is counted per district: choose the district."),
        )
    if address:
        add_error(
            errors,
            "address",
            _(
                "Leave the address empty: people at home are counted per district, never "
                "by address (data minimisation)."
            ),
        )
    if latitude is not None or longitude is not None:
        add_error(
            errors,
            "latitude",
            _(
                "Leave the coordinates empty: people at home are counted per district, "
                "never as a point on the map (data minimisation)."
            ),
        )
    if people is None:
        add_error(errors, "people", _("A cluster is a number of people: give the number."))
    if notes:
        add_error(
            errors,
            "notes",
            _(
                "Leave the notes empty for a cluster: no names, addresses or other details of "
                "persons (data minimisation). Who reaches these people belongs with the partner."
            ),
        )


def location_save(
    *,
    organisation: Organisation,
    actor: User,
    location: VulnerableLocation | None = None,
    name: str = "",
    kind: str,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    district: District | None = None,
    people: int | None = None,
    dependencies: Iterable[str] = (),
    partner: Partner | None = None,
    notes: str = "",
    is_active: bool = True,
) -> VulnerableLocation:
    """A vulnerable location, or a counted cluster of people at home (home dialysis, oxygen).

    A cluster is a district and a number: never an address, coordinates or notes, and its name
    is made from its kind and district (a typed ``name`` is ignored). One cluster per kind and
    district: a second one would count the same people twice."""
    name, address, notes = name.strip(), address.strip(), notes.strip()
    for value, key in ((name, "name"), (address, "address"), (notes, "notes")):
        refuse_nul(value, field=key)
    errors: dict[str, list[str]] = {}
    is_cluster = kind in CLUSTER_KINDS
    if not name and not is_cluster:
        add_error(errors, "name", _("Give the location a name."))
    if kind not in LocationKind.values:
        add_error(errors, "kind", _("Choose a kind from the list."))
    deps = choices_check(errors, "dependencies", dependencies, list(Dependency.values))
    district_check(errors, organisation, district)
    if partner is not None and partner.organisation_id != organisation.pk:
        add_error(errors, "partner", _("Choose a partner of this organisation."))
    number_check(
        errors,
        "people",
        people,
        MAX_PEOPLE,
        _("More than a million people at one location cannot be right. Check the number."),
    )
    if is_cluster:
        _cluster_check(
            errors,
            district=district,
            address=address,
            latitude=latitude,
            longitude=longitude,
            people=people,
            notes=notes,
        )
    else:
        if not address:
            add_error(errors, "address", _("Give the address of the location."))
        for key, messages in coordinates_check(latitude, longitude, required=False).items():
            for message in messages:
                add_error(errors, key, message)
    raise_errors(errors)
    if is_cluster and district is not None:
        name = cluster_name(kind=kind, district=district)
    values = {
        "name": name,
        "kind": kind,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
        "district_id": district.pk if district else None,
        "people": people,
        "dependencies": deps,
        "partner_id": partner.pk if partner else None,
        "notes": notes,
        "is_active": is_active,
    }
    with transaction.atomic():
        if location is None:
            twin = (
                VulnerableLocation.objects.filter(
                    organisation=organisation,
                    updated_at__gte=timezone.now() - REPEATED_CREATE,
                    **{k: v for k, v in values.items() if k != "dependencies"},
                )
                .order_by("-pk")
                .first()
            )
            if (
                twin is not None
                and twin.dependencies == deps
                and repeated(
                    action=AuditEvent.Action.VULNERABLE_CHANGED,
                    key="location",
                    pk=twin.pk,
                    actor=actor,
                )
            ):
                return twin  # the same new location, submitted twice
            saved = VulnerableLocation(organisation=organisation)
        else:
            saved = location
            if all(getattr(saved, k) == v for k, v in values.items()):
                return saved  # nothing changed
        if is_cluster and is_active:
            twice = (
                VulnerableLocation.objects.filter(
                    organisation=organisation, kind=kind, district=district, is_active=True
                )
                .exclude(pk=saved.pk)
                .first()
            )
            if twice is not None:
                raise ValidationError(
                    {
                        "district": [
                            _(
                                "There is already a cluster “%(name)s”: change its number "
                                "instead of adding a second one."
                            )
                            % {"name": twice.name}
                        ]
                    },
                    code="duplicate",
                )
        for attribute, new in values.items():
            setattr(saved, attribute, new)
        saved.updated_at = timezone.now()
        saved.full_clean()
        saved.save()
        audit_record(
            action=AuditEvent.Action.VULNERABLE_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={"location": saved.pk, "name": saved.name, "created": location is None},
        )
        crises_touch(organisation=organisation)
    return saved
