"""Reads for the meeting screens. Each returns a bounded amount: what the meeting needs now."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet

from crisisroom.models import Crisis, Membership
from crisisroom.roles import Role
from crisisroom.text import display_name
from formats.models import AnalysisVersion, CardSet
from formats.selectors import cards_current, diff_html, kernbeeld_latest

from .models import (
    Assignment,
    Attendance,
    CrisisStakeholder,
    Entry,
    EntryProposal,
    InformAction,
    KernbeeldVersion,
    Logbook,
    Meeting,
    MeetingEvent,
    Message,
    PersonalItem,
    TaskTick,
)

RECENT_ENTRIES = 40
ASSIGNMENTS_OUTSIDE_CONTROLE = 12
ASSIGNMENTS_PAGE = 100  # Controle shows them all, a hundred at a time


def _entries() -> QuerySet[Entry]:
    return Entry.objects.select_related(
        "author",
        "decided_by",
        "meeting",
        "assignment__owner",
        "correction__author",
        "corrects",
    )


def log_recent(
    *,
    crisis: Crisis,
    meeting: Meeting | None = None,
    limit: int = RECENT_ENTRIES,
    before_seq: int | None = None,
) -> list[Entry]:
    """The newest entries of the crisis (or of one meeting), newest first.

    Older ones on demand via ``before_seq``.
    """
    entries = _entries().filter(crisis=crisis)
    if meeting is not None:
        entries = entries.filter(meeting=meeting)
    if before_seq is not None:
        entries = entries.filter(seq__lt=before_seq)
    return list(entries.order_by("-seq")[:limit])


def log_all(*, crisis: Crisis, meeting: Meeting | None = None) -> QuerySet[Entry]:
    entries = _entries().filter(crisis=crisis)
    if meeting is not None:
        entries = entries.filter(meeting=meeting)
    return entries.order_by("seq")


def decisions_recent(*, crisis: Crisis, limit: int = 6) -> list[Entry]:
    """The latest decisions for the wall screen, however much else has been logged since."""
    return list(_entries().filter(crisis=crisis, kind=Entry.Kind.BESLUIT).order_by("-seq")[:limit])


def decision_list(*, crisis: Crisis, meeting: Meeting | None = None) -> QuerySet[Entry]:
    """The besluitenlijst: decisions and assignments, in log order, corrections included."""
    return log_all(crisis=crisis, meeting=meeting).filter(
        kind__in=[Entry.Kind.BESLUIT, Entry.Kind.OPDRACHT]
    )


def assignments_open(*, crisis: Crisis, limit: int, offset: int = 0) -> list[Assignment]:
    """Open assignments, earlier meetings first, then by deadline."""
    rows = (
        Assignment.objects.filter(crisis=crisis, status=Assignment.Status.OPEN)
        .select_related("owner", "entry__meeting")
        .order_by("entry__meeting__number", "deadline", "entry__seq")
    )
    return list(rows[offset : offset + limit])


def assignments_open_count(*, crisis: Crisis) -> int:
    return Assignment.objects.filter(crisis=crisis, status=Assignment.Status.OPEN).count()


def proposals_pending(*, crisis: Crisis) -> list[EntryProposal]:
    return list(
        EntryProposal.objects.filter(crisis=crisis, status=EntryProposal.Status.PENDING)
        .select_related("proposed_by")
        .order_by("proposed_at")
    )


def meeting_current(*, crisis: Crisis) -> Meeting | None:
    return Meeting.objects.filter(crisis=crisis, status=Meeting.Status.RUNNING).first()


def meetings_of(*, crisis: Crisis) -> QuerySet[Meeting]:
    return Meeting.objects.filter(crisis=crisis).order_by("-number")


def meeting_timeline(*, meeting: Meeting) -> QuerySet[MeetingEvent]:
    return meeting.events.select_related("by").order_by("at", "pk")


@dataclass(frozen=True)
class TeamSeat:
    """A member at this meeting's table, with their attendance mark if the chair set one."""

    membership: Membership
    attendance: Attendance | None

    @property
    def pk(self) -> int:
        return self.membership.pk

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def user_id(self) -> int:
        return self.membership.user_id

    @property
    def role_label(self) -> str:
        return self.membership.get_role_display()

    @property
    def is_absent(self) -> bool:
        return self.attendance is not None and not self.attendance.present


