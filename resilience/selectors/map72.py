"""What the map of the first 72 hours and its printable list show: noodsteunpunten, vulnerable
locations, districts with their outlines and counts, and counted clusters per district.

Plain dicts of lists, so the page can hand them to the map as JSON. A fixed number of queries
whatever the size of the registers (values() and aggregates, no query per row): a municipality
has hundreds of locations and districts. Counts only: nothing describes a person.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from crisisroom.models import Organisation

from ..models import (
    CLUSTER_KINDS,
    Dependency,
    District,
    EmergencyPoint,
    GroupCount,
    LocationKind,
    PointKind,
    PointService,
    PointStatus,
    VulnerableLocation,
)

# The filter value for a location that depends on nothing recorded.
NO_DEPENDENCY = "geen"

OUTLINE_TYPES = {"Polygon", "MultiPolygon"}

# Five decimals of a degree is about a metre: plenty for a district's boundary on a screen, and
# much less JSON than the fifteen decimals a CBS export carries. round(x * SCALE) / SCALE is the
# float nearest the five-decimal value (so it prints with five decimals) at a third of the cost
# of round(x, 5), which counts for the thousands of vertices of a municipality.
SCALE = 100_000


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _rounded(coordinates: list, depth: int) -> list:
    """The nested coordinate lists with every position rounded to (longitude, latitude);
    ``depth`` is the nesting above the rings (1 for a Polygon, 2 for a MultiPolygon)."""
    if depth == 0:
        # float() lets only numbers through (and raises on anything else), inline for speed.
        return [
            [round(float(x) * SCALE) / SCALE, round(float(y) * SCALE) / SCALE]
            for x, y, *_altitude in coordinates
        ]
    return [_rounded(part, depth - 1) for part in coordinates]


def _outline(value: object) -> dict | None:
    """The outline as GeoJSON the map can draw, or None: a geometry, or a Feature holding one,
    with its coordinates rounded to about a metre."""
    if not isinstance(value, dict):
        return None
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            return None
    kind, coordinates = value.get("type"), value.get("coordinates")
    if kind not in OUTLINE_TYPES or not isinstance(coordinates, list):
        return None
    try:
        return {"type": kind, "coordinates": _rounded(coordinates, 1 if kind == "Polygon" else 2)}
    except (TypeError, ValueError, OverflowError):  # not positions of numbers: not drawn
        return None


def _coordinate(value: float | None) -> float | None:
    """A point's coordinate rounded like the outlines; None (not on the map) if not finite."""
    if value is None or not math.isfinite(value):
        return None
    return round(value * SCALE) / SCALE


def map_text() -> dict[str, str]:
    """The words the map's script writes into popups and controls, in the active language."""
    return {
        "status": _("Status"),
        "capacity": _("Capacity"),
        "people": _("people"),
        "number_of_people": _("Number of people"),
        "services": _("Services"),
        "address": _("Address"),
        "district": _("District"),
        "depends_on": _("Depends on"),
        "no_dependency": _("no dependency recorded"),
        "vulnerable_location": _("Vulnerable location"),
        "emergency_point": _("Emergency support point"),
        "in_groups": _("people in vulnerable groups"),
        "clusters": _("Counted clusters at home"),
        "no_clusters": _("No counted clusters."),
        "locations_here": _("vulnerable locations"),
        "offline": _(
            "The background map is not available: points and district boundaries are shown "
            "on a plain background."
        ),
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "filter_count": _(
            "Shown: %(points)s of %(points_total)s emergency support points, "
            "%(locations)s of %(locations_total)s vulnerable locations."
        ),
    }


