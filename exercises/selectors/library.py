"""Reads of the scenario library: an organisation's own scenarios, those its region published to
it, a scenario's versions with what became of them, and a version's injects in playing order."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from crisisroom.boboc import PHASE_ORDER, Phase
from crisisroom.models import Organisation
from crisisroom.roles import TeamKind
from formats.selectors import format_current

from ..access import ScenarioAccess, versions_visible_to
from ..models import Adoption, Exercise, Inject, Publication, Scenario, ScenarioVersion

# -- the library --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryRow:
    """One scenario in the library list, described by the version that matters to the
    reader: the newest of an own scenario, the newest published of a region's."""

    scenario: Scenario
    title: str
    number: int  # that version's number
    team: str  # the team kind's label
    versions: int  # how many versions the reader may see
    is_frozen: bool
    runs: int
    published_number: int | None = None  # own scenarios of a region: newest published version
    published_at: datetime | None = None  # the region's scenarios: when that version came
    copy: Scenario | None = None  # the region's scenarios: the member's own adopted copy
    origin_title: str = ""  # own scenarios adopted from the region: where they came from


def _team_label(team_kind: str) -> str:
    try:
        return str(TeamKind(team_kind).label)
    except ValueError:
        return team_kind


def library_own(*, organisation: Organisation) -> list[LibraryRow]:
    """The organisation's own scenarios, by title, each with its newest version, how many
    versions it has and how often it (or a member's copy of it) was run."""
    newest = ScenarioVersion.objects.filter(scenario=OuterRef("pk")).order_by("-number")
    published = Publication.objects.filter(
        scenario_version__scenario=OuterRef("pk"), kind=Publication.Kind.SCENARIO
    ).order_by("-scenario_version__number")
    origin_newest = ScenarioVersion.objects.filter(scenario=OuterRef("origin")).order_by("-number")
    scenarios = (
        Scenario.objects.filter(organisation=organisation)
        .annotate(
            origin_title=Subquery(origin_newest.values("title")[:1]),
            newest_title=Subquery(newest.values("title")[:1]),
            newest_number=Subquery(newest.values("number")[:1]),
            newest_team=Subquery(newest.values("team_kind")[:1]),
            newest_frozen=Subquery(newest.values("frozen_at")[:1]),
            published_number=Subquery(published.values("scenario_version__number")[:1]),
            n_versions=Count("versions", distinct=True),
        )
        .order_by(Lower("newest_title"), "pk")
    )
    run_counts = _runs_per_scenario(scenarios=[s.pk for s in scenarios])
    return [
        LibraryRow(
            scenario=s,
            title=s.newest_title,
            number=s.newest_number,
            team=_team_label(s.newest_team),
            versions=s.n_versions,
            is_frozen=s.newest_frozen is not None,
            runs=run_counts.get(s.pk, 0),
            published_number=s.published_number,
            origin_title=s.origin_title or "",
        )
        for s in scenarios
    ]


def _runs_per_scenario(*, scenarios: list[int]) -> dict[int, int]:
    """Runs of each scenario, counting the runs of members' copies to the original."""
    counts: dict[int, int] = {}
    wanted = set(scenarios)
    rows = (
        Exercise.objects.filter(
            Q(scenario_version__scenario__in=scenarios)
            | Q(scenario_version__scenario__origin__in=scenarios)
        )
        .values_list("scenario_version__scenario_id", "scenario_version__scenario__origin_id")
        .order_by()
    )
    for scenario_id, origin_id in rows:
        key = scenario_id if scenario_id in wanted else origin_id
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return counts


def library_from_region(*, organisation: Organisation) -> list[LibraryRow]:
    """The scenarios the organisation's region published to it, each by its newest published
    version, with the organisation's own runs of it and its adopted copy if it has one."""
    if organisation.region_id is None:
        return []
    publications = list(
        Publication.objects.filter(region_id=organisation.region_id, kind=Publication.Kind.SCENARIO)
        .select_related("scenario_version__scenario")
        .order_by("-scenario_version__number", "-published_at")
    )
    newest: dict[int, Publication] = {}
    counts: dict[int, int] = {}
    for publication in publications:
        version = publication.scenario_version
        assert version is not None  # nosec B101 - a scenario publication names its version
        newest.setdefault(version.scenario_id, publication)
        counts[version.scenario_id] = counts.get(version.scenario_id, 0) + 1
    runs = dict(
        Exercise.objects.filter(
            crisis__organisation=organisation, scenario_version__scenario__in=list(newest)
        )
        .values("scenario_version__scenario")
        .annotate(n=Count("pk"))
        .values_list("scenario_version__scenario", "n")
        .order_by()
    )
    copies = {
        adoption.publication.scenario_version.scenario_id: adoption.scenario
        for adoption in Adoption.objects.filter(
            organisation=organisation,
            publication__scenario_version__scenario__in=list(newest),
            scenario__isnull=False,
        )
        .select_related("publication__scenario_version", "scenario")
        .order_by("adopted_at")
        if adoption.publication.scenario_version is not None
    }
    rows = []
    for scenario_id, publication in newest.items():
        version = publication.scenario_version
        assert version is not None  # nosec B101 - as above
        rows.append(
            LibraryRow(
                scenario=version.scenario,
                title=version.title,
                number=version.number,
                team=_team_label(version.team_kind),
                versions=counts[scenario_id],
                is_frozen=version.is_frozen,
                runs=runs.get(scenario_id, 0),
                published_at=publication.published_at,
                copy=copies.get(scenario_id),
            )
        )
    rows.sort(key=lambda row: (row.title.casefold(), row.scenario.pk))
    return rows


