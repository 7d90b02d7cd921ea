"""Reads of the evaluation: what the evaluation page and the report show of one run (the
observations, the ratings, the leerpunten, the feedback, the timeline of phases, injects and
decisions on the exercise clock), and the region's comparison of the runs of one scenario."""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from crisisroom.boboc import Phase
from crisisroom.models import Membership
from crisisroom.roles import Role
from crisisroom.text import display_name
from meetings.models import Entry, MeetingEvent

from ..models import (
    Exercise,
    Feedback,
    FeedbackReceipt,
    InjectRelease,
    LearningObjective,
    LessonLearned,
    Observation,
    Rating,
    Scenario,
)
from .run import clock_minute, exercise_state


def clock_label(at: datetime, start: datetime | None) -> str:
    """``at`` on the exercise clock: "T+01:05" (hours and minutes after the clock started),
    "T-00:10" before it; empty when the clock never started."""
    if start is None:
        return ""
    seconds = int((at - start).total_seconds())
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"T{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _phase_label(value: str) -> str:
    return str(Phase(value).label) if value in Phase.values else value


# -- one run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationRow:
    observation: Observation
    clock: str
    minute: int | None
    phase: str
    observer: str
    entry_label: str  # "#12 besluit", or ""
    inject_label: str  # "3. Pers vraagt om interview", or ""
    objective: str


@dataclass(frozen=True)
class FeedbackRow:
    author: str  # "" when anonymous
    went_well: str
    to_improve: str

    @property
    def anonymous(self) -> bool:
        return not self.author


@dataclass(frozen=True)
class ObjectiveRow:
    objective: LearningObjective
    rating: Rating | None


@dataclass(frozen=True)
class LessonRow:
    lesson: LessonLearned
    owner: str
    measure_code: str  # "M4", or ""


def observations_of(*, exercise: Exercise) -> list[ObservationRow]:
    """Every observation of the run in time order. Only for those who may see them: EXCON,
    and everyone once the evaluation is closed (ExerciseAccess.can_see_observations)."""
    observations = Observation.objects.filter(exercise=exercise).select_related(
        "observer", "entry", "inject", "objective"
    )
    return [
        ObservationRow(
            observation=o,
            clock=clock_label(o.at, exercise.clock_started_at),
            minute=clock_minute(o.at, exercise.clock_started_at),
            phase=_phase_label(o.phase) if o.phase else "",
            observer=display_name(o.observer),
            entry_label=f"#{o.entry.seq} {o.entry.get_kind_display()}" if o.entry else "",
            inject_label=str(o.inject) if o.inject else "",
            objective=o.objective.text if o.objective else "",
        )
        for o in observations
    ]


def objectives_with_ratings(*, exercise: Exercise) -> list[ObjectiveRow]:
    ratings = {
        r.objective_id: r
        for r in Rating.objects.filter(exercise=exercise).select_related("rated_by")
    }
    return [
        ObjectiveRow(objective=o, rating=ratings.get(o.pk))
        for o in LearningObjective.objects.filter(version=exercise.scenario_version_id)
    ]


def lessons_of(*, exercise: Exercise) -> list[LessonRow]:
    lessons = LessonLearned.objects.filter(exercise=exercise).select_related(
        "owner", "measure", "objective"
    )
    return [
        LessonRow(
            lesson=lesson,
            owner=display_name(lesson.owner),
            measure_code=lesson.measure.code if lesson.measure else "",
        )
        for lesson in lessons
    ]


def feedback_of(*, exercise: Exercise) -> list[FeedbackRow]:
    """The feedback, named first in the order given, then the anonymous ones in the order of
    their text: never in the order they came, which would say who wrote them."""
    named: list[FeedbackRow] = []
    anonymous: list[FeedbackRow] = []
    for f in Feedback.objects.filter(exercise=exercise).select_related("author"):
        row = FeedbackRow(
            author=display_name(f.author) if f.author else "",
            went_well=f.went_well,
            to_improve=f.to_improve,
        )
        (named if f.author_id else anonymous).append(row)
    anonymous.sort(key=lambda row: (row.went_well.casefold(), row.to_improve.casefold()))
    return named + anonymous


def feedback_given_by(*, exercise: Exercise, user: User) -> bool:
    return FeedbackReceipt.objects.filter(exercise=exercise, user=user).exists()


