"""The team's use of the cards and personal logbooks in a crisis: ticks on the attention card
and the task cards, individueel logboek lines and their proposals to the official log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Crisis
from formats.models import CardSet

from .log import Entry
from .meeting import Meeting


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
        "meetings.PersonalItem", on_delete=models.SET_NULL, null=True, related_name="proposal"
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


class TaskTick(models.Model):
    """A member ticks a task of their role's task card for this crisis."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="task_ticks")
    card_set = models.ForeignKey(CardSet, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30)
    number = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["crisis", "role", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "card_set", "role", "number"], name="unique_task_tick"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} #{self.number}"


class PersonalItem(models.Model):
    """One line of someone's individueel logboek: private to its owner."""

    class Kind(models.TextChoices):
        BESLUIT = "besluit", _("decision")
        OPDRACHT = "opdracht", _("assignment")
        ACTIE = "actie", _("action for me")

    class Priority(models.TextChoices):
        HIGH = "hoog", _("high")
        NORMAL = "normaal", _("normal")
        LOW = "laag", _("low")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="personal_items")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=2000)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    done_at = models.DateTimeField(_("checked"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "-created_at"]

    def __str__(self) -> str:
        return self.text[:60]
