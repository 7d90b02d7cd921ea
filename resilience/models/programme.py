"""The programmaplan: measures with owner, partners, means, timeline and status, their progress,
and the critical municipal processes they secure."""

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crisisroom.models import Organisation, Partner

from .weighing import ThreatScenario


class MeasureTheme(models.TextChoices):
    DRINKWATER = "drinkwater", _("drinking water")
    VOEDSEL = "voedsel", _("food")
    ENERGIE = "energie", _("energy")
    COMMUNICATIE = "communicatie", _("communication without internet")
    NOODSTEUNPUNTEN = "noodsteunpunten", _("emergency support points")
    ZORG = "zorg", _("care")
    CONTINUITEIT = "continuiteit", _("continuity of municipal processes")
    DEMOCRATIE = "democratie", _("democratic processes")
    SOCIAAL_WEEFSEL = "sociaal_weefsel", _("social fabric")
    ANDERS = "anders", _("other")


class MeasurePhase(models.TextChoices):
    KOUD = "koude_fase", _("cold phase")
    EERSTE_72_UUR = "eerste_72_uur", _("first 72 hours")
    NAFASE = "nafase", _("recovery")


class MeasureStatus(models.TextChoices):
    GEPLAND = "gepland", _("planned")
    LOOPT = "loopt", pgettext_lazy("measure", "in progress")
    GEREED = "gereed", pgettext_lazy("measure", "done")
    GESTOPT = "gestopt", _("stopped")


# A measure that is done or stopped is never overdue.
OPEN_STATUSES = (MeasureStatus.GEPLAND, MeasureStatus.LOOPT)


class Measure(models.Model):  # maatregel
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("organisation"),
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=MeasureTheme.choices)
    phase = models.CharField(_("phase"), max_length=20, choices=MeasurePhase.choices)
    scenarios = models.ManyToManyField(
        ThreatScenario,
        blank=True,
        related_name="measures",
        verbose_name=_("scenarios it addresses"),
    )
    # The owner is a person, a function or a partner: at least one of the three.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_measures",
        verbose_name=_("owner (person)"),
    )
    owner_function = models.CharField(
        pgettext_lazy("measure", "owner (function)"), max_length=100, blank=True
    )
    owner_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_measures",
        verbose_name=_("owner (partner)"),
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="measures", verbose_name=_("partners")
    )
    means = models.TextField(_("means"), max_length=2000, blank=True)
    budget = models.DecimalField(
        _("budget (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.GEPLAND
    )
    # Bumped on every change: a form carries the revision it was opened on, so two people
    # editing the same measure never overwrite each other silently.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="unique_measure_number"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(starts_on__lte=F("due_on")),
                name="measure_starts_before_due",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="measure_budget_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"M{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return f"M{self.number}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < today


class MeasureRevision(models.Model):
    """A measure as it was after a change: the old version stays readable."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("measure")
    )
    revision = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("content"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["measure", "-revision"]
        verbose_name = _("measure revision")
        verbose_name_plural = _("measure revisions")
        constraints = [
            models.UniqueConstraint(fields=["measure", "revision"], name="unique_measure_revision")
        ]

    def __str__(self) -> str:
        return f"{self.measure} r{self.revision}"


class ProgressNote(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="progress", verbose_name=_("measure")
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"), max_length=2000)
    status = models.CharField(_("status afterwards"), max_length=10, choices=MeasureStatus.choices)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["measure", "-on", "-written_at"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.measure.code} {self.on}"


class CriticalProcess(models.Model):
    """A municipal process that must go on (uitkeringen, burgerzaken, …): how long it may stop,
    how it goes on without its systems, and which measures secure that."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="critical_processes",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("process"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    max_outage_hours = models.PositiveIntegerField(
        _("longest acceptable outage (hours)"), validators=[MinValueValidator(1)]
    )
    fallback = models.TextField(_("fallback"), max_length=2000)
    owner_function = models.CharField(_("responsible (function)"), max_length=100, blank=True)
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="critical_processes", verbose_name=_("secured by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # Bumped on every change, as a measure's: two editors never overwrite each other silently.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        ordering = ["organisation", "max_outage_hours", "name"]
        verbose_name = _("critical process")
        verbose_name_plural = _("critical processes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_critical_process_name"
            ),
            models.CheckConstraint(
                condition=Q(max_outage_hours__gte=1), name="critical_process_outage_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