def exercise_leaders_of(*, exercise: Exercise) -> list[str]:
    return [
        display_name(m.user)
        for m in Membership.objects.filter(
            crisis=exercise.crisis_id, role=Role.EXERCISE_LEADER
        ).select_related("user")
    ]


# -- the timeline on the exercise clock ----------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    clock: str
    kind: str  # "started", "phase", "closed" (a meeting's) or "inject"
    meeting_number: int | None = None
    phase: str = ""
    release: InjectRelease | None = None


@dataclass(frozen=True)
class DecisionRow:
    entry: Entry
    at: datetime
    clock: str
    meeting_number: int | None
    after_inject: int | None  # the number of the last inject released before it
    minutes_after_inject: int | None


def releases_of(*, exercise: Exercise) -> list[InjectRelease]:
    return list(
        InjectRelease.objects.filter(exercise=exercise)
        .select_related("inject")
        .order_by("released_at", "pk")
    )


def timeline_of(*, exercise: Exercise) -> list[TimelineRow]:
    """The meetings' starts, phase changes and closes and the injects' releases on one time
    axis."""
    start = exercise.clock_started_at
    rows = [
        TimelineRow(
            at=e.at,
            clock=clock_label(e.at, start),
            kind=e.kind,
            meeting_number=e.meeting.number,
            phase=_phase_label(e.to_phase) if e.to_phase else "",
        )
        for e in MeetingEvent.objects.filter(
            meeting__crisis=exercise.crisis_id,
            kind__in=(MeetingEvent.Kind.STARTED, MeetingEvent.Kind.PHASE, MeetingEvent.Kind.CLOSED),
        ).select_related("meeting")
    ]
    rows += [
        TimelineRow(
            at=r.released_at, clock=clock_label(r.released_at, start), kind="inject", release=r
        )
        for r in releases_of(exercise=exercise)
    ]
    # An inject released at the very moment a phase starts follows it: the phase brought it.
    rows.sort(key=lambda row: (row.at, row.kind == "inject"))
    return rows


def _decision_entries(crisis_ids: Iterable[int]) -> list[Entry]:
    """The decisions in force: a corrected decision counts once, as its correction, at the
    time of the decision it corrects (what the team decided, and when)."""
    return list(
        Entry.objects.filter(
            crisis__in=list(crisis_ids), kind=Entry.Kind.BESLUIT, correction__isnull=True
        )
        .select_related("corrects", "meeting")
        .order_by("crisis", "seq")
    )


def _decided_at(entry: Entry) -> datetime:
    """When the decision was first taken: a correction of a correction walks back to the first
    entry (a rare chain, a query per extra step)."""
    first = entry
    while first.corrects_id:
        previous = first.corrects
        if previous is None:
            break
        first = previous
    return first.occurred_at or first.recorded_at


def _last_before(releases: Sequence[InjectRelease], at: datetime) -> InjectRelease | None:
    last = None
    for release in releases:
        if release.released_at <= at:
            last = release
        else:
            break
    return last


