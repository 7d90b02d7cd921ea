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

from crisisroom.boboc import Phase
from crisisroom.models import Crisis
from crisisroom.text import display_name

from .meeting import Meeting


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
            name = display_name(self.owner)
            return f"{name} ({self.owner_function})" if self.owner_function else name
        return self.owner_function

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("An assignment is never deleted; it is done, dropped or replaced.")

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline < timezone.now()