# -- a scenario and its versions ----------------------------------------------------------------


def versions_readable(*, access: ScenarioAccess) -> QuerySet[ScenarioVersion]:
    """The versions of the scenario the reader may open: every version of an own scenario; of
    a region's, only the versions it published to this organisation."""
    versions = ScenarioVersion.objects.filter(scenario=access.scenario)
    if access.is_own:
        return versions
    visible = versions_visible_to(access.organisation).filter(scenario=access.scenario)
    return versions.filter(pk__in=visible.values("pk"))


def version_latest(*, scenario: Scenario) -> ScenarioVersion | None:
    """The scenario's newest version, readable or not: the one edits and new versions start
    from."""
    return scenario.versions.order_by("-number").first()


@dataclass(frozen=True)
class VersionRow:
    version: ScenarioVersion
    published_at: datetime | None
    runs: int  # for a region's scenario: the reader's own runs of it

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def version_history(*, access: ScenarioAccess) -> list[VersionRow]:
    """The readable versions, newest first, with who made them, what changed, whether and
    when they were published and how often they were run."""
    run_filter = Q() if access.is_own else Q(exercises__crisis__organisation=access.organisation)
    versions = (
        versions_readable(access=access)
        .select_related("created_by")
        .annotate(
            first_published=Min("publications__published_at"),
            n_runs=Count("exercises", filter=run_filter, distinct=True),
        )
        .order_by("-number")
    )
    return [VersionRow(version=v, published_at=v.first_published, runs=v.n_runs) for v in versions]


# -- injects ------------------------------------------------------------------------------------


def inject_order_key(inject: Inject) -> tuple[int, int, int]:
    """Playing order: first what comes at a time (earliest first), then what comes at a phase
    (in BOBOC order), then what the exercise leader releases by hand; by number within each."""
    if inject.offset_minutes is not None:
        return (0, inject.offset_minutes, inject.number)
    if inject.trigger_phase:
        position = (
            PHASE_ORDER.index(inject.trigger_phase)
            if inject.trigger_phase in PHASE_ORDER
            else len(PHASE_ORDER)
        )
        return (1, position, inject.number)
    return (2, 0, inject.number)


def injects_in_order(*, version: ScenarioVersion) -> list[Inject]:
    return sorted(version.injects.all(), key=inject_order_key)


def inject_when(inject: Inject) -> str:
    """When an inject comes, in words: "T+15 min", "at Oordeelsvorming" or "by hand"."""
    if inject.offset_minutes is not None:
        return _("T+%(minutes)d min") % {"minutes": inject.offset_minutes}
    if inject.trigger_phase:
        try:
            phase = str(Phase(inject.trigger_phase).label)
        except ValueError:
            phase = inject.trigger_phase
        return _("at %(phase)s") % {"phase": phase}
    return _("by hand")


# -- the starting analysis ----------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisSection:
    key: str
    title: str
    help_text: str
    required: bool
    text: str
    in_format: bool  # False: a section the organisation's current format no longer has


def analysis_sections(
    *, organisation: Organisation, analysis: dict[str, str] | None = None
) -> list[AnalysisSection]:
    """The sections of ``organisation``'s current analysis format in its order, each with its
    text from ``analysis``; then any section of ``analysis`` the format does not have, so
    nothing written disappears unseen."""
    analysis = analysis or {}
    fmt = format_current(organisation=organisation)
    sections = [
        AnalysisSection(
            key=s.key,
            title=s.title,
            help_text=s.help_text,
            required=s.required,
            text=str(analysis.get(s.key, "")),
            in_format=True,
        )
        for s in fmt.sections.order_by("order", "pk")
    ]
    known = {s.key for s in sections}
    sections.extend(
        AnalysisSection(
            key=key,
            title=key,
            help_text="",
            required=False,
            text=str(text),
            in_format=False,
        )
        for key, text in analysis.items()
        if key not in known
    )
    return sections
