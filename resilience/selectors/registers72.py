"""Reads of the registers of the first 72 hours: noodsteunpunten, vulnerable locations, groups
with their counts per district, and districts."""

from dataclasses import dataclass

from django.db.models import QuerySet

from crisisroom.models import Organisation

from ..models import (
    District,
    EmergencyPoint,
    GroupCount,
    PointStatusChange,
    VulnerableGroup,
    VulnerableLocation,
)


def points_of(*, organisation: Organisation, in_use: bool = True) -> QuerySet[EmergencyPoint]:
    """The organisation's noodsteunpunten in use (or, with ``in_use=False``, those taken out of
    use), by name, with their district and who set their status."""
    return (
        EmergencyPoint.objects.filter(organisation=organisation, is_active=in_use)
        .select_related("district", "status_by")
        .order_by("name")
    )


def point_history(*, point: EmergencyPoint) -> QuerySet[PointStatusChange]:
    """Every status the point had, newest first, with who set it and in which crisis."""
    return point.status_changes.select_related("by", "crisis").order_by("-at", "-pk")


def locations_of(*, organisation: Organisation) -> QuerySet[VulnerableLocation]:
    """The organisation's vulnerable locations and counted clusters, those in use first."""
    return (
        VulnerableLocation.objects.filter(organisation=organisation)
        .select_related("district", "partner")
        .order_by("-is_active", "name")
    )


def districts_of(*, organisation: Organisation) -> QuerySet[District]:
    """The organisation's wijken and buurten by CBS code, without their (large) outlines."""
    return District.objects.filter(organisation=organisation).defer("outline").order_by("code")


@dataclass
class CountRow:
    district: District
    cells: list[GroupCount | None]  # one per group of the table, in its order


@dataclass
class GroupTable:
    """Districts × vulnerable groups: how many people, by which source, as of which date. The
    districts are the rows (there are many), the groups the columns (there are few)."""

    groups: list[VulnerableGroup]
    rows: list[CountRow]
    totals: list[int]  # per group, over the districts that have a count


def group_table(*, organisation: Organisation) -> GroupTable:
    """Three queries, however many groups and districts."""
    districts = list(districts_of(organisation=organisation))
    groups = list(VulnerableGroup.objects.filter(organisation=organisation).order_by("name"))
    counts: dict[tuple[int, int], GroupCount] = {
        (c.group_id, c.district_id): c
        for c in GroupCount.objects.filter(group__organisation=organisation)
    }
    rows = [
        CountRow(district=d, cells=[counts.get((g.pk, d.pk)) for g in groups]) for d in districts
    ]
    totals = [
        sum(c.count for (group_id, _d), c in counts.items() if group_id == g.pk) for g in groups
    ]
    return GroupTable(groups=groups, rows=rows, totals=totals)
