"""Reads for the first 72 hours in a crisis: what the affected districts hold (vulnerable
locations, counted groups, noodsteunpunten and their live status), the rules that apply, the
open requests; and, for the mayor, what several open crises claim of the same goods (samenloop).

Every selector here runs a fixed number of queries, however many districts, locations or
points an organisation keeps: a crisis screen refreshes them every time something changes.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from crisisroom import roles
from crisisroom.models import Crisis, Organisation
from crisisroom.text import display_name

from ..models import (
    CLUSTER_KINDS,
    AffectedDistrict,
    AllocationDecision,
    AllocationRequest,
    AllocationRuleVersion,
    Dependency,
    District,
    EmergencyPoint,
    GroupCount,
    LocationKind,
    PointStatus,
    PointStatusChange,
    RequestStatus,
    ScarceGood,
    VulnerableLocation,
)
from .scarce import goods_with_stock, rule_versions_in_force

# -- the affected area -------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationRow:
    """A vulnerable location in an affected district, its dependencies in words: plain values,
    so a list of hundreds renders fast."""

    name: str
    kind_label: str
    district: District
    people: int | None
    dependencies: list[str]
    partner_name: str

    @property
    def dependencies_text(self) -> str:
        return ", ".join(self.dependencies)


@dataclass(frozen=True)
class ClusterRow:
    """Counted clusters of people at home (home dialysis, oxygen) in one district."""

    district: District
    kind_label: str
    clusters: int
    people: int


@dataclass(frozen=True)
class GroupTotal:
    """A vulnerable group counted over the affected districts, with where the counts come from."""

    name: str
    count: int
    districts: int
    sources: list[str]
    oldest: date
    newest: date


@dataclass(frozen=True)
class AffectedSummary:
    """What the marked districts hold. ``districts`` are the marked ones; ``covered`` adds the
    buurten of each marked wijk, whose locations, points and clusters are included.

    In an exercise (``exercise``), each point's status is its status within the exercise: the
    point objects here are display copies carrying that status, never saved."""

    districts: list[District]
    locations: list[LocationRow]
    clusters: list[ClusterRow]
    groups: list[GroupTotal]
    points: list[EmergencyPoint]
    rules: list[AllocationRuleVersion]
    covered: list[District] = field(default_factory=list)
    exercise: bool = False
    exercise_statuses: dict[int, PointStatusChange] = field(default_factory=dict)

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)

    @property
    def covered_ids(self) -> list[int]:
        return [d.pk for d in self.covered]

    @property
    def people_in_locations(self) -> int:
        return sum(row.people or 0 for row in self.locations)

    @property
    def people_in_groups(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def open_points(self) -> list[EmergencyPoint]:
        return [p for p in self.points if p.status in ("open", "gaat_open", "vol")]


def dependency_labels(values: list) -> list[str]:
    """A location's dependencies in words, in the order of the list of dependencies."""
    return _dependency_labeller()(values)


def _dependency_labeller() -> Callable[[list], list[str]]:
    # The labels translated once per list, not once per location.
    order = [(value, str(label)) for value, label in Dependency.choices]

    def labels(values: list) -> list[str]:
        chosen = {str(v) for v in values or []}
        return [label for value, label in order if value in chosen]

    return labels


class _Count(NamedTuple):
    group_id: int
    group_name: str
    district_id: int
    people: int
    source: str
    as_of: date


def wijk_code_of(district: District) -> str:
    """The CBS code of the wijk a buurt lies in: buurt BUggggwwbb lies in wijk WKggggww."""
    if district.level == District.Level.BUURT and district.code.startswith("BU"):
        return "WK" + district.code[2:8]
    return ""


def _districts_light(organisation_id: int) -> QuerySet[District]:
    # Never the outlines: they are the map's, and heavy.
    return District.objects.filter(organisation_id=organisation_id).only(
        "pk", "organisation_id", "code", "name", "level"
    )


def _coverage(marked: list[District], all_districts: list[District]) -> list[District]:
    """The marked districts and the buurten of each marked wijk, by code."""
    wijken = {d.code for d in marked if d.level == District.Level.WIJK}
    marked_ids = {d.pk for d in marked}
    return [d for d in all_districts if d.pk in marked_ids or wijk_code_of(d) in wijken]


