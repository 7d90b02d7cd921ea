from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Organisation


class ResilienceRole(models.Model):
    """Who works on the organisation's cold phase, and how.

    The organisation's administrators read and decide without a role; a measure's owner updates
    that measure without one. Everyone else of the organisation sees nothing of the cold phase
    until given a role here.
    """

    class Kind(models.TextChoices):
        AOV = (
            "aov",
            _("crisis management adviser (AOV): maintains the cold phase"),
        )  # adviseur crisisbeheersing
        BESTUUR = "bestuur", _("mayor or college: reads and decides")
        LEZER = "lezer", _("reads along")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="resilience_roles",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resilience_roles",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "kind", "user__last_name"]
        verbose_name = _("cold-phase role")
        verbose_name_plural = _("cold-phase roles")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="unique_resilience_role_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} ({self.organisation})"
