"""The wall screen (wandscherm): what it shows, and the wall computers paired to a crisis.

A wall computer has no login of its own. The chair pairs it with a short code; the computer
then carries a long random cookie bound to that pairing, which opens the wall screen of that
one crisis and nothing else, until the chair revokes it or the crisis is closed.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Crisis


class WallSettings(models.Model):
    """What the wall screen shows. Per crisis, not per meeting: the wall hangs in the same
    room for the whole crisis, and the chair sets it once; a per-meeting choice would fall back
    to the default at every new meeting, in front of the whole team."""

    crisis = models.OneToOneField(
        Crisis, on_delete=models.CASCADE, primary_key=True, related_name="wall_settings"
    )
    show_decisions = models.BooleanField(_("decisions"), default=True)
    show_assignments = models.BooleanField(_("open assignments"), default=True)
    show_kernbeeld = models.BooleanField(_("core picture"), default=False)
    show_agenda = models.BooleanField(_("agenda"), default=False)
    show_clock = models.BooleanField(_("meeting clock"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("wall screen settings")
        verbose_name_plural = _("wall screen settings")

    def __str__(self) -> str:
        return f"{self.crisis} (wandscherm)"


def secret_hash(secret: str) -> str:
    """The stored fingerprint of a wall's cookie secret (a long random value: no salt needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


PAIRING_STATES = {
    "waiting": _("code waiting to be typed"),
    "expired": _("code expired, not used"),
    "paired": _("paired"),
    "revoked": _("revoked"),
    "ended": _("ended: the crisis is closed"),
}


class WallPairing(models.Model):
    """A wall computer paired with a crisis (schermkoppeling).

    Neither the code nor the cookie's secret is stored: only a keyed hash of the code (it is
    shown once, to the chair) and a hash of the secret (it lives in the wall's cookie).
    """

    crisis = models.ForeignKey(
        Crisis, on_delete=models.CASCADE, related_name="wall_pairings", verbose_name=_("crisis")
    )
    label = models.CharField(_("name of the screen"), max_length=80, blank=True)
    code_hash = models.CharField(max_length=64, editable=False)
    code_expires_at = models.DateTimeField(_("code valid until"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True)
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("paired wall screen")
        verbose_name_plural = _("paired wall screens")
        indexes = [models.Index(fields=["code_expires_at"], name="wall_pairing_code_idx")]

    def __str__(self) -> str:
        return f"{self.crisis} — {self.label or self.pk}"

    @property
    def state(self) -> str:
        """waiting (code not used yet), expired, paired, revoked or ended (crisis closed)."""
        if self.revoked_at:
            return "revoked"
        if self.paired_at:
            return "paired" if self.crisis.is_active else "ended"
        return "waiting" if self.code_expires_at > timezone.now() else "expired"

    @property
    def state_label(self) -> str:
        return str(PAIRING_STATES[self.state])

    @property
    def can_revoke(self) -> bool:
        return self.state in ("waiting", "paired")


class WallPairingEvent(models.Model):
    """The pairings' own log, shown on the chair's page: who created, used and revoked which
    code, when, and from which address the wall paired."""

    class Action(models.TextChoices):
        CREATED = "created", _("code created")
        PAIRED = "paired", _("screen paired")
        REVOKED = "revoked", _("pairing revoked")

    pairing = models.ForeignKey(WallPairing, on_delete=models.CASCADE, related_name="events")
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("wall screen event")
        verbose_name_plural = _("wall screen events")

    def __str__(self) -> str:
        return f"{self.pairing}: {self.get_action_display()}"


class WallCodeFailure(models.Model):
    """A wrong pairing code. Recent ones from an address throttle further attempts; in the
    database, like failed logins, so every worker counts the same."""

    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("wrong wall screen code")
        verbose_name_plural = _("wrong wall screen codes")

    def __str__(self) -> str:
        return f"{self.ip_address} @ {self.at:%Y-%m-%d %H:%M}"