def _counts_that_count(
    marked: list[District], counts: list[_Count], by_id: dict[int, District]
) -> list[_Count]:
    """One level per wijk and group: a marked wijk's own count if it has one for the group,
    otherwise the counts of its buurten; never both. A buurt marked on its own (its wijk not
    marked) counts with its own count."""
    wijken = {d.code for d in marked if d.level == District.Level.WIJK}
    marked_ids = {d.pk for d in marked}
    own = {
        (c.group_id, by_id[c.district_id].code)
        for c in counts
        if by_id[c.district_id].code in wijken
    }
    chosen = []
    for c in counts:
        district = by_id[c.district_id]
        wijk = wijk_code_of(district)
        if district.code in wijken:
            chosen.append(c)
        elif wijk in wijken:
            if (c.group_id, wijk) not in own:
                chosen.append(c)
        elif c.district_id in marked_ids:
            chosen.append(c)
    return chosen


def affected_districts(*, crisis: Crisis) -> list[District]:
    return [
        row.district
        for row in AffectedDistrict.objects.filter(crisis=crisis)
        .select_related("district")
        .defer("district__outline")
        .order_by("district__code")
    ]


def exercise_point_statuses(*, crisis: Crisis) -> dict[int, PointStatusChange]:
    """Per point, the latest status it got within the exercise ``crisis``: one query."""
    latest: dict[int, PointStatusChange] = {}
    for change in (
        PointStatusChange.objects.filter(crisis=crisis)
        .select_related("by")
        .order_by("point_id", "at", "pk")
    ):
        latest[change.point_id] = change  # the last one per point wins
    return latest


def with_exercise_status(
    points: list[EmergencyPoint], statuses: dict[int, PointStatusChange]
) -> list[EmergencyPoint]:
    """Show each point with its status within the exercise (closed until set there): the
    objects are display copies, loaded for this screen and never saved."""
    for point in points:
        change = statuses.get(point.pk)
        if change is None:
            point.status, point.status_at, point.status_by = PointStatus.GESLOTEN, None, None
        else:
            point.status, point.status_at, point.status_by = change.status, change.at, change.by
    return points


def affected_summary(*, crisis: Crisis) -> AffectedSummary:
    """What the marked districts hold: five queries (six in an exercise), whatever their size.

    A marked wijk covers its buurten (buurt BUggggwwbb lies in wijk WKggggww): their locations,
    points and clusters are included. Group counts are counted at one level per wijk: if the
    wijk itself has a count for a group, that count; otherwise the sum of its buurten's counts;
    never both. ``GroupTotal.districts`` is how many counts were added up.
    """
    organisation = crisis.organisation
    rules = list(rule_versions_in_force(organisation=organisation))
    marked_ids = AffectedDistrict.objects.filter(crisis=crisis).values("district_id")
    all_districts: list[District] = [
        d
        for d in _districts_light(crisis.organisation_id)
        .annotate(is_marked=Exists(marked_ids.filter(district_id=OuterRef("pk"))))
        .order_by("code")
    ]
    districts = [d for d in all_districts if d.is_marked]  # type: ignore[attr-defined]
    statuses = exercise_point_statuses(crisis=crisis) if crisis.is_exercise else {}
    if not districts:
        return AffectedSummary(
            districts=[],
            locations=[],
            clusters=[],
            groups=[],
            points=[],
            rules=rules,
            exercise=crisis.is_exercise,
            exercise_statuses=statuses,
        )
    covered = _coverage(districts, all_districts)
    ids = [d.pk for d in covered]
    by_id = {d.pk: d for d in all_districts}
    locations: list[LocationRow] = []
    clusters: dict[tuple[int, str], list[int]] = defaultdict(list)
    kind_labels = {value: str(label) for value, label in LocationKind.choices}
    labeller = _dependency_labeller()
    for name, kind, district_id, people, dependencies, partner_name in (
        VulnerableLocation.objects.filter(
            organisation=organisation, is_active=True, district_id__in=ids
        )
        .order_by("name", "pk")
        .values_list("name", "kind", "district_id", "people", "dependencies", "partner__name")
    ):
        if kind in CLUSTER_KINDS:
            clusters[(district_id, kind)].append(people or 0)
        else:
            locations.append(
                LocationRow(
                    name=name,
                    kind_label=kind_labels.get(kind, kind),
                    district=by_id[district_id],
                    people=people,
                    dependencies=labeller(dependencies),
                    partner_name=partner_name or "",
                )
            )
    cluster_rows = [
        ClusterRow(
            district=by_id[district_id],
            kind_label=str(kind_labels[kind]),
            clusters=len(rows),
            people=sum(rows),
        )
        for (district_id, kind), rows in sorted(
            clusters.items(), key=lambda item: (by_id[item[0][0]].code, item[0][1])
        )
    ]
    counts = [
        _Count(*row)
        for row in GroupCount.objects.filter(district_id__in=ids, group__organisation=organisation)
        .order_by("group__name", "pk")
        .values_list("group_id", "group__name", "district_id", "count", "source", "as_of")
    ]
    totals: dict[int, dict] = {}
    for count in _counts_that_count(districts, counts, by_id):
        total = totals.setdefault(
            count.group_id,
            {"name": count.group_name, "count": 0, "districts": 0, "sources": [], "dates": []},
        )
        total["count"] += count.people
        total["districts"] += 1
        if count.source not in total["sources"]:
            total["sources"].append(count.source)
        total["dates"].append(count.as_of)
    groups = [
        GroupTotal(
            name=t["name"],
            count=t["count"],
            districts=t["districts"],
            sources=t["sources"],
            oldest=min(t["dates"]),
            newest=max(t["dates"]),
        )
        for t in totals.values()
    ]
    points = list(
        EmergencyPoint.objects.filter(
            organisation=organisation, is_active=True, district_id__in=ids
        )
        .select_related("status_by")
        .order_by("name")
    )
    for point in points:
        point.district = by_id[point.district_id] if point.district_id else None
    if crisis.is_exercise:
        with_exercise_status(points, statuses)
    return AffectedSummary(
        districts=districts,
        locations=locations,
        clusters=cluster_rows,
        groups=groups,
        points=points,
        rules=rules,
        covered=covered,
        exercise=crisis.is_exercise,
        exercise_statuses=statuses,
    )


