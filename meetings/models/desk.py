"""The berichtenmanager's desk and who informs whom (CMT task card, seed 003).

Messages are append-only like the log: a message is never deleted or rewritten; a correction
is a new message that points at the one it corrects. What happens to a message (routed, handled,
taken into the log, approved, filed) is recorded on it with who and when.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Crisis, Partner

from .log import AppendOnlyError, AppendOnlyQuerySet, Entry


class Message(models.Model):
    """One message in or out: a call, an e-mail, a post, a press question, a partner's word."""

    class Direction(models.TextChoices):
        IN = "in", _("incoming")
        OUT = "uit", _("outgoing")

    class Channel(models.TextChoices):
        TELEFOON = "telefoon", _("telephone")
        EMAIL = "e-mail", _("e-mail")
        SOCIAL = "sociale media", _("social media")
        PERS = "pers", _("press")
        KETENPARTNER = "ketenpartner", _("chain partner")
        INTERN = "intern", _("internal")

    class Priority(models.TextChoices):
        HIGH = "hoog", _("high")
        NORMAL = "normaal", _("normal")
        LOW = "laag", _("low")

    class Status(models.TextChoices):
        NEW = "nieuw", _("waiting")
        AWAITING_APPROVAL = "ter_goedkeuring", _("awaiting the chair's approval")
        SENT = "verzonden", _("sent")
        HANDLED = "afgehandeld", _("dealt with")
        LOGGED = "in_logboek", _("taken into the log")
        FILED = "gearchiveerd", _("filed")
        CORRECTED = "gecorrigeerd", _("corrected")

    # Statuses the chair and the addressee still have to act on.
    OPEN_STATUSES = (Status.NEW, Status.AWAITING_APPROVAL)

    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="messages")
    seq = models.PositiveIntegerField(_("number"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    counterpart = models.CharField(
        _("from / to"), max_length=200, help_text=_("Who sent it, or to whom it goes.")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder"),
    )
    at = models.DateTimeField(_("received or sent at"), default=timezone.now)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("full text"), max_length=10_000, blank=True)
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    # What was done with it: by whom, when, and how.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handling_note = models.CharField(_("how it was handled"), max_length=1000, blank=True)
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["crisis", "-seq"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["crisis", "seq"], name="unique_message_seq"),
            models.UniqueConstraint(
                fields=["crisis", "client_token"], name="unique_message_client_token"
            ),
            models.CheckConstraint(
                condition=~Q(status="ter_goedkeuring") | Q(direction="uit"),
                name="message_only_outgoing_awaits_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.summary}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A message is never deleted; record a correction instead.")

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CrisisStakeholder(models.Model):
    """A stakeholder this crisis concerns, and the team member who keeps contact with them."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="stakeholders")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keeps contact"),
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["crisis", "partner__kind", "partner__name"]
        verbose_name = _("stakeholder of the crisis")
        verbose_name_plural = _("stakeholders of the crisis")
        constraints = [
            models.UniqueConstraint(fields=["crisis", "partner"], name="unique_crisis_stakeholder")
        ]

    def __str__(self) -> str:
        return str(self.partner)


class InformAction(models.Model):
    """Someone of the team informed a stakeholder: when, how, and with which core message."""

    stakeholder = models.ForeignKey(
        CrisisStakeholder, on_delete=models.PROTECT, related_name="informed"
    )
    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("informed at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=Message.Channel.choices)
    core_message = models.TextField(_("core message"), max_length=2000)
    recorded_at = models.DateTimeField(default=timezone.now)
    client_token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("informing")
        verbose_name_plural = _("informings")

    def __str__(self) -> str:
        return f"{self.stakeholder} {self.at:%d-%m %H:%M}"
