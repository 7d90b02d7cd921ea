"""The afwegingskader: threat scenarios, versioned criteria and weights, scores with their
reasons, and the priority the mayor or the college decided. Nothing here is overwritten: a new
framework is a new version, a changed score is a new assessment, a new priority a new decision."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Organisation

# The aspect of an assessment that is the likelihood rather than an impact criterion.
LIKELIHOOD = "waarschijnlijkheid"


class RiskTheme(models.TextChoices):
    """The nine threat themes of the Rijksbrede Risicoanalyse Nationale Veiligheid (2022)."""

    KLIMAAT = "klimaat", _("Climate and natural disasters")  # Klimaat- en natuurrampen
    INFECTIEZIEKTEN = "infectieziekten", _("Infectious diseases")
    ONGEVALLEN = "ongevallen", _("Major accidents")  # Zware ongevallen
    EXTREMISME = "extremisme", _("Polarisation, extremism and terrorism")
    INMENGING = "inmenging", _("Unwanted interference in the democratic legal order")
    MILITAIR = "militair", _("International and military threats")
    ECONOMISCH = "economisch", _("Economic threats")
    CYBER = "cyber", _("Cyber threats")
    VITALE_INFRA = "vitale_infra", _("Threats to vital infrastructure")
    LOKAAL = "lokaal", _("Local, outside the national themes")


class LikelihoodClass(models.IntegerChoices):
    """The likelihood classes A–E of the national risk assessment method."""

    A = 1, _("A — highly unlikely")
    B = 2, _("B — unlikely")
    C = 3, _("C — possible")
    D = 4, _("D — likely")
    E = 5, _("E — highly likely")


class ImpactClass(models.IntegerChoices):
    """The impact classes A–E of the national risk assessment method, and 0 for a criterion
    the scenario does not touch at all (a cyber attack kills nobody directly): scored as 0, it
    lowers the weighted mean, where leaving it unscored would keep the scenario unranked."""

    NONE = 0, _("0 — no impact (not applicable)")
    A = 1, _("A — limited")
    B = 2, _("B — substantial")
    C = 3, _("C — serious")
    D = 4, _("D — very serious")
    E = 5, _("E — catastrophic")


class ThreatScenario(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="threat_scenarios",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    theme = models.CharField(_("national risk theme"), max_length=20, choices=RiskTheme.choices)
    sources = models.TextField(
        _("sources"),
        max_length=2000,
        blank=True,
        help_text=_("Where the scenario comes from: the regional risk profile, a report, a link."),
    )
    # A shipped example, labelled as such on every screen, until the organisation edits it.
    shipped_source = models.CharField(_("shipped default from"), max_length=300, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
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
        ordering = ["organisation", "title"]
        verbose_name = _("threat scenario")
        verbose_name_plural = _("threat scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="unique_threat_scenario_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Framework(models.Model):
    """One version of the organisation's afwegingskader: its criteria and their weights."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="frameworks",
        verbose_name=_("organisation"),
    )
    version = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("what changed and why"), max_length=2000, blank=True)
    shipped_source = models.CharField(_("shipped default from"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "-version"]
        verbose_name = _("weighing framework")
        verbose_name_plural = _("weighing frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_framework_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="framework_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class Criterion(models.Model):
    """An impact criterion with its weight in per cent; the weights of a version add up to 100.

    The code carries a criterion from one version to the next, so scores keep counting after
    the weights change.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("framework")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_criterion_code"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One score of one scenario on one aspect (a criterion's code, or the likelihood), with its
    reasons. Never changed: the newest assessment of an aspect counts, the older ones stay."""

    scenario = models.ForeignKey(
        ThreatScenario,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("scenario"),
    )
    aspect = models.CharField(_("aspect"), max_length=40)
    # 0–5 for an impact criterion (0 = no impact), 1–5 for the likelihood: the service checks
    # the likelihood, the database the common range.
    value = models.PositiveSmallIntegerField(
        _("class"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    reasoning = models.TextField(_("reasoning"), max_length=2000)
    source = models.CharField(_("source"), max_length=500, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    class Meta:
        ordering = ["scenario", "aspect", "-scored_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["scenario", "aspect", "-scored_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=5), name="assessment_value_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.aspect} = {self.value}"


class PriorityDecision(models.Model):
    """The priority order the mayor or the college decided, on what basis, until when.

    A record: a later decision supersedes it, nothing overwrites it.
    """

    class DecidedBy(models.TextChoices):
        MAYOR = "burgemeester", _("the mayor")
        COLLEGE = "college", _("the college of mayor and aldermen")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="priority_decisions",
        verbose_name=_("organisation"),
    )
    number = models.PositiveIntegerField(_("number"))
    decided_by = models.CharField(_("decided by"), max_length=20, choices=DecidedBy.choices)
    decided_on = models.DateField(_("decided on"))
    reasons = models.TextField(_("reasons"), max_length=4000)
    review_on = models.DateField(_("review on"))
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("weighing framework"),
    )
    # The computed ranking as the decider saw it: scores change later, this does not.
    basis = models.JSONField(_("computed ranking at the time"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "-number"]
        verbose_name = _("priority decision")
        verbose_name_plural = _("priority decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="unique_priority_decision_number"
            ),
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("decided_on")),
                name="priority_review_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: prioriteringsbesluit {self.number}"


class DecisionItem(models.Model):
    decision = models.ForeignKey(
        PriorityDecision, on_delete=models.CASCADE, related_name="items", verbose_name=_("decision")
    )
    scenario = models.ForeignKey(
        ThreatScenario, on_delete=models.PROTECT, related_name="+", verbose_name=_("scenario")
    )
    position = models.PositiveSmallIntegerField(_("priority"))
    # The title as decided: a renamed scenario does not rewrite the decision.
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["decision", "position"]
        verbose_name = _("prioritised scenario")
        verbose_name_plural = _("prioritised scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "position"], name="unique_decision_position"
            ),
            models.UniqueConstraint(
                fields=["decision", "scenario"], name="unique_decision_scenario"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
