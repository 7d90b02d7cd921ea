"""Reads of regional publishing: what a region can publish and did, which member took which
version (the region's overview), and what the region published to a member."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from crisisroom.boboc import PHASE_ORDER, Phase
from crisisroom.models import Organisation
from crisisroom.roles import Role
from formats.models import AnalysisFormat, CardSet, FormatSection
from formats.selectors import cards_current, format_current

from ..models import Adoption, Publication, ScenarioVersion

Publishable = AnalysisFormat | CardSet | ScenarioVersion

# -- what a region can publish -----------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    """One version the region may publish, and whether (when, by whom) it did."""

    kind: str
    pk: int
    number: int
    title: str  # a scenario's title; empty for the format and the cards
    note: str  # what changed
    created_at: datetime
    created_by: User | None
    is_default: bool
    publication: Publication | None

    @property
    def is_published(self) -> bool:
        return self.publication is not None


@dataclass(frozen=True)
class RegionVersions:
    formats: list[VersionRow]
    cards: list[VersionRow]
    scenarios: list[VersionRow]


def region_versions(*, region: Organisation) -> RegionVersions:
    """Every version of the region's format, cards and scenarios, newest first, each with its
    publication if it has one."""
    publications = Publication.objects.filter(region=region).select_related("published_by")
    by_format = {p.format_id: p for p in publications if p.format_id}
    by_cards = {p.card_set_id: p for p in publications if p.card_set_id}
    by_version = {p.scenario_version_id: p for p in publications if p.scenario_version_id}
    formats = [
        VersionRow(
            kind=Publication.Kind.FORMAT,
            pk=f.pk,
            number=f.version,
            title="",
            note=f.note,
            created_at=f.created_at,
            created_by=f.created_by,
            is_default=f.is_default,
            publication=by_format.get(f.pk),
        )
        for f in region.analysis_formats.select_related("created_by").order_by("-version")
    ]
    cards = [
        VersionRow(
            kind=Publication.Kind.CARDS,
            pk=c.pk,
            number=c.version,
            title="",
            note=c.note,
            created_at=c.created_at,
            created_by=c.created_by,
            is_default=c.is_default,
            publication=by_cards.get(c.pk),
        )
        for c in region.card_sets.select_related("created_by")
        .defer("card", "tasks")
        .order_by("-version")
    ]
    scenarios = [
        VersionRow(
            kind=Publication.Kind.SCENARIO,
            pk=v.pk,
            number=v.number,
            title=v.title,
            note=v.note,
            created_at=v.created_at,
            created_by=v.created_by,
            is_default=False,
            publication=by_version.get(v.pk),
        )
        for v in ScenarioVersion.objects.filter(scenario__organisation=region)
        .select_related("created_by")
        .defer("background", "analysis")
        .order_by("scenario_id", "-number")
    ]
    return RegionVersions(formats=formats, cards=cards, scenarios=scenarios)


def publishable_target(*, region: Organisation, kind: str, pk: int) -> Publishable | None:
    """The region's own version of this kind by id; None for anything else (another
    organisation's, or no such thing)."""
    if kind == Publication.Kind.FORMAT:
        return AnalysisFormat.objects.filter(organisation=region, pk=pk).first()
    if kind == Publication.Kind.CARDS:
        return CardSet.objects.filter(organisation=region, pk=pk).first()
    if kind == Publication.Kind.SCENARIO:
        return (
            ScenarioVersion.objects.select_related("scenario")
            .filter(scenario__organisation=region, pk=pk)
            .first()
        )
    return None


# -- the region's overview: which member took which version ------------------------------------


def _region_number(publication: Publication) -> int:
    if publication.format is not None:
        return publication.format.version
    if publication.card_set is not None:
        return publication.card_set.version
    if publication.scenario_version is None:  # the check constraint rules it out
        raise ValueError("A publication without its object.")
    return publication.scenario_version.number


@dataclass(frozen=True)
class OverviewColumn:
    key: str  # "format", "cards" or "scenario-<pk of the region's scenario>"
    kind: str
    label: str
    latest: int  # the newest version the region published


@dataclass(frozen=True)
class AdoptionCell:
    """What one member did with one published thing."""

    column: OverviewColumn
    region_version: int | None = None  # the region's version it adopted last
    adopted_at: datetime | None = None
    adopted_by: User | None = None
    own_version: int | None = None  # its own newer version, adapted since it adopted
    newer: int | None = None  # a newer region version awaits

    @property
    def is_adopted(self) -> bool:
        return self.region_version is not None


@dataclass(frozen=True)
class MemberRow:
    member: Organisation
    cells: list[AdoptionCell]


@dataclass(frozen=True)
class AdoptionOverview:
    columns: list[OverviewColumn]
    rows: list[MemberRow]


