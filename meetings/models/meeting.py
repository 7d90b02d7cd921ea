"""The BOBOC meeting: its phases, clock, events and attendance."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.boboc import PHASE_ORDER, Phase
from crisisroom.models import Crisis

if TYPE_CHECKING:  # a type for the checker only: django-stubs is not installed in production
    from django_stubs_ext import StrOrPromise

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
STANDARD_AGENDA: "tuple[tuple[str, StrOrPromise], ...]" = (
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
    # Held while systems were down: recorded afterwards as written on paper; its entries are
    # typed in with their time on paper.
    held_on_paper = models.BooleanField(_("held on paper"), default=False)

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

    def phase_at(self, moment: datetime) -> str:
        """The phase the meeting was in at ``moment``, from its timeline."""
        phase: str = Phase.BEELDVORMING
        for event in self.events.filter(kind=MeetingEvent.Kind.PHASE, at__lte=moment).order_by(
            "at", "pk"
        ):
            phase = event.to_phase
        return phase

    def phase_seconds(self, phase: str | None = None) -> int:
        return round(self.planned_minutes * 60 * PHASE_SHARE[phase or self.phase])


class KernbeeldVersion(models.Model):
    """One saved state of a meeting's kernbeeld: where it started from, and every adjustment.

    Never changed: the kernbeeld's history is how the team built on what was known.
    """

    class Source(models.TextChoices):
        ANALYSIS = "analyse", _("the strategic analysis")
        PREVIOUS = "vorig_overleg", _("the previous meeting's core picture")
        EMPTY = "leeg", _("nothing yet")
        EDIT = "aanpassing", _("an adjustment at the table")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="kernbeeld_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=20000, blank=True)
    source = models.CharField(max_length=15, choices=Source.choices)
    analysis_version = models.ForeignKey(
        "formats.AnalysisVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_kernbeeld_version")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} kernbeeld v{self.number}"


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
