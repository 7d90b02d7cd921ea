"""The strategic analysis (format strategische analyse): its editable format and its versions.

The format is data: an organisation's sections, versioned. An analysis keeps the format
version it was written in; a handed-over version is frozen, with a fingerprint of its content
and, once made, its PDF.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Crisis, Organisation


class AnalysisFormat(models.Model):
    """One version of an organisation's format. Never changed once saved: a revision is new."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="analysis_formats"
    )
    version = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    is_default = models.BooleanField(
        _("shipped default"), default=False, help_text=_("Copied from Crisisroom's default.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-version"]
        verbose_name = _("analysis format")
        verbose_name_plural = _("analysis formats")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_format_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — format v{self.version}"


class FormatSection(models.Model):
    format = models.ForeignKey(AnalysisFormat, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    help_text = models.TextField(_("guiding questions"), max_length=2000, blank=True)
    required = models.BooleanField(_("required for hand-over"), default=False)
    in_kernbeeld = models.BooleanField(
        _("into the core picture"),
        default=False,
        help_text=_("This section prefills the kernbeeld when a meeting starts."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["format", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["format", "key"], name="unique_section_key")]

    def __str__(self) -> str:
        return self.title


class Analysis(models.Model):
    """The analysis of one crisis: a working draft, and the versions handed over from it."""

    crisis = models.OneToOneField(Crisis, on_delete=models.PROTECT, related_name="analysis")
    format = models.ForeignKey(AnalysisFormat, on_delete=models.PROTECT, related_name="+")
    draft = models.JSONField(default=dict, blank=True)
    # Bumped on every save that changes a section.
    draft_revision = models.PositiveIntegerField(default=0)
    # Per section, the last save that changed it: {key: {"revision", "by", "at", "editor"}}.
    # Two screens that changed different sections both save; the same section changed on both
    # is refused to the later one, which sees both texts. "editor" names the screen (one page
    # load), so a save whose answer never arrived does not count as someone else's.
    draft_sections = models.JSONField(default=dict, blank=True, editable=False)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("strategic analysis")
        verbose_name_plural = _("strategic analyses")

    def __str__(self) -> str:
        return f"{_('Strategic analysis')} — {self.crisis}"


class AnalysisVersion(models.Model):
    """A handed-over version (overdracht): frozen content, time, author and fingerprint."""

    analysis = models.ForeignKey(Analysis, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    format = models.ForeignKey(AnalysisFormat, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()
    handed_over_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    # Organisation, crisis title, scaling label and exercise flag as they were at hand-over.
    header = models.JSONField(default=dict, editable=False)
    # The rendered PDF: a handed-over version never changes, so it is made once.
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["analysis", "-number"]
        verbose_name = _("analysis version")
        verbose_name_plural = _("analysis versions")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "number"], name="unique_analysis_version")
        ]

    def __str__(self) -> str:
        return f"{self.analysis} v{self.number}"

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]


class AnalysisShare(models.Model):
    """The mayor shares the analysis with someone of the organisation outside the team."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="analysis_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "user"],
                condition=Q(revoked_at__isnull=True),
                name="unique_active_share",
            )
        ]

    def __str__(self) -> str:
        return f"{self.analysis} → {self.user}"


class AnalysisRead(models.Model):
    """Who opened or downloaded which version, and when."""

    class Kind(models.TextChoices):
        VIEW = "view", _("read on screen")
        PDF = "pdf", _("downloaded PDF")

    version = models.ForeignKey(AnalysisVersion, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} v{self.version.number}"


class CardSet(models.Model):
    """An organisation's strategic attention card and task cards, as one numbered version.

    ``card``: {"agenda": [...], "phases": {phase: [...]}, "roles": [...], "challenges": [...],
    "uitgangspunten": [...], "families": [...]} (a card saved before "challenges" existed has
    none); ``tasks``: {role: [task, ...]}. Never changed once saved; a meeting keeps the version
    it used.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="card_sets"
    )
    version = models.PositiveIntegerField(_("version"))
    card = models.JSONField()
    tasks = models.JSONField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    is_default = models.BooleanField(_("shipped default"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_cardset_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — kaarten v{self.version}"