def _columns(publications: list[Publication]) -> list[OverviewColumn]:
    columns: list[OverviewColumn] = []
    for kind, label in (
        (Publication.Kind.FORMAT, _("Analysis format")),
        (Publication.Kind.CARDS, _("Cards")),
    ):
        numbers = [_region_number(p) for p in publications if p.kind == kind]
        if numbers:
            columns.append(OverviewColumn(key=kind, kind=kind, label=label, latest=max(numbers)))
    newest: dict[int, ScenarioVersion] = {}
    for p in publications:
        version = p.scenario_version
        if version is None:
            continue
        known = newest.get(version.scenario_id)
        if known is None or version.number > known.number:
            newest[version.scenario_id] = version
    for scenario_id, version in sorted(newest.items()):
        columns.append(
            OverviewColumn(
                key=f"scenario-{scenario_id}",
                kind=Publication.Kind.SCENARIO,
                label=version.title,
                latest=version.number,
            )
        )
    return columns


def _column_key(publication: Publication) -> str:
    if publication.scenario_version is not None:
        return f"scenario-{publication.scenario_version.scenario_id}"
    return publication.kind


def adoption_overview(*, region: Organisation) -> AdoptionOverview:
    """Per member organisation of the region, for the format, the cards and each published
    scenario: the region version it adopted last and when, whether it adapted its copy since,
    and whether a newer region version awaits. Only version numbers and dates: the region sees
    no member's crisis content."""
    members = list(Organisation.objects.filter(region=region).order_by("name"))
    publications = list(
        Publication.objects.filter(region=region).select_related(
            "format", "card_set", "scenario_version"
        )
    )
    columns = _columns(publications)
    by_key = {c.key: c for c in columns}
    member_ids = [m.pk for m in members]
    adoptions = list(
        Adoption.objects.filter(publication__region=region, organisation_id__in=member_ids)
        .select_related(
            "adopted_by",
            "format",
            "card_set",
            "publication__format",
            "publication__card_set",
            "publication__scenario_version",
        )
        .order_by("adopted_at", "pk")
    )
    # The last adoption per member and column is the one in force.
    last: dict[tuple[int, str], Adoption] = {}
    for adoption in adoptions:
        last[(adoption.organisation_id, _column_key(adoption.publication))] = adoption
    current_format = dict(
        AnalysisFormat.objects.filter(organisation_id__in=member_ids)
        .values("organisation_id")
        .annotate(n=Max("version"))
        .values_list("organisation_id", "n")
    )
    current_cards = dict(
        CardSet.objects.filter(organisation_id__in=member_ids)
        .values("organisation_id")
        .annotate(n=Max("version"))
        .values_list("organisation_id", "n")
    )
    copy_ids = {a.scenario_id for a in last.values() if a.scenario_id}
    copy_newest = dict(
        ScenarioVersion.objects.filter(scenario_id__in=copy_ids)
        .values("scenario_id")
        .annotate(n=Max("number"))
        .values_list("scenario_id", "n")
    )
    # The member's version made from a region version, by (copy, region version).
    copy_made = {
        (scenario_id, based_on_id): number
        for scenario_id, based_on_id, number in ScenarioVersion.objects.filter(
            scenario_id__in=copy_ids, based_on__isnull=False
        ).values_list("scenario_id", "based_on_id", "number")
    }
    rows = []
    for member in members:
        cells = []
        for column in columns:
            in_force = last.get((member.pk, column.key))
            if in_force is None:
                cells.append(AdoptionCell(column=by_key[column.key]))
                continue
            publication = in_force.publication
            region_version = _region_number(publication)
            own: int | None = None
            if in_force.format is not None:
                current = current_format.get(member.pk, 0)
                own = current if current > in_force.format.version else None
            elif in_force.card_set is not None:
                current = current_cards.get(member.pk, 0)
                own = current if current > in_force.card_set.version else None
            elif in_force.scenario_id is not None:
                made = copy_made.get((in_force.scenario_id, publication.scenario_version_id or 0))
                newest_own = copy_newest.get(in_force.scenario_id, 0)
                own = newest_own if made is not None and newest_own > made else None
            cells.append(
                AdoptionCell(
                    column=column,
                    region_version=region_version,
                    adopted_at=in_force.adopted_at,
                    adopted_by=in_force.adopted_by,
                    own_version=own,
                    newer=column.latest if column.latest > region_version else None,
                )
            )
        rows.append(MemberRow(member=member, cells=cells))
    return AdoptionOverview(columns=columns, rows=rows)


# -- what the region published to a member -----------------------------------------------------