@dataclass(frozen=True)
class DistrictChoice:
    district: District
    marked: bool


@dataclass
class WijkGroup:
    """A wijk and its buurten, for marking the affected area: 200 checkboxes stay findable."""

    label: str
    wijk: DistrictChoice | None
    buurten: list[DistrictChoice] = field(default_factory=list)

    @property
    def marked_count(self) -> int:
        return sum(1 for c in self.buurten if c.marked) + (
            1 if self.wijk and self.wijk.marked else 0
        )


def districts_for_marking(*, crisis: Crisis) -> list[WijkGroup]:
    """The organisation's districts grouped by wijk (a buurt's CBS code BUggggwwbb belongs to wijk
    WKggggww), each with whether it is marked: two queries."""
    marked = set(
        AffectedDistrict.objects.filter(crisis=crisis).values_list("district_id", flat=True)
    )
    districts = list(_districts_light(crisis.organisation_id).order_by("code"))
    groups: dict[str, WijkGroup] = {}
    for d in districts:
        if d.level == District.Level.WIJK:
            group = groups.setdefault(d.code, WijkGroup(label=str(d), wijk=None))
            group.wijk, group.label = DistrictChoice(d, d.pk in marked), str(d)
    for d in districts:
        if d.level == District.Level.WIJK:
            continue
        wijk_code = "WK" + d.code[2:8] if d.code.startswith("BU") else ""
        key = wijk_code if wijk_code in groups else "~"
        if key not in groups:
            groups[key] = WijkGroup(label=_("Neighbourhoods without a wijk"), wijk=None)
        groups[key].buurten.append(DistrictChoice(d, d.pk in marked))
    return [groups[k] for k in sorted(groups)]


# -- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    request: AllocationRequest
    overdue: bool

    @property
    def requester(self) -> str:
        return requester_of(self.request)


def requester_of(request: AllocationRequest) -> str:
    parts = []
    if request.point is not None:
        parts.append(request.point.name)
    if request.partner is not None:
        parts.append(request.partner.name)
    if request.requester:
        parts.append(request.requester)
    return " / ".join(parts)


def requests_open(*, crisis: Crisis) -> list[RequestRow]:
    """Open requests, oldest first; one past its 'needed by' says so."""
    now = timezone.now()
    return [
        RequestRow(r, overdue=r.needed_by is not None and r.needed_by < now)
        for r in AllocationRequest.objects.filter(crisis=crisis, status=RequestStatus.OPEN)
        .select_related("good", "point", "partner")
        .order_by("created_at", "number")
    ]


