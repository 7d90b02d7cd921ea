"""Building on what is known: the kernbeeld a meeting starts from, what changed since the
previous meeting, and the cycle as a member's home page shows it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from crisisroom.models import Crisis, Membership
from crisisroom.roles import Role
from crisisroom.text import display_name
from formats.models import AnalysisRead, AnalysisVersion
from formats.selectors import (
    analysis_version_newest,
    diff_html,
    kernbeeld_latest,
)

from ..models import (
    Assignment,
    Entry,
    KernbeeldVersion,
    Meeting,
)
from .meeting import meeting_current


@dataclass(frozen=True)
class KernbeeldStart:
    """What the next meeting's kernbeeld can start from, and which the team is offered first:
    the previous meeting's final kernbeeld, or the newest analysis if it was handed over since."""

    previous: Meeting | None
    previous_text: str
    analysis: AnalysisVersion | None
    analysis_text: str

    @property
    def analysis_is_newer(self) -> bool:
        if self.analysis is None:
            return False
        if self.previous is None:
            return True
        settled = self.previous.kernbeeld_updated_at or self.previous.started_at
        return self.analysis.handed_over_at > settled

    @property
    def default(self) -> str:
        if self.previous is not None and not self.analysis_is_newer:
            return KernbeeldVersion.Source.PREVIOUS
        if self.analysis is not None:
            return KernbeeldVersion.Source.ANALYSIS
        return KernbeeldVersion.Source.EMPTY

    @property
    def is_a_choice(self) -> bool:
        """Both are there: the chair chooses (the newer one is offered first)."""
        return self.previous is not None and self.analysis is not None


def kernbeeld_start(*, crisis: Crisis) -> KernbeeldStart:
    previous = (
        Meeting.objects.filter(crisis=crisis, status=Meeting.Status.CLOSED)
        .order_by("-number")
        .first()
    )
    version, text = kernbeeld_latest(crisis=crisis)
    return KernbeeldStart(
        previous=previous,
        previous_text=previous.kernbeeld if previous else "",
        analysis=version,
        analysis_text=text,
    )


def next_meeting_minutes(*, crisis: Crisis) -> int:
    """The agreed length of the next meeting, else the length of the last one, else 30."""
    last = Meeting.objects.filter(crisis=crisis).order_by("-number").first()
    if last is None:
        return 30
    return last.next_minutes or last.planned_minutes


@dataclass(frozen=True)
class Changes:
    """ "Wat is er veranderd sinds het vorige overleg": for the chair and the wall."""

    previous: Meeting
    entries: int
    decisions: Sequence[Entry]  # the first few, to show
    decision_count: int
    due: int  # open assignments whose deadline falls before this meeting ends
    kernbeeld_diff: str  # word-level diff against the previous meeting's final kernbeeld
    kernbeeld_changed: bool


def changes_since_previous(*, meeting: Meeting) -> Changes | None:
    previous = (
        Meeting.objects.filter(crisis=meeting.crisis, number__lt=meeting.number)
        .order_by("-number")
        .first()
    )
    if previous is None:
        return None
    since = previous.ended_at or previous.started_at
    # When it happened: an entry typed in from paper counts at its time on paper.
    new = Entry.objects.annotate(happened=Coalesce("occurred_at", "recorded_at")).filter(
        crisis=meeting.crisis, happened__gt=since
    )
    decisions = list(
        new.filter(kind=Entry.Kind.BESLUIT, corrects__isnull=True)
        .select_related("decided_by")
        .order_by("seq")[:6]
    )
    ends = meeting.started_at + timedelta(minutes=meeting.planned_minutes)
    return Changes(
        previous=previous,
        entries=new.count(),
        decisions=decisions,
        decision_count=new.filter(kind=Entry.Kind.BESLUIT, corrects__isnull=True).count(),
        due=Assignment.objects.filter(
            crisis=meeting.crisis, status=Assignment.Status.OPEN, deadline__lte=ends
        ).count(),
        kernbeeld_diff=diff_html(previous.kernbeeld, meeting.kernbeeld),
        kernbeeld_changed=previous.kernbeeld != meeting.kernbeeld,
    )


def kernbeeld_versions(*, meeting: Meeting) -> QuerySet[KernbeeldVersion]:
    return meeting.kernbeeld_versions.select_related("saved_by", "analysis_version").order_by(
        "-number"
    )


# -- the cycle in view on every home page --------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    """Where the crisis is in its meeting cycle, as a member's home page shows it."""

    running: Meeting | None
    next_at: datetime | None
    next_minutes: int | None
    input_due_at: datetime | None
    input_from: list[str]  # who owes input: the analysis's writer, the owners of open tasks
    my_assignments: list[Assignment]
    analysis: AnalysisVersion | None  # the newest handed-over version
    read_by_me: bool
    read_by_decider: bool  # the mayor (GBT) or the CMT chair has opened it


def cycle_for(*, crisis: Crisis, user: User) -> Cycle:
    running = meeting_current(crisis=crisis)
    # The plan of the meeting held last: "no follow-up" there means none, not an older plan.
    planned = (
        Meeting.objects.filter(crisis=crisis, status=Meeting.Status.CLOSED)
        .order_by("-number")
        .first()
    )
    if planned is not None and planned.next_at is None:
        planned = None
    seats = list(
        Membership.objects.filter(crisis=crisis, ended_at__isnull=True).select_related("user")
    )
    writers = [m for m in seats if m.role in (Role.ROL, Role.CMT_CHAIR)]
    open_tasks = list(
        Assignment.objects.filter(crisis=crisis, status=Assignment.Status.OPEN)
        .select_related("owner", "entry")
        .order_by("deadline")
    )
    owners = sorted({a.owner_label for a in open_tasks})
    writer_names = {display_name(m.user) for m in writers}
    input_from = [
        _("%(name)s (strategic analysis)") % {"name": display_name(m.user)} for m in writers
    ] + [owner for owner in owners if owner not in writer_names]
    analysis = analysis_version_newest(crisis=crisis)
    deciders = [m.user_id for m in seats if m.role in (Role.MAYOR, Role.CMT_CHAIR)]
    reads = (
        set(
            AnalysisRead.objects.filter(
                version=analysis, user_id__in=[user.pk, *deciders]
            ).values_list("user_id", flat=True)
        )
        if analysis is not None
        else set()
    )
    return Cycle(
        running=running,
        next_at=planned.next_at if planned and not running else None,
        next_minutes=planned.next_minutes if planned and not running else None,
        input_due_at=planned.next_input_due_at if planned and not running else None,
        input_from=input_from,
        my_assignments=[a for a in open_tasks if a.owner_id == user.pk],
        analysis=analysis,
        read_by_me=user.pk in reads,
        read_by_decider=bool(reads.intersection(deciders)),
    )