@dataclass(frozen=True)
class SectionDiff:
    """The region's format against the member's current one, by section title."""

    added: list[str]
    removed: list[str]
    changed: list[str]

    @property
    def is_same(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class CardPartDiff:
    """One part of the cards (the agenda, a phase, a task card) that differs: how many lines
    the region's version has that the member's has not, and the other way round."""

    label: str
    added: int
    removed: int


@dataclass(frozen=True)
class PublicationItem:
    publication: Publication
    number: int  # the region's version number
    title: str  # a scenario's title; empty for the format and the cards
    adoption: Adoption | None
    format_diff: SectionDiff | None = None
    cards_diff: list[CardPartDiff] | None = None
    own_version: int | None = None  # the member's format or cards, adapted since it adopted

    @property
    def is_adopted(self) -> bool:
        return self.adoption is not None


@dataclass(frozen=True)
class PublicationGroup:
    kind: str
    label: str
    items: list[PublicationItem]


@dataclass(frozen=True)
class MemberPublications:
    region: Organisation | None
    format_version: int
    cards_version: int
    groups: list[PublicationGroup]

    @property
    def is_empty(self) -> bool:
        return not any(group.items for group in self.groups)


_SECTION_COMPARED = ("title", "help_text", "required", "in_kernbeeld")


def section_diff(*, region_sections: list[FormatSection], own: list[FormatSection]) -> SectionDiff:
    """Sections by key: the region's that the member lacks, the member's that the region
    lacks, and those whose title, guiding questions or settings differ."""
    mine = {s.key: s for s in own}
    theirs = {s.key: s for s in region_sections}
    return SectionDiff(
        added=[s.title for s in region_sections if s.key not in mine],
        removed=[s.title for s in own if s.key not in theirs],
        changed=[
            s.title
            for s in region_sections
            if s.key in mine
            and any(getattr(s, f) != getattr(mine[s.key], f) for f in _SECTION_COMPARED)
        ],
    )


def _card_labels() -> dict[str, str]:
    return {
        "agenda": _("Agenda"),
        "roles": _("Roles"),
        "challenges": _("Challenges and points of attention"),
        "uitgangspunten": _("Strategic uitgangspunten"),
        "families": _("Strategic families"),
    }


def _counted(items: object) -> Counter[str]:
    if not isinstance(items, list):
        return Counter()
    return Counter(str(item).strip() for item in items if str(item).strip())


def _part(label: str, theirs: object, mine: object) -> CardPartDiff | None:
    a, b = _counted(theirs), _counted(mine)
    added, removed = sum((a - b).values()), sum((b - a).values())
    return CardPartDiff(label=label, added=added, removed=removed) if added or removed else None


def cards_diff(*, region_cards: CardSet, own: CardSet) -> list[CardPartDiff]:
    """The parts of the cards that differ, with how many lines were added and removed."""
    parts: list[CardPartDiff | None] = []
    for name, label in _card_labels().items():
        parts.append(_part(label, region_cards.card.get(name), own.card.get(name)))
    theirs_phases = region_cards.card.get("phases") or {}
    mine_phases = own.card.get("phases") or {}
    phase_labels = dict(Phase.choices)
    for phase in PHASE_ORDER:
        label = _("Attention points: %(phase)s") % {"phase": phase_labels[phase]}
        parts.append(_part(label, theirs_phases.get(phase), mine_phases.get(phase)))
    role_labels = dict(Role.choices)
    for role in Role.values:
        if role in region_cards.tasks or role in own.tasks:
            label = _("Task card: %(role)s") % {"role": role_labels[role]}
            parts.append(_part(label, region_cards.tasks.get(role), own.tasks.get(role)))
    return [part for part in parts if part is not None]


def publications_for(*, member: Organisation) -> MemberPublications:
    """What the member's region published, newest first per kind, each with the member's
    adoption if any, and for the format and the cards what differs from its current version."""
    fmt = format_current(organisation=member)
    cards = cards_current(organisation=member)
    if member.is_region or member.region_id is None:
        return MemberPublications(
            region=None, format_version=fmt.version, cards_version=cards.version, groups=[]
        )
    publications = list(
        Publication.objects.filter(region_id=member.region_id)
        .select_related("published_by", "format", "card_set", "scenario_version")
        .prefetch_related(
            Prefetch("format__sections", queryset=FormatSection.objects.order_by("order", "pk"))
        )
        .order_by("-published_at", "-pk")
    )
    adoptions = {
        a.publication_id: a
        for a in Adoption.objects.filter(
            organisation=member, publication__region_id=member.region_id
        ).select_related("adopted_by", "format", "card_set")
    }
    own_sections = list(fmt.sections.order_by("order", "pk"))
    grouped: dict[str, list[PublicationItem]] = defaultdict(list)
    for p in publications:
        adoption = adoptions.get(p.pk)
        own: int | None = None
        if adoption is not None and adoption.format is not None:
            own = fmt.version if fmt.version > adoption.format.version else None
        elif adoption is not None and adoption.card_set is not None:
            own = cards.version if cards.version > adoption.card_set.version else None
        item = PublicationItem(
            publication=p,
            number=_region_number(p),
            title=p.scenario_version.title if p.scenario_version else "",
            adoption=adoption,
            own_version=own,
            format_diff=(
                section_diff(region_sections=list(p.format.sections.all()), own=own_sections)
                if p.format is not None
                else None
            ),
            cards_diff=(
                cards_diff(region_cards=p.card_set, own=cards) if p.card_set is not None else None
            ),
        )
        grouped[p.kind].append(item)
    groups = [
        PublicationGroup(kind=kind, label=str(label), items=grouped.get(kind, []))
        for kind, label in (
            (Publication.Kind.FORMAT, _("Analysis format")),
            (Publication.Kind.CARDS, _("Cards")),
            (Publication.Kind.SCENARIO, _("Exercise scenarios")),
        )
    ]
    return MemberPublications(
        region=member.region,
        format_version=fmt.version,
        cards_version=cards.version,
        groups=groups,
    )
