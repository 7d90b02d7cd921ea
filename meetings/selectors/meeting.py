"""Reads for the meeting screens: the log, assignments, meetings, the team at the table."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import OuterRef, QuerySet, Subquery

from crisisroom.models import Crisis, Membership
from formats.models import AnalysisVersion

from ..models import (
    Assignment,
    Attendance,
    Entry,
    EntryProposal,
    Logbook,
    Meeting,
    MeetingEvent,
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


def log_between(*, crisis: Crisis, limit: int = RECENT_ENTRIES) -> list[Entry]:
    """The newest entries recorded between meetings (no meeting), newest first."""
    return list(_entries().filter(crisis=crisis, meeting__isnull=True).order_by("-seq")[:limit])


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


def assignments_open_of(*, crisis: Crisis, owners: list[int]) -> dict[int, list[Assignment]]:
    """Open assignments per owner, for the given people only (one query, none if nobody)."""
    grouped: dict[int, list[Assignment]] = {}
    if not owners:
        return grouped
    for assignment in (
        Assignment.objects.filter(crisis=crisis, status=Assignment.Status.OPEN, owner_id__in=owners)
        .select_related("entry")
        .order_by("deadline")
    ):
        grouped.setdefault(assignment.owner_id or 0, []).append(assignment)
    return grouped


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
class AttendanceMark:
    """The chair's mark for a member at this meeting: their Attendance row, as the console
    needs it."""

    present: bool
    delegate_id: int | None


@dataclass(frozen=True)
class TeamSeat:
    """A member at this meeting's table, with their attendance mark if the chair set one."""

    membership: Membership
    attendance: AttendanceMark | None

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
    """The crisis team with this meeting's attendance; someone with two roles sits once.

    One query: each member's mark (at most one per meeting and person) comes along as two
    subqueries.
    """
    marks = Attendance.objects.filter(meeting=meeting, user_id=OuterRef("user_id"))
    members = (
        Membership.objects.filter(crisis=meeting.crisis, ended_at__isnull=True)
        .select_related("user")
        .annotate(
            mark_present=Subquery(marks.values("present")[:1]),
            mark_delegate=Subquery(marks.values("delegate_id")[:1]),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )
    seats: dict[int, TeamSeat] = {}
    for membership in members:
        present = membership.mark_present
        mark = (
            None
            if present is None
            else AttendanceMark(
                present=bool(present),
                delegate_id=membership.mark_delegate,
            )
        )
        seats.setdefault(membership.user_id, TeamSeat(membership=membership, attendance=mark))
    return list(seats.values())


def logbook_revision(*, crisis: Crisis) -> int:
    return Logbook.objects.filter(pk=crisis.pk).values_list("revision", flat=True).first() or 0


@dataclass(frozen=True)
class ScreenState:
    """What a meeting screen's shared regions are keyed on: the crisis's log revision (every
    write of the crisis bumps it), the last revision that changed more than the entries, and
    the newest handed-over strategic analysis, whose hand-over is no write of the log."""

    revision: int
    other_revision: int
    newest_analysis_id: int | None


def screen_state(*, crisis: Crisis) -> ScreenState:
    """The log's revisions and the newest analysis version's id, in one query."""
    newest = (
        AnalysisVersion.objects.filter(analysis__crisis=crisis).order_by("-number").values("pk")[:1]
    )
    row = (
        Logbook.objects.filter(pk=crisis.pk)
        .annotate(newest_analysis=Subquery(newest))
        .values_list("revision", "other_revision", "newest_analysis")
        .first()
    )
    if row is None:  # nothing written yet: no logbook row (a read never makes one)
        newest_id = newest.values_list("pk", flat=True).first()
        return ScreenState(revision=0, other_revision=0, newest_analysis_id=newest_id)
    return ScreenState(revision=row[0], other_revision=row[1], newest_analysis_id=row[2])