def map_data(
    *,
    organisation: Organisation,
    district_ids: Iterable[int] | None = None,
    status_overrides: dict[int, str] | None = None,
) -> dict:
    """Everything the map draws for ``organisation``, optionally only within ``district_ids``
    (a crisis's affected area): six queries, however many points, locations and districts.

    ``status_overrides`` (point pk → status) replaces the recorded status of those points: an
    exercise shows the statuses played in the exercise, never the real ones it must not
    change. Points not in it keep their own status.

    ``points`` and ``locations`` are the noodsteunpunten and the vulnerable locations in use
    (a location without coordinates is listed, not drawn); counted clusters (home dialysis,
    oxygen) have no place on the map and are counted per district in ``districts``, or in
    ``unplaced_clusters`` when no district is recorded.
    """
    only = None if district_ids is None else sorted(set(district_ids))
    kind_labels = _labels(PointKind.choices)
    status_labels = _labels(PointStatus.choices)
    service_labels = _labels(PointService.choices)
    location_labels = _labels(LocationKind.choices)
    dependency_labels = _labels(Dependency.choices)

    points_qs = EmergencyPoint.objects.filter(organisation=organisation, is_active=True)
    locations_qs = VulnerableLocation.objects.filter(organisation=organisation, is_active=True)
    districts_qs = District.objects.filter(organisation=organisation)
    counts_qs = GroupCount.objects.filter(district__organisation=organisation)
    if only is not None:
        points_qs = points_qs.filter(district_id__in=only)
        locations_qs = locations_qs.filter(district_id__in=only)
        districts_qs = districts_qs.filter(pk__in=only)
        counts_qs = counts_qs.filter(district_id__in=only)

    overrides = status_overrides or {}
    points = [
        {
            "id": row["pk"],
            "name": row["name"],
            "kind": row["kind"],
            "kind_label": kind_labels.get(row["kind"], row["kind"]),
            "address": row["address"],
            "lat": _coordinate(row["latitude"]),
            "lon": _coordinate(row["longitude"]),
            "district": row["district__name"] or "",
            "status": status,
            "status_label": status_labels.get(status, status),
            "capacity": row["capacity"],
            "services": [service_labels.get(s, s) for s in row["services"] or []],
        }
        for row in points_qs.order_by("name").values(
            "pk",
            "name",
            "kind",
            "address",
            "latitude",
            "longitude",
            "district__name",
            "status",
            "capacity",
            "services",
        )
        for status in (overrides.get(row["pk"], row["status"]),)
    ]

    locations = []
    for row in (
        locations_qs.exclude(kind__in=CLUSTER_KINDS)
        .order_by("name")
        .values(
            "pk",
            "name",
            "kind",
            "address",
            "latitude",
            "longitude",
            "district__name",
            "people",
            "dependencies",
        )
    ):
        dependencies = [d for d in row["dependencies"] or [] if d in dependency_labels]
        locations.append(
            {
                "id": row["pk"],
                "name": row["name"],
                "kind": row["kind"],
                "kind_label": location_labels.get(row["kind"], row["kind"]),
                "address": row["address"],
                "lat": _coordinate(row["latitude"]),
                "lon": _coordinate(row["longitude"]),
                "district": row["district__name"] or "",
                "people": row["people"],
                "dependencies": dependencies or [NO_DEPENDENCY],
                "dependency_labels": [dependency_labels[d] for d in dependencies],
            }
        )

    # Clusters: how many per kind and district, and how many people they hold.
    clusters: dict[int | None, list[dict]] = defaultdict(list)
    for cluster in (
        locations_qs.filter(kind__in=CLUSTER_KINDS)
        .values("district_id", "kind")
        .annotate(clusters=Count("pk"), people=Sum("people"))
        .order_by("district_id", "kind")
    ):
        clusters[cluster["district_id"]].append(
            {
                "kind": cluster["kind"],
                "label": location_labels.get(cluster["kind"], cluster["kind"]),
                "clusters": cluster["clusters"],
                "people": cluster["people"] or 0,
            }
        )

    in_groups = {
        row["district_id"]: row["total"] or 0
        for row in counts_qs.values("district_id").annotate(total=Sum("count")).order_by()
    }
    located = {
        row["district_id"]: row["n"]
        for row in locations_qs.exclude(kind__in=CLUSTER_KINDS)
        .filter(district__isnull=False)
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by()
    }

    districts = [
        {
            "id": row["pk"],
            "code": row["code"],
            "name": row["name"],
            "level": row["level"],
            "outline": _outline(row["outline"]),
            "people_in_groups": in_groups.get(row["pk"], 0),
            "locations": located.get(row["pk"], 0),
            "clusters": clusters.get(row["pk"], []),
        }
        for row in districts_qs.order_by("code").values("pk", "code", "name", "level", "outline")
    ]

    return {
        "points": points,
        "locations": locations,
        "districts": districts,
        "unplaced_clusters": clusters.get(None, []) if only is None else [],
        "text": map_text(),
    }


def paper_list(*, organisation: Organisation) -> dict:
    """What goes on paper (the printable list and the paper pack): the noodsteunpunten in use
    with everything a person opening one needs, and the vulnerable locations grouped by
    district with the counted clusters as kind and numbers only. Four queries.

    ``points`` are {"point": EmergencyPoint, "services": [labels]}; ``districts`` is a list of
    {"district": {"code", "name"} | None, "locations": [...], "clusters": [...],
    "people_in_groups"} in code order, the locations without a district last. A location is
    {"location": VulnerableLocation, "dependencies": [labels]}; a cluster is
    {"label", "clusters", "people"}: never a name, so no template can print one.
    """
    service_labels = _labels(PointService.choices)
    dependency_labels = _labels(Dependency.choices)
    location_labels = _labels(LocationKind.choices)
    points = [
        {"point": point, "services": [service_labels.get(s, s) for s in point.services or []]}
        for point in EmergencyPoint.objects.filter(organisation=organisation, is_active=True)
        .select_related("district")
        .order_by("name")
    ]

    in_use = VulnerableLocation.objects.filter(organisation=organisation, is_active=True)
    locations = list(
        in_use.exclude(kind__in=CLUSTER_KINDS).select_related("district").order_by("name")
    )
    clusters = list(
        in_use.filter(kind__in=CLUSTER_KINDS)
        .values("district_id", "district__code", "district__name", "kind")
        .annotate(clusters=Count("pk"), people=Sum("people"))
        .order_by("district_id", "kind")
    )
    in_groups = {
        row["district_id"]: row["total"] or 0
        for row in GroupCount.objects.filter(district__organisation=organisation)
        .values("district_id")
        .annotate(total=Sum("count"))
        .order_by()
    }
    groups: dict[int | None, dict] = {}

    def group(key: int | None, code: str | None, name: str | None) -> dict:
        return groups.setdefault(
            key,
            {
                "district": None if key is None else {"code": code, "name": name},
                "locations": [],
                "clusters": [],
                "people_in_groups": in_groups.get(key, 0) if key is not None else 0,
            },
        )

    for location in locations:
        district = location.district
        group(
            location.district_id,
            district.code if district else None,
            district.name if district else None,
        )["locations"].append(
            {
                "location": location,
                "dependencies": [
                    dependency_labels[d]
                    for d in location.dependencies or []
                    if d in dependency_labels
                ],
            }
        )
    for row in clusters:
        group(row["district_id"], row["district__code"], row["district__name"])["clusters"].append(
            {
                "label": location_labels.get(row["kind"], row["kind"]),
                "clusters": row["clusters"],
                "people": row["people"] or 0,
            }
        )
    districts = sorted(
        groups.values(),
        key=lambda g: (g["district"] is None, g["district"]["code"] if g["district"] else ""),
    )
    return {"points": points, "districts": districts}