def requests_open_qs(*, crisis: Crisis) -> QuerySet[AllocationRequest]:
    return (
        AllocationRequest.objects.filter(crisis=crisis, status=RequestStatus.OPEN)
        .select_related("good", "point", "partner")
        .order_by("number")
    )


def quantity_text(quantity: Decimal | None, unit: str) -> str:
    """2.000 liter: a quantity as a reader writes it, in the active language."""
    if quantity is None:
        return ""
    value: Decimal | int = quantity
    if quantity == quantity.to_integral_value():
        value = int(quantity)
    return f"{number_format(value, force_grouping=True)} {unit}".strip()


# -- the summary in plain text -----------------------------------------------------------------


def affected_text(*, crisis: Crisis, summary: AffectedSummary | None = None) -> str:
    """What is affected in plain text, for the strategic analysis and for paper: counts per
    group, the locations with what they depend on, the noodsteunpunten that are open."""
    s = summary or affected_summary(crisis=crisis)
    if not s.has_districts:
        return _("No affected districts marked yet.")
    lines = [
        _("Affected districts (%(n)d): %(names)s")
        % {"n": len(s.districts), "names": ", ".join(str(d) for d in s.districts)}
    ]
    if len(s.covered) > len(s.districts):
        lines.append(
            _("Including the neighbourhoods of the marked wijken: %(n)d districts in all.")
            % {"n": len(s.covered)}
        )
    if s.groups:
        lines.append(_("Vulnerable groups (counted):"))
        for g in s.groups:
            lines.append(
                _("- %(group)s: %(count)s people (source: %(source)s, as of %(date)s)")
                % {
                    "group": g.name,
                    "count": number_format(g.count, force_grouping=True),
                    "source": "; ".join(g.sources),
                    "date": date_format(g.newest, "SHORT_DATE_FORMAT"),
                }
            )
    if s.locations:
        lines.append(_("Vulnerable locations:"))
        for row in s.locations:
            parts = [f"- {row.name} ({row.kind_label})"]
            if row.people is not None:
                parts.append(
                    _("%(n)s people") % {"n": number_format(row.people, force_grouping=True)}
                )
            if row.dependencies:
                parts.append(_("depends on %(what)s") % {"what": row.dependencies_text})
            lines.append(", ".join(parts))
    if s.clusters:
        lines.append(_("Counted clusters at home:"))
        for c in s.clusters:
            lines.append(
                _("- %(district)s: %(kind)s, %(people)s people")
                % {
                    "district": c.district.name,
                    "kind": c.kind_label,
                    "people": number_format(c.people, force_grouping=True),
                }
            )
    open_points = s.open_points
    if open_points:
        lines.append(
            _("Emergency support points open within the exercise (OEFENING):")
            if s.exercise
            else _("Emergency support points open:")
        )
        for p in open_points:
            lines.append(f"- {p.name} ({p.get_status_display()})")
    else:
        lines.append(_("No emergency support point in these districts is open."))
    return "\n".join(lines)


def point_status_line(point: EmergencyPoint) -> str:
    """'open since 14:05 by Anke Adviseur' — a point's live status in words."""
    if point.status_at is None:
        return str(point.get_status_display())
    return _("%(status)s since %(when)s by %(who)s") % {
        "status": point.get_status_display(),
        "when": date_format(timezone.localtime(point.status_at), "j M H:i"),
        "who": display_name(point.status_by) if point.status_by else "?",
    }


# -- samenloop ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrisisClaim:
    """What one active crisis claims of a good."""

    crisis: Crisis
    open_count: int
    open_quantity: Decimal
    allocated: Decimal
    districts: int
    people: int


@dataclass(frozen=True)
class ClaimSet:
    """The claims of real crises, or of exercises: never summed together."""

    claims: list[CrisisClaim]

    @property
    def requested(self) -> Decimal:
        return sum((c.open_quantity for c in self.claims), Decimal(0))

    @property
    def allocated(self) -> Decimal:
        return sum((c.allocated for c in self.claims), Decimal(0))


@dataclass(frozen=True)
class GoodClaims:
    good: ScarceGood
    stock: Decimal
    real: ClaimSet
    exercise: ClaimSet

    @property
    def real_exceeds(self) -> bool:
        return self.real.requested > self.stock

    @property
    def exercise_exceeds(self) -> bool:
        return self.exercise.requested > self.stock