def decisions_of(*, exercise: Exercise) -> list[DecisionRow]:
    """The team's decisions with their time on the exercise clock and after which inject."""
    releases = releases_of(exercise=exercise)
    rows = []
    for entry in _decision_entries([exercise.crisis_id]):
        at = _decided_at(entry)
        last = _last_before(releases, at)
        rows.append(
            DecisionRow(
                entry=entry,
                at=at,
                clock=clock_label(at, exercise.clock_started_at),
                meeting_number=entry.meeting.number if entry.meeting else None,
                after_inject=last.inject.number if last else None,
                minutes_after_inject=(
                    int((at - last.released_at).total_seconds() // 60) if last else None
                ),
            )
        )
    rows.sort(key=lambda row: (row.at, row.entry.seq))
    return rows


def median_minutes_to_decision(
    release_times: Iterable[datetime], decision_times: Iterable[datetime]
) -> float | None:
    """The median of the minutes from each inject to the first decision after it; injects no
    decision followed do not count. None when there is nothing to measure."""
    decisions = sorted(decision_times)
    gaps = []
    for released in release_times:
        following = next((d for d in decisions if d >= released), None)
        if following is not None:
            gaps.append((following - released).total_seconds() / 60)
    return statistics.median(gaps) if gaps else None


# -- the region's comparison ---------------------------------------------------------------------


@dataclass
class RunColumn:
    exercise: Exercise
    organisation: str
    started_at: datetime
    version: int
    is_copy: bool
    status: str
    injects_released: int = 0
    decisions: int = 0
    median_minutes: float | None = None
    observations: int = 0
    lessons: int = 0


@dataclass
class ObjectiveComparison:
    text: str
    cells: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    runs: list[RunColumn]
    objectives: list[ObjectiveComparison]


def run_status(exercise: Exercise) -> str:
    """The run's state (``exercise_state``) in words."""
    return {
        "evaluated": _("evaluated"),
        "ended": _("ended, evaluation open"),
        "running": _("running"),
        "prepared": _("not started"),
    }[exercise_state(exercise=exercise)]


def _objective_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def runs_compare(*, scenario: Scenario) -> Comparison:
    """The runs of ``scenario`` and of its members' adopted copies side by side: aggregate
    facts per run (no decision texts, no names of the team) and, per learning objective
    matched by its text across versions and copies, each run's rating. A few queries in all."""
    runs = list(
        Exercise.objects.filter(
            Q(scenario_version__scenario=scenario) | Q(scenario_version__scenario__origin=scenario)
        )
        .select_related("crisis__organisation", "scenario_version__scenario")
        .order_by("crisis__started_at", "pk")
    )
    ids = [run.pk for run in runs]

    def counts(queryset) -> dict[int, int]:
        return dict(queryset.values_list("exercise").annotate(n=Count("pk")).order_by())

    released = counts(InjectRelease.objects.filter(exercise__in=ids))
    observed = counts(Observation.objects.filter(exercise__in=ids))
    learned = counts(LessonLearned.objects.filter(exercise__in=ids))
    release_times: dict[int, list[datetime]] = defaultdict(list)
    for exercise_id, at in InjectRelease.objects.filter(exercise__in=ids).values_list(
        "exercise", "released_at"
    ):
        release_times[exercise_id].append(at)
    decision_times: dict[int, list[datetime]] = defaultdict(list)
    for entry in _decision_entries(run.crisis_id for run in runs):
        decision_times[entry.crisis_id].append(_decided_at(entry))

    columns = []
    for run in runs:
        version = run.scenario_version
        median = median_minutes_to_decision(release_times[run.pk], decision_times[run.crisis_id])
        columns.append(
            RunColumn(
                exercise=run,
                organisation=run.crisis.organisation.name,
                started_at=run.clock_started_at or run.crisis.started_at,
                version=version.number,
                is_copy=version.scenario_id != scenario.pk,
                status=run_status(run),
                injects_released=released.get(run.pk, 0),
                decisions=len(decision_times[run.crisis_id]),
                median_minutes=median,
                observations=observed.get(run.pk, 0),
                lessons=learned.get(run.pk, 0),
            )
        )

    # The objectives' rows: the newest version's first, then any other version's in order.
    newest = scenario.versions.order_by("-number").first()
    version_ids = [newest.pk] if newest else []
    version_ids += [run.scenario_version_id for run in runs if run.scenario_version_id]
    objectives_by_version: dict[int, dict[str, LearningObjective]] = defaultdict(dict)
    texts: dict[str, str] = {}
    all_objectives = LearningObjective.objects.filter(version__in=set(version_ids))
    ordered = sorted(
        all_objectives,
        key=lambda o: (version_ids.index(o.version_id), o.order, o.pk),
    )
    for objective in ordered:
        key = _objective_key(objective.text)
        texts.setdefault(key, objective.text)
        objectives_by_version[objective.version_id].setdefault(key, objective)
    # A rating is the evaluation's: shown once the exercise leader closed it, as the players
    # see it (an administrator comparing may have sat at that table).
    levels = {
        (r.exercise_id, r.objective_id): str(r.get_level_display())
        for r in Rating.objects.filter(
            exercise__in=ids, exercise__evaluation_closed_at__isnull=False
        )
    }
    rows = []
    for key, text in texts.items():
        row = ObjectiveComparison(text=text)
        for run in runs:
            matched = objectives_by_version[run.scenario_version_id].get(key)
            if matched is None:
                row.cells.append(_("not in this version"))
            else:
                row.cells.append(levels.get((run.pk, matched.pk), _("not rated")))
        rows.append(row)
    return Comparison(runs=columns, objectives=rows)
