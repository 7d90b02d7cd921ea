"""The BOBOC meeting and the crisis log.

The log is append-only: entries are never edited or deleted; a correction is a new entry that
points at the one it corrects. Assignments (opdrachten) carry their current state — status,
deadline, postponements — and every change to that state is itself a controle entry.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Crisis


class Phase(models.TextChoices):
    BEELDVORMING = "beeldvorming", _("Beeldvorming")
    OORDEELSVORMING = "oordeelsvorming", _("Oordeelsvorming")
    BESLUITVORMING = "besluitvorming", _("Besluitvorming")
    OPDRACHT = "opdracht", _("Opdracht")
    CONTROLE = "controle", _("Controle")


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)

# How a meeting's time box is shared between the phases when nothing else is agreed.
# Beeldvorming and Oordeelsvorming together take half: the pilots found them essential.
PHASE_SHARE: dict[str, float] = {
    Phase.BEELDVORMING: 0.25,
    Phase.OORDEELSVORMING: 0.25,
    Phase.BESLUITVORMING: 0.2,
    Phase.OPDRACHT: 0.15,
    Phase.CONTROLE: 0.15,
}


# The standard agenda of a BT meeting, item by item with the phase it belongs to. Shown until
# an organisation keeps its own agenda on its attention card.
STANDARD_AGENDA: tuple[tuple[str, str], ...] = (
    (Phase.BEELDVORMING, _("Opening, attendance, meeting clock")),
    (Phase.BEELDVORMING, _("Core picture: build on the strategic analysis")),
    (Phase.OORDEELSVORMING, _("Bottlenecks, dilemmas, options, values at stake")),
    (Phase.BESLUITVORMING, _("Decisions with their reasons; strategy and priorities")),
    (Phase.OPDRACHT, _("Assignments and communication; walk through the log")),
    (Phase.CONTROLE, _("Open assignments of earlier meetings")),
    (Phase.CONTROLE, _("Next meeting and closing")),
)


class Logbook(models.Model):
    """One per crisis: hands out entry numbers and tells the screens that something changed.

    Writers take its row lock (an UPDATE) first, so entry numbers never collide and the order
    of the log is the order of the numbers.
    """

    crisis = models.OneToOneField(
        Crisis, on_delete=models.CASCADE, primary_key=True, related_name="logbook"
    )
    last_seq = models.PositiveIntegerField(default=0)
    revision = models.PositiveBigIntegerField(default=0)
    # The last revision that changed something besides adding an entry (phase, card, kernbeeld,
    # checks...). A screen that saw everything up to it only needs the entry regions refreshed.
    other_revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("logbook")
        verbose_name_plural = _("logbooks")

    def __str__(self) -> str:
        return f"{self.crisis} (#{self.last_seq})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("in progress")
        CLOSED = "closed", _("closed")

    crisis = models.ForeignKey(
        Crisis, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("crisis")
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.BEELDVORMING
    )
    planned_minutes = models.PositiveSmallIntegerField(_("time box (minutes)"), default=30)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    phase_started_at = models.DateTimeField(_("phase started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The kernbeeld the meeting starts from: prefilled from the latest handed-over analysis
    # (and which version that was), then adjusted by chair and logger for this meeting.
    kernbeeld = models.TextField(_("core picture"), max_length=20000, blank=True)
    kernbeeld_source = models.ForeignKey(
        "formats.AnalysisVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started from analysis version"),
    )
    kernbeeld_revision = models.PositiveIntegerField(default=0)
    kernbeeld_updated_at = models.DateTimeField(null=True, blank=True)
    kernbeeld_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The attention card and task cards the meeting used (content versions are data).
    card_set = models.ForeignKey(
        "formats.CardSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The meeting cycle (vergaderklok): fixed by the chair for the next meeting.
    next_at = models.DateTimeField(_("next meeting at"), null=True, blank=True)
    next_minutes = models.PositiveSmallIntegerField(
        _("next meeting length (minutes)"), null=True, blank=True
    )
    next_input_due_at = models.DateTimeField(_("input due at"), null=True, blank=True)

    class Meta:
        ordering = ["crisis", "number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["crisis", "number"], name="unique_meeting_number"),
            models.UniqueConstraint(
                fields=["crisis"],
                condition=Q(status="running"),
                name="one_running_meeting_per_crisis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crisis} — overleg {self.number}"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    def phase_seconds(self, phase: str | None = None) -> int:
        return round(self.planned_minutes * 60 * PHASE_SHARE[phase or self.phase])


class MeetingEvent(models.Model):
    """The meeting's own timeline: phase changes, reflection moments, attendance, the cycle."""

    class Kind(models.TextChoices):
        STARTED = "started", _("meeting started")
        PHASE = "phase", _("phase changed")
        REFLECTION = "reflection", _("reflection moment")
        ATTENDANCE = "attendance", _("attendance recorded")
        NEXT_MEETING = "next_meeting", _("next meeting fixed")
        CLOSED = "closed", _("meeting closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_kind_display()}"

    @property
    def is_backwards(self) -> bool:
        if self.kind != self.Kind.PHASE or not self.from_phase:
            return False
        return PHASE_ORDER.index(self.to_phase) < PHASE_ORDER.index(self.from_phase)


class Attendance(models.Model):
    """Who is at the table for this meeting; for an absent member, who takes over their tasks."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("tasks delegated to"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_attendance"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"


class AppendOnlyError(Exception):
    """The crisis log is append-only: a correction is a new entry, nothing is removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyError("Log entries and assignments are never deleted.")


class Entry(models.Model):
    """One line of the crisis log (logboek / besluitenlijst)."""

    class Kind(models.TextChoices):
        BEELD = "beeld", _("beeld")
        KNELPUNT = "knelpunt", _("knelpunt")
        BESLUIT = "besluit", _("besluit")
        OPDRACHT = "opdracht", _("opdracht")
        CONTROLE = "controle", _("controle")
        NOTITIE = "notitie", _("notitie")

    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="entries")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="entries", null=True, blank=True
    )
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    text = models.TextField(_("text"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    recorded_at = models.DateTimeField(_("time"), default=timezone.now)
    # Written on paper while systems were down, typed in later: the time on paper.
    occurred_at = models.DateTimeField(_("time on paper"), null=True, blank=True)
    # Sent with the form: the same token twice (a double click, a browser retry) is one entry.
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    # A decision (besluit): its reasons and who took it.
    reasoning = models.TextField(_("reasons"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    # A controle entry: the assignment it checks, and how it stood before (so a correction of
    # the check can take it back).
    check_state_before = models.JSONField(null=True, blank=True, editable=False)
    checks = models.ForeignKey(
        "Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("checks"),
    )
    # SHA-256 over this entry's content and the previous entry's hash (meetings/chain.py).
    chain_hash = models.CharField(_("chain hash"), max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["crisis", "seq"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        constraints = [
            models.UniqueConstraint(fields=["crisis", "seq"], name="unique_entry_seq"),
            models.UniqueConstraint(fields=["crisis", "client_token"], name="unique_entry_token"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()}: {self.text[:60]}"

    # Guards, not logic: an entry is written once, by entry_record, and never removed.
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("A log entry is never changed; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A log entry is never deleted; record a correction instead.")


class Assignment(models.Model):
    """An opdracht: owner (a person or a function), deadline, and where it stands."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")
        SUPERSEDED = "superseded", _("replaced by a correction")

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="assignment")
    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="assignments")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    owner_function = models.CharField(
        _("owner (function)"),
        max_length=100,
        blank=True,
        help_text=_("A function instead of a person, e.g. communicatieadviseur."),
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    postponements = models.PositiveSmallIntegerField(_("times postponed"), default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_function=""),
                name="assignment_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["crisis", "status"], name="assignment_open_idx")]

    def __str__(self) -> str:
        return f"#{self.entry.seq} → {self.owner_label}"

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            name = self.owner.get_full_name() or self.owner.username
            return f"{name} ({self.owner_function})" if self.owner_function else name
        return self.owner_function

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("An assignment is never deleted; it is done, dropped or replaced.")

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline < timezone.now()


class CardTick(models.Model):
    """The chair ticks an agenda item or attention point as handled; kept with the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="card_ticks")
    key = models.CharField(max_length=60)  # "agenda:3", "beeldvorming:1", ...
    label = models.CharField(max_length=500)  # what the item said when it was ticked
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="unique_card_tick")]

    def __str__(self) -> str:
        return self.label


class EntryProposal(models.Model):
    """A personal logbook line offered to the logger for the official log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("taken into the log")
        DECLINED = "declined", _("declined")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="proposals")
    personal_item = models.OneToOneField(
        "formats.PersonalItem", on_delete=models.SET_NULL, null=True, related_name="proposal"
    )
    kind = models.CharField(max_length=10, choices=Entry.Kind.choices)
    text = models.TextField(max_length=4000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["proposed_at"]

    def __str__(self) -> str:
        return self.text[:60]