@dataclass(frozen=True)
class Samenloop:
    crises: list[Crisis]
    goods: list[GoodClaims]

    @property
    def real_crises(self) -> list[Crisis]:
        return [c for c in self.crises if not c.is_exercise]

    @property
    def exercise_crises(self) -> list[Crisis]:
        return [c for c in self.crises if c.is_exercise]

    @property
    def concurrent(self) -> bool:
        return len(self.crises) >= 2


def samenloop_overview(*, organisation: Organisation, user: User) -> Samenloop:
    """Per scarce good, what each active crisis of the organisation asks and got, against the
    stock: a fixed number of queries, however many crises, goods and requests.

    Only crises ``user`` is a member of (the crisis's view right) are shown or counted: a crisis
    is for its members only, its title and requests included.

    People in vulnerable groups are counted as on the crisis page (``affected_summary``): one
    level per marked wijk; groups may overlap, so this is not a number of distinct people."""
    crises = list(
        get_objects_for_user(
            user,
            "crisisroom." + roles.VIEW,
            klass=Crisis.objects.filter(organisation=organisation, status=Crisis.Status.ACTIVE),
            with_superuser=False,
            accept_global_perms=False,
        ).order_by("started_at", "pk")
    )
    if len(crises) < 2:
        return Samenloop(crises=crises, goods=[])
    ids = [c.pk for c in crises]
    zero = Decimal(0)
    stocked = goods_with_stock(organisation=organisation)
    goods = [row.good for row in stocked]
    stock = {row.good.pk: row.total for row in stocked}
    requested = {
        (row["crisis"], row["good"]): (row["n"], row["q"] or zero)
        for row in AllocationRequest.objects.filter(crisis_id__in=ids, status=RequestStatus.OPEN)
        .values("crisis", "good")
        .annotate(n=Count("pk"), q=Sum("quantity"))
    }
    allocated = {
        (row["crisis"], row["good"]): row["q"] or zero
        for row in AllocationDecision.objects.filter(crisis_id__in=ids)
        .values("crisis", "good")
        .annotate(q=Sum("quantity"))
    }
    districts = {
        row["crisis"]: row["n"]
        for row in AffectedDistrict.objects.filter(crisis_id__in=ids)
        .values("crisis")
        .annotate(n=Count("pk"))
    }
    people = _people_per_crisis(organisation=organisation, crisis_ids=ids)
    rows = []
    for good in goods:
        sets: dict[bool, list[CrisisClaim]] = {True: [], False: []}
        for crisis in crises:
            n, q = requested.get((crisis.pk, good.pk), (0, zero))
            sets[crisis.is_exercise].append(
                CrisisClaim(
                    crisis=crisis,
                    open_count=n,
                    open_quantity=q,
                    allocated=allocated.get((crisis.pk, good.pk), zero),
                    districts=districts.get(crisis.pk, 0),
                    people=people.get(crisis.pk, 0),
                )
            )
        rows.append(
            GoodClaims(
                good=good,
                stock=stock.get(good.pk, zero),
                real=ClaimSet(sets[False]),
                exercise=ClaimSet(sets[True]),
            )
        )
    return Samenloop(crises=crises, goods=rows)


def _people_per_crisis(*, organisation: Organisation, crisis_ids: list[int]) -> dict[int, int]:
    """People in vulnerable groups per crisis, counted by affected_summary's rule: 3 queries."""
    by_id = {d.pk: d for d in _districts_light(organisation.pk)}
    marked: dict[int, list[District]] = defaultdict(list)
    for crisis_id, district_id in AffectedDistrict.objects.filter(
        crisis_id__in=crisis_ids
    ).values_list("crisis_id", "district_id"):
        marked[crisis_id].append(by_id[district_id])
    counts = [
        _Count(*row)
        for row in GroupCount.objects.filter(group__organisation=organisation).values_list(
            "group_id", "group__name", "district_id", "count", "source", "as_of"
        )
    ]
    all_districts = list(by_id.values())
    people: dict[int, int] = {}
    for crisis_id, districts in marked.items():
        covered = {d.pk for d in _coverage(districts, all_districts)}
        mine = [c for c in counts if c.district_id in covered]
        people[crisis_id] = sum(c.people for c in _counts_that_count(districts, mine, by_id))
    return people


def request_deadline_text(when: datetime | None) -> str:
    if when is None:
        return ""
    return date_format(timezone.localtime(when), "j M H:i")
