"""What every write to a crisis's meetings and log begins with: the logbook lock, the check
that the crisis is still open, and the meeting's timeline and audit entries."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from crisisroom.models import Crisis
from crisisroom.services import audit_record

from ..models import Logbook, Meeting, MeetingEvent
from ..push import notify


def logbook_touch(*, crisis: Crisis, new_entry: bool = False) -> int:
    """Take the crisis's logbook lock and bump its revision; with ``new_entry``, the next number.

    Anything but a new entry also marks the revision as ``other_revision``, so screens refresh
    all their regions; after only new entries they refresh the entry regions.

    The UPDATE itself takes the row lock (on SQLite the write lock), so concurrent writers queue
    here and numbers come out in order without gaps or duplicates.
    """
    changes = {"revision": F("revision") + 1}
    if new_entry:
        changes["last_seq"] = F("last_seq") + 1
    else:
        changes["other_revision"] = F("revision") + 1
    if not Logbook.objects.filter(pk=crisis.pk).update(**changes):
        Logbook.objects.get_or_create(crisis=crisis)
        Logbook.objects.filter(pk=crisis.pk).update(**changes)
    # Every open screen of the crisis learns of it once this write commits (meetings/push.py).
    notify(crisis.pk)
    return Logbook.objects.values_list("last_seq", flat=True).get(pk=crisis.pk)


def require_active(crisis: Crisis) -> None:
    """Refuse writes to a closed crisis, read (and, in a transaction, locked) from the database.

    The row lock makes a write and crisis_close queue behind each other, so nothing is added
    after the close commits.
    """
    rows = Crisis.objects.filter(pk=crisis.pk)
    if connection.in_atomic_block:
        rows = rows.select_for_update()
    if rows.values_list("status", flat=True).first() != Crisis.Status.ACTIVE:
        raise ValidationError(_("This crisis is closed: nothing can be added any more."))


def require_running(meeting: Meeting) -> None:
    if not meeting.is_running:
        raise ValidationError(_("This meeting is closed."))


def event_record(meeting: Meeting, kind: str, actor, **fields) -> MeetingEvent:
    return MeetingEvent.objects.create(meeting=meeting, kind=kind, by=actor, **fields)


def meeting_audit(meeting: Meeting, action: str, actor, **detail) -> None:
    audit_record(
        action=action,
        actor=actor,
        crisis=meeting.crisis,
        detail={"meeting": meeting.number, **detail},
    )


def meeting_lock_running(meeting: Meeting) -> Meeting:
    """The preamble of every change to a running meeting, inside the caller's transaction:
    take the logbook lock (writers queue there), refuse a closed crisis, and return the meeting
    fresh from the database, refusing it if it has been closed meanwhile."""
    logbook_touch(crisis=meeting.crisis)
    require_active(meeting.crisis)
    current = Meeting.objects.select_related("crisis").get(pk=meeting.pk)
    require_running(current)
    return current
