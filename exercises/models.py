"""Exercises as the pilots ran them (seed 000): a region publishes one way of working and one
scenario to its member municipalities; an exercise leader runs the scenario at a team's table,
releases its injects, observers record what they see, and the team evaluates afterwards.

An exercise is a crisis marked OEFENING (``Crisis.is_exercise``) with an ``Exercise`` beside it:
the team works in it with every screen it has in a real crisis. What only the exercise control
(EXCON: the exercise leader and the observers) may see is kept here: the injects' notes and
expected responses, and the observations until the evaluation is closed.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.boboc import Phase
from crisisroom.models import Crisis, Organisation
from crisisroom.roles import Role, TeamKind
from formats.models import AnalysisFormat, CardSet
from meetings.models import Entry, Message
from resilience.models import Measure

# Twelve hours: no table exercise runs longer; a typing slip of a day is refused.
MAX_OFFSET_MINUTES = 12 * 60


class Scenario(models.Model):
    """A scenario of the library of one organisation (a region, or a municipality's own)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exercise_scenarios",
        verbose_name=_("organisation"),
    )
    # An adopted copy remembers the regional scenario it came from: the region compares runs.
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copy of"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("exercise scenario")
        verbose_name_plural = _("exercise scenarios")

    def __str__(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.title if latest else f"#{self.pk}"


class ScenarioVersion(models.Model):
    """One version of a scenario. A version that was published or run is frozen: a change
    makes the next version, so every run and every member knows exactly what it played."""

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(
        _("background"),
        max_length=10_000,
        blank=True,
        help_text=_("What the players are told at the start: the situation so far."),
    )
    team_kind = models.CharField(_("for team"), max_length=3, choices=TeamKind.choices)
    # The starting strategic analysis, by section key of the analysis format: it becomes the
    # exercise's handed-over version 1, so the first meeting builds on it.
    analysis = models.JSONField(_("starting strategic analysis"), default=dict, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(
        _("planned duration (minutes)"),
        default=120,
        validators=[MaxValueValidator(MAX_OFFSET_MINUTES)],
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["scenario", "-number"]
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "number"], name="unique_scenario_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class LearningObjective(models.Model):  # leerdoel
    version = models.ForeignKey(
        ScenarioVersion, on_delete=models.CASCADE, related_name="objectives"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("learning objective"), max_length=300)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self) -> str:
        return self.text


class Inject(models.Model):
    """A message the exercise control puts into the game, at a time or at a BOBOC phase."""

    class Channel(models.TextChoices):
        TELEFOON = "telefoon", _("telephone")
        EMAIL = "e-mail", _("e-mail")
        SOCIAL = "sociale media", _("social media")
        PERS = "pers", _("press")
        ROL = "rol", _("ROL")
        KETENPARTNER = "ketenpartner", _("chain partner")

    version = models.ForeignKey(ScenarioVersion, on_delete=models.CASCADE, related_name="injects")
    number = models.PositiveSmallIntegerField(_("number"))
    offset_minutes = models.PositiveSmallIntegerField(
        _("minutes after the start"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_OFFSET_MINUTES)],
        help_text=_("Released on schedule this many minutes after the exercise clock starts."),
    )
    trigger_phase = models.CharField(
        _("or when the meeting reaches"),
        max_length=20,
        choices=Phase.choices,
        blank=True,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    sender = models.CharField(
        _("from"), max_length=200, help_text=_("Who the players hear it from.")
    )
    addressee_role = models.CharField(_("for (role)"), max_length=30, choices=Role.choices)
    summary = models.CharField(_("summary"), max_length=300)
    text = models.TextField(_("text the players see"), max_length=10_000, blank=True)
    excon_note = models.TextField(
        _("note for the exercise control only"), max_length=4000, blank=True
    )
    expected_response = models.TextField(_("expected response"), max_length=4000, blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="unique_inject_number"),
            # At a time, at a phase, or by hand only: never both.
            models.CheckConstraint(
                condition=Q(offset_minutes__isnull=True) | Q(trigger_phase=""),
                name="inject_time_or_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.summary}"


class Publication(models.Model):
    """A region publishes a version of its format, its cards or a scenario to its members."""

    class Kind(models.TextChoices):
        FORMAT = "format", _("format of the strategic analysis")
        CARDS = "cards", _("cards")
        SCENARIO = "scenario", _("exercise scenario")

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    format = models.ForeignKey(
        AnalysisFormat, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    card_set = models.ForeignKey(
        CardSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scenario_version = models.ForeignKey(
        ScenarioVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
    )
    note = models.CharField(_("note to the members"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["region", "-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="format", format__isnull=False, card_set__isnull=True)
                & Q(scenario_version__isnull=True)
                | Q(kind="cards", card_set__isnull=False, format__isnull=True)
                & Q(scenario_version__isnull=True)
                | Q(kind="scenario", scenario_version__isnull=False, format__isnull=True)
                & Q(card_set__isnull=True),
                name="publication_has_its_one_object",
            ),
            # Publishing the same version twice (a double click) is one publication.
            models.UniqueConstraint(
                fields=["format"], condition=Q(format__isnull=False), name="unique_format_pub"
            ),
            models.UniqueConstraint(
                fields=["card_set"], condition=Q(card_set__isnull=False), name="unique_cards_pub"
            ),
            models.UniqueConstraint(
                fields=["scenario_version"],
                condition=Q(scenario_version__isnull=False),
                name="unique_scenario_pub",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_kind_display()} ({self.published_at:%Y-%m-%d})"


class Adoption(models.Model):
    """A member organisation took a published version: its own copy, which it may adapt."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="adoptions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="adoptions"
    )
    # The member's copy, made at adoption: what it adapts afterwards is a later version.
    format = models.ForeignKey(
        AnalysisFormat, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    card_set = models.ForeignKey(
        CardSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-adopted_at"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(fields=["publication", "organisation"], name="unique_adoption")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.publication}"


class Exercise(models.Model):
    """One run of a scenario version at one team's table: the crisis marked OEFENING."""

    crisis = models.OneToOneField(Crisis, on_delete=models.PROTECT, related_name="exercise")
    scenario_version = models.ForeignKey(
        ScenarioVersion, on_delete=models.PROTECT, related_name="exercises"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clock_started_at = models.DateTimeField(_("exercise clock started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Once closed, the players read the observations and the report: before, only EXCON does.
    evaluation_closed_at = models.DateTimeField(_("evaluation closed"), null=True, blank=True)
    client_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(clock_started_at__isnull=False),
                name="exercise_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_closed_at__isnull=True) | Q(ended_at__isnull=False),
                name="exercise_evaluated_after_end",
            ),
        ]

    def __str__(self) -> str:
        return str(self.crisis)

    @property
    def is_running(self) -> bool:
        return self.clock_started_at is not None and self.ended_at is None

    @property
    def is_evaluated(self) -> bool:
        return self.evaluation_closed_at is not None


class InjectRelease(models.Model):
    """An inject put into the game: when, by whom (empty on schedule), and its desk message."""

    class How(models.TextChoices):
        HAND = "hand", _("by hand")
        SCHEDULE = "schema", _("on schedule")
        PHASE = "fase", _("at the phase")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="releases")
    inject = models.ForeignKey(Inject, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(_("released at"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    how = models.CharField(max_length=10, choices=How.choices)
    message = models.OneToOneField(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="inject_release"
    )

    class Meta:
        ordering = ["exercise", "released_at"]
        constraints = [
            # Released once: by hand and on schedule at the same moment make one release.
            models.UniqueConstraint(fields=["exercise", "inject"], name="unique_inject_release")
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: inject {self.inject_id}"


class Observation(models.Model):
    """What an observer saw, when, in which phase; optionally about an entry, an inject and a
    learning objective. The players do not see it until the evaluation is closed."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="observations")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("log entry"),
    )
    inject = models.ForeignKey(
        Inject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inject"),
    )
    objective = models.ForeignKey(
        LearningObjective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning objective"),
    )
    text = models.TextField(_("observation"), max_length=4000)
    recorded_at = models.DateTimeField(default=timezone.now)
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["exercise", "at", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "client_token"], name="unique_observation_token"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Feedback(models.Model):
    """A participant's word after the run. Anonymous feedback keeps no author: only the
    separate receipt says that someone gave feedback, so nobody gives it twice."""

    # A random key: serial numbers in the order given could be matched with the receipts.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    went_well = models.TextField(_("what went well"), max_length=4000, blank=True)
    to_improve = models.TextField(_("what could be better"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["exercise", "submitted_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.exercise}: feedback {self.pk}"


class FeedbackReceipt(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "user"], name="unique_feedback_receipt")
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.user_id}"


class Rating(models.Model):
    """How the team performed a learning objective (the four levels of HSEEP's exercise
    evaluation guides, a public US FEMA method)."""

    class Level(models.TextChoices):
        P = "p", _("performed without challenges")
        S = "s", _("performed with some challenges")
        M = "m", _("performed with major challenges")
        U = "u", _("not performed")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(LearningObjective, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("rating"), max_length=1, choices=Level.choices)
    note = models.TextField(_("explanation"), max_length=2000, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["exercise", "objective__order"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "objective"], name="unique_rating")
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.get_level_display()}"


class LessonLearned(models.Model):  # leerpunt
    """A lesson with an owner and a deadline, that becomes a measure in the programme plan."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="lessons")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("lesson"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    objective = models.ForeignKey(
        LearningObjective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning objective"),
    )
    measure = models.OneToOneField(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lesson",
        verbose_name=_("measure in the programme plan"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["exercise", "number"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="unique_lesson_number")
        ]

    def __str__(self) -> str:
        return f"L{self.number}. {self.text[:60]}"
