"""Reads for running an exercise: an organisation's runs, the injects as the exercise control
sees them, what the players were told, and the observers' notes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from crisisroom.models import Crisis, Organisation
from meetings.models import Entry

from ..models import Exercise, Inject, InjectRelease, Observation
from ..services.run import injects_due

RUNS_SHOWN = 200
RECENT_ENTRIES_TO_OBSERVE = 50


def clock_minute(at: datetime, start: datetime | None) -> int | None:
    """Whole minutes on the exercise clock (the screens' "T+12"); None before the start."""
    if start is None or at < start:
        return None
    return int((at - start).total_seconds() // 60)


def exercise_minute(*, exercise: Exercise, at: datetime | None) -> int | None:
    """Whole minutes on the exercise clock at ``at`` (T+mm); None before the clock started."""
    return None if at is None else clock_minute(at, exercise.clock_started_at)


def exercise_state(*, exercise: Exercise) -> str:
    """prepared (voorbereid), running, ended or evaluated."""
    if exercise.evaluation_closed_at is not None:
        return "evaluated"
    if exercise.ended_at is not None:
        return "ended"
    if exercise.clock_started_at is not None:
        return "running"
    return "prepared"


# -- an organisation's runs ----------------------------------------------------------------------


@dataclass(frozen=True)
class RunRow:
    exercise: Exercise
    state: str
    # The moment that dates the run: the clock's start, else when it was prepared.
    on: datetime
    # Whether the viewer sits in the exercise's team: only then the crisis itself is shown.
    is_member: bool


def runs_of(*, organisation: Organisation, user: User) -> list[RunRow]:
    """A municipality's own exercises; for a region, the runs of its scenarios (its own, or a
    member's adopted copy of one) at its current member organisations."""
    runs: QuerySet[Exercise] = Exercise.objects.select_related(
        "crisis__organisation", "scenario_version__scenario"
    )
    if organisation.is_region:
        runs = runs.filter(crisis__organisation__region=organisation).filter(
            Q(scenario_version__scenario__organisation=organisation)
            | Q(scenario_version__scenario__origin__organisation=organisation)
        )
    else:
        runs = runs.filter(crisis__organisation=organisation)
    member_of = get_objects_for_user(
        user,
        "crisisroom.view_crisis",
        klass=Crisis,
        with_superuser=False,
        accept_global_perms=False,
    )
    runs = runs.annotate(
        viewer_is_member=Exists(member_of.filter(pk=OuterRef("crisis_id")).order_by())
    ).order_by("-created_at", "-pk")[:RUNS_SHOWN]
    return [
        RunRow(
            exercise=run,
            state=exercise_state(exercise=run),
            on=run.clock_started_at or run.created_at,
            is_member=bool(getattr(run, "viewer_is_member", False)),
        )
        for run in runs
    ]


# -- the control screen --------------------------------------------------------------------------


@dataclass(frozen=True)
class InjectRow:
    """One inject on the exercise leader's screen, with its release or what it waits for."""

    inject: Inject
    release: InjectRelease | None
    state: str  # released, due, waiting
    release_minute: int | None

    due_at: datetime | None  # a timed inject's moment once the clock runs

    @property
    def is_released(self) -> bool:
        return self.release is not None


def injects_for_control(*, exercise: Exercise, now: datetime | None = None) -> list[InjectRow]:
    releases = {
        release.inject_id: release
        for release in InjectRelease.objects.filter(exercise=exercise).select_related(
            "released_by", "message"
        )
    }
    due = {inject.pk for inject in injects_due(exercise=exercise, now=now)}
    rows = []
    for inject in exercise.scenario_version.injects.order_by("number"):
        release = releases.get(inject.pk)
        state = "released" if release else ("due" if inject.pk in due else "waiting")
        rows.append(
            InjectRow(
                inject=inject,
                release=release,
                state=state,
                release_minute=exercise_minute(
                    exercise=exercise, at=release.released_at if release else None
                ),
                due_at=(
                    exercise.clock_started_at + timedelta(minutes=inject.offset_minutes)
                    if exercise.clock_started_at and inject.offset_minutes is not None
                    else None
                ),
            )
        )
    return rows


# -- what the players see ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlayerInject:
    """A released inject as the players know it: nothing of the exercise control's note or
    the response it expects is even handed to the template."""

    number: int
    channel: str
    sender: str
    addressee_role: str
    summary: str
    text: str
    released_at: datetime
    minute: int | None
    message_seq: int | None


def injects_released_for_players(*, exercise: Exercise) -> list[PlayerInject]:
    releases = (
        InjectRelease.objects.filter(exercise=exercise)
        .select_related("inject", "message")
        .order_by("released_at", "pk")
    )
    return [
        PlayerInject(
            number=r.inject.number,
            channel=r.inject.get_channel_display(),
            sender=r.inject.sender,
            addressee_role=r.inject.get_addressee_role_display(),
            summary=r.inject.summary,
            text=r.inject.text,
            released_at=r.released_at,
            minute=exercise_minute(exercise=exercise, at=r.released_at),
            message_seq=r.message.seq if r.message else None,
        )
        for r in releases
    ]


# -- the observers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationRow:
    observation: Observation
    minute: int | None


def observations_of(*, exercise: Exercise) -> list[ObservationRow]:
    """The observations, newest first (EXCON only until the evaluation is closed: the view
    asks the access helper)."""
    observations = (
        Observation.objects.filter(exercise=exercise)
        .select_related("observer", "entry", "inject", "objective")
        .order_by("-at", "-pk")
    )
    return [
        ObservationRow(observation=o, minute=exercise_minute(exercise=exercise, at=o.at))
        for o in observations
    ]


def entries_to_observe(*, exercise: Exercise) -> QuerySet[Entry]:
    """The newest entries of the exercise's log, for the observer to point at."""
    recent = Entry.objects.filter(crisis_id=exercise.crisis_id).order_by("-seq")
    return Entry.objects.filter(
        pk__in=list(recent.values_list("pk", flat=True)[:RECENT_ENTRIES_TO_OBSERVE])
    ).order_by("-seq")


def injects_released(*, exercise: Exercise) -> QuerySet[Inject]:
    return Inject.objects.filter(
        pk__in=InjectRelease.objects.filter(exercise=exercise).values("inject_id")
    ).order_by("number")