def meeting_team(*, meeting: Meeting) -> list[TeamSeat]:
    """The crisis team with this meeting's attendance; someone with two roles sits once."""
    members = (
        Membership.objects.filter(crisis=meeting.crisis, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    marks = {a.user_id: a for a in meeting.attendance.select_related("delegate")}
    seats: dict[int, TeamSeat] = {}
    for membership in members:
        seats.setdefault(
            membership.user_id,
            TeamSeat(membership=membership, attendance=marks.get(membership.user_id)),
        )
    return list(seats.values())


def logbook_revision(*, crisis: Crisis) -> int:
    return Logbook.objects.filter(pk=crisis.pk).values_list("revision", flat=True).first() or 0


# -- the team's use of the cards ------------------------------------------------------------


def crisis_card_set(*, crisis: Crisis) -> CardSet:
    """The cards this crisis works with: those of its latest meeting, else the current ones.

    An administrator's revision reaches a crisis with its next meeting, so ticks and the paper
    pack always match the version the team has in front of it.
    """
    latest = (
        Meeting.objects.filter(crisis=crisis)
        .exclude(card_set=None)
        .order_by("-number")
        .values_list("card_set", flat=True)
    ).first()
    if latest is not None:
        return CardSet.objects.get(pk=latest)
    return cards_current(organisation=crisis.organisation)


def task_progress(*, crisis: Crisis, card_set: CardSet) -> list[dict]:
    """Per role in the team: tasks ticked of tasks on the card, and who holds the role."""
    tasks = card_set.tasks
    ticked: dict[str, set[int]] = {}
    for role, number in TaskTick.objects.filter(crisis=crisis, card_set=card_set).values_list(
        "role", "number"
    ):
        ticked.setdefault(role, set()).add(number)
    seats: dict[str, list[str]] = {}
    for m in Membership.objects.filter(crisis=crisis, ended_at__isnull=True).select_related("user"):
        seats.setdefault(m.role, []).append(display_name(m.user))
    return [
        {
            "role": Role(role).label,
            "people": ", ".join(names),
            "done": len(ticked.get(role, set())),
            "total": len(tasks.get(role, [])),
        }
        for role, names in seats.items()
        if tasks.get(role)
    ]


def personal_items(*, crisis: Crisis, owner: User) -> QuerySet[PersonalItem]:
    return PersonalItem.objects.filter(crisis=crisis, owner=owner).order_by(
        "done_at", "-created_at"
    )


def task_ticks(*, crisis: Crisis, card_set: CardSet) -> QuerySet[TaskTick]:
    return TaskTick.objects.filter(crisis=crisis, card_set=card_set).select_related("user")


# -- the message desk and who informs whom -----------------------------------------------------

MESSAGES_PAGE = 50


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related(
        "routed_to", "recorded_by", "handled_by", "approved_by", "entry", "partner", "corrects"
    )


def messages_of(*, crisis: Crisis, show: str = "all", user: User | None = None) -> list[Message]:
    """The newest messages first; ``show`` "open" keeps those still to act on, "mine" those
    routed to ``user`` and still open."""
    messages = _messages().filter(crisis=crisis)
    if show in ("open", "mine"):
        messages = messages.filter(status__in=Message.OPEN_STATUSES)
    if show == "mine":
        messages = messages.filter(routed_to=user)
    return list(messages.order_by("-seq")[:MESSAGES_PAGE])


def messages_open_count(*, crisis: Crisis) -> int:
    return Message.objects.filter(crisis=crisis, status__in=Message.OPEN_STATUSES).count()


def message_by_seq(*, crisis: Crisis, seq: int) -> Message | None:
    return _messages().filter(crisis=crisis, seq=seq).first()


@dataclass(frozen=True)
class StakeholderRow:
    """A stakeholder of the crisis, when they were last informed, and whether that was before
    the last meeting (so the chair sees whom nobody has informed since)."""

    stakeholder: CrisisStakeholder
    last_informed: InformAction | None
    not_informed_since_last_meeting: bool


def informed_since(*, crisis: Crisis) -> datetime:
    """Since when "informed since the last meeting" counts: the end of the last held meeting,
    else the start of the crisis."""
    ended = (
        Meeting.objects.filter(crisis=crisis, ended_at__isnull=False)
        .order_by("-ended_at")
        .values_list("ended_at", flat=True)
        .first()
    )
    return ended or crisis.started_at


def stakeholders_of(*, crisis: Crisis) -> list[StakeholderRow]:
    """Every stakeholder of the crisis with their latest informing, in two queries."""
    stakeholders = list(
        CrisisStakeholder.objects.filter(crisis=crisis)
        .select_related("partner", "keeper")
        .order_by("partner__kind", "partner__name")
    )
    latest: dict[int, InformAction] = {}
    for action in (
        InformAction.objects.filter(crisis=crisis).select_related("by").order_by("at", "pk")
    ):
        latest[action.stakeholder_id] = action
    since = informed_since(crisis=crisis)
    return [
        StakeholderRow(
            stakeholder=s,
            last_informed=latest.get(s.pk),
            not_informed_since_last_meeting=s.pk not in latest or latest[s.pk].at < since,
        )
        for s in stakeholders
    ]


def informings_of(*, crisis: Crisis, limit: int = 100) -> list[InformAction]:
    return list(
        InformAction.objects.filter(crisis=crisis)
        .select_related("by", "stakeholder__partner")
        .order_by("-at", "-pk")[:limit]
    )


# -- building on what is known: the kernbeeld a meeting starts from, and what changed -------


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
    decisions: list[Entry]
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
    new = Entry.objects.filter(crisis=meeting.crisis, recorded_at__gt=since)
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
