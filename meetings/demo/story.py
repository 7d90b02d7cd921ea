"""The demo's clock: every time in the story is counted from the start of its crisis.

The services stamp what they write with the real time; the demo's crises began earlier, so
right after each step the demo moves what that step wrote to its time in the story. Texts that
name a clock time get it from the same start (``clock``), so text and timestamps agree whenever
the demo is loaded.
"""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from crisisroom.models import AuditEvent, Crisis
from formats.models import AnalysisRead, AnalysisShare
from meetings import services
from meetings.chain import entry_hash, genesis
from meetings.models import CardTick, Entry, Meeting, MeetingEvent


def clock(at: datetime) -> str:
    """A time of day as the texts of a Dutch crisis team write it: 06:40."""
    return f"{timezone.localtime(at):%H:%M}"


def minutes_after(start: datetime):
    """``at(25)``: 25 minutes after ``start``."""
    return lambda minutes: start + timedelta(minutes=minutes)


class Backdate:
    """Moves what the services wrote since this object was made to a time in the story.

    Everything the demo backdates lies before the moment of loading, so whatever still carries
    a time from ``since`` on was written by the step just taken.
    """

    def __init__(self, crisis: Crisis):
        self.crisis = crisis
        self.since = timezone.now()

    def __call__(self, at: datetime, meeting: Meeting | None = None) -> None:
        since = self.since
        if at >= since:
            raise ValueError("The demo's story happens before the moment it is loaded.")
        AuditEvent.objects.filter(crisis=self.crisis, at__gte=since).update(at=at)
        AnalysisShare.objects.filter(analysis__crisis=self.crisis, shared_at__gte=since).update(
            shared_at=at
        )
        AnalysisRead.objects.filter(version__analysis__crisis=self.crisis, at__gte=since).update(
            at=at
        )
        if meeting is None:
            return
        MeetingEvent.objects.filter(meeting=meeting, at__gte=since).update(at=at)
        CardTick.objects.filter(meeting=meeting, at__gte=since).update(at=at)
        versions = getattr(meeting, "kernbeeld_versions", None)  # the meeting's kernbeeld history
        if versions is not None:
            versions.filter(saved_at__gte=since).update(saved_at=at)


def log(
    crisis: Crisis,
    meeting: Meeting | None,
    actor: User,
    kind: str,
    text: str,
    at: datetime,
    *,
    key: str = "",
    **fields,
) -> Entry:
    """A line of the log, recorded through the service and dated ``at`` in the story.

    A fixed token per line (from ``key``, else the text) keeps the demo idempotent even if it
    was interrupted half-way; give a ``key`` when the text holds a computed clock time.
    """
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"crisisroom-demo/{crisis.pk}/{key or text}")
    entry = services.entry_record(
        crisis=crisis,
        meeting=meeting,
        actor=actor,
        kind=kind,
        text=text,
        client_token=token,
        **fields,
    )
    # The line was written "earlier": it gets its time in the story, and so its chain hash is
    # recomputed with it, or the demo's own log would not verify.
    entry.recorded_at = at
    previous = Entry.objects.filter(crisis=crisis, seq=entry.seq - 1).values_list(
        "chain_hash", flat=True
    )
    entry.chain_hash = entry_hash(entry, previous.first() or genesis(crisis.pk))
    Entry.objects.filter(pk=entry.pk).update(recorded_at=at, chain_hash=entry.chain_hash)
    return entry
