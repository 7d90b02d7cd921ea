from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role, TeamKind
from .text import display_name


class Organisation(models.Model):
    """A municipality (runs a GBT), a company or institution (runs a CMT), or a safety region
    (veiligheidsregio) that publishes one way of working to its member municipalities and
    prepares their exercises."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        COMPANY = "company", _("company or institution")
        REGION = "veiligheidsregio", _("safety region")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_organisations",
        limit_choices_to={"kind": "veiligheidsregio"},
        verbose_name=_("safety region"),
        help_text=_("The safety region this organisation is a member of."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Members must confirm every login with a code from an authenticator app."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("administer_organisation", "Can administer the organisation")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.region_id is None:
            return
        if self.kind == self.Kind.REGION:
            raise ValidationError({"region": _("A safety region is not a member of a region.")})
        region = self.region
        if self.region_id == self.pk or region is None or region.kind != self.Kind.REGION:
            raise ValidationError({"region": _("Choose a safety region.")})

    @property
    def is_region(self) -> bool:
        return self.kind == self.Kind.REGION


class OrganisationMember(models.Model):
    """Someone who works for or with an organisation: the pool its rosters and crises draw on.

    External partners who sit at the table (the ROL of the safety region, police, fire) are
    registered with the organisation too, so they can be put on its roster.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    function_title = models.CharField(
        _("function"), max_length=100, blank=True, help_text=_("For example gemeentesecretaris.")
    )
    is_administrator = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Manages the organisation's roster, crises and memberships."),
    )
    is_exercise_leader = models.BooleanField(
        _("exercise leader"),
        default=False,
        help_text=_("Prepares exercise scenarios and runs exercises (oefenleider)."),
    )

    class Meta:
        ordering = ["organisation", "user__last_name", "user__first_name"]
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="unique_organisation_member"
            )
        ]

    def __str__(self) -> str:
        return f"{display_name(self.user)} ({self.organisation})"


class RosterEntry(models.Model):
    """One seat of the standing team roster: who fills which role, and who deputises.

    A seat is (role, function); rank 1 is the one who is called, ranks 2 and up are deputies in
    order. A new crisis is staffed from the rank-1 people of every seat.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="roster",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    function_title = models.CharField(
        _("function"),
        max_length=100,
        blank=True,
        help_text=_("Distinguishes seats of the same role, e.g. communicatieadviseur."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roster_entries",
        verbose_name=_("person"),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=1, help_text=_("1 is called first; 2 and up are deputies.")
    )

    class Meta:
        ordering = ["organisation", "role", "function_title", "rank"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("team roster")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role", "function_title", "user"],
                name="unique_roster_person_per_seat",
            ),
            models.UniqueConstraint(
                fields=["organisation", "role", "function_title", "rank"],
                name="unique_roster_rank_per_seat",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="roster_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.rank}: {self.user}"

    @property
    def is_deputy(self) -> bool:
        return self.rank > 1


class Partner(models.Model):
    """A stakeholder or ketenpartner of the organisation: one register, used by the crisis team
    (who informs whom) and by the cold phase (partners of measures)."""

    class Kind(models.TextChoices):
        KETENPARTNER = "ketenpartner", _("chain partner")
        TOEZICHTHOUDER = "toezichthouder", _("regulator")
        OVERHEID = "overheid", _("government")
        VEILIGHEIDSREGIO = "veiligheidsregio", _("safety region")
        ZORG = "zorg", _("care")
        WONINGCORPORATIE = "woningcorporatie", _("housing corporation")
        VRIJWILLIGERS = "vrijwilligers", _("volunteer organisation")
        BEDRIJF = "bedrijf", _("company")
        MEDIA = "media", _("press and media")
        PUBLIEK = "publiek", _("customers and public")
        INTERN = "intern", _("own organisation")
        ANDERS = "anders", _("other")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact_route = models.CharField(
        _("contact route"),
        max_length=500,
        blank=True,
        help_text=_("How to reach them in a crisis, for example a 24/7 number or a liaison."),
    )
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keeps contact by default"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["organisation", "kind", "name"]
        verbose_name = _("stakeholder or partner")
        verbose_name_plural = _("stakeholders and partners")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_partner_name")
        ]

    def __str__(self) -> str:
        return self.name


class Crisis(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="crises",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    team_kind = models.CharField(_("team"), max_length=3, choices=TeamKind.choices)
    # GRIP levels change and differ per region: a label, never logic.
    scaling_label = models.CharField(
        _("scaling level"), max_length=50, blank=True, help_text=_("For example GRIP 3.")
    )
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    is_exercise = models.BooleanField(
        _("exercise"), default=False, help_text=_("Everything of an exercise is marked OEFENING.")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        permissions = [
            ("run_meeting", "Can run the meeting (change phase, agenda, clock)"),
            ("record_entry", "Can write log entries"),
            ("record_decision", "Can record a decision"),
            ("write_analysis", "Can write the strategic analysis"),
            ("manage_members", "Can add and remove team members"),
            ("share_analysis", "Can share the strategic analysis and see who read it"),
            ("handle_messages", "Can register and handle messages (berichtenmanager)"),
            ("approve_messages", "Can approve outgoing messages"),
            ("inform_stakeholders", "Can record informing a stakeholder"),
        ]
        constraints = [
            # Also stops a double-submitted "open crisis" from making two.
            models.UniqueConstraint(
                fields=["organisation", "title"],
                condition=Q(status="active"),
                name="unique_active_crisis_title",
                violation_error_message=_(
                    "This organisation already has an active crisis with this title."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="active", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="crisis_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CrisisStart(models.Model):
    """The chair's first decision with the crisis coordinator (CMT task card, tasks 1 and 7):
    handled centrally or locally, convene the team or informing is enough, and the working
    agreements and meeting cycle. One per crisis; every change is in the audit trail."""

    class Scope(models.TextChoices):
        CENTRAL = "centraal", _("central")
        LOCAL = "lokaal", _("local")

    class Response(models.TextChoices):
        CONVENE = "bijeenroepen", _("convene the crisis team")
        INFORM = "informeren", _("informing is enough")

    crisis = models.OneToOneField(Crisis, on_delete=models.CASCADE, related_name="start")
    scope = models.CharField(_("central or local"), max_length=10, choices=Scope.choices)
    response = models.CharField(_("convene or inform"), max_length=15, choices=Response.choices)
    coordinator = models.CharField(
        _("decided with (crisis coordinator)"), max_length=200, blank=True
    )
    agreements = models.TextField(_("working agreements"), max_length=4000, blank=True)
    meeting_cycle = models.CharField(
        _("meeting cycle"),
        max_length=300,
        blank=True,
        help_text=_("For example: every two hours, 30 minutes, input 15 minutes before."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("start decision")
        verbose_name_plural = _("start decisions")

    def __str__(self) -> str:
        return f"{self.crisis}: {self.get_scope_display()}, {self.get_response_display()}"


class Membership(models.Model):
    """A person's seat in one crisis team. Ending it keeps the row: who sat there stays known."""

    crisis = models.ForeignKey(
        Crisis, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("crisis")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="crisis_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    function_title = models.CharField(_("function"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("member since"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    # Still in the team but not available (ill, on the road, off duty): a deputy can be called
    # in, and the chair delegates the member's tasks until the replacement is at the table.
    unavailable_at = models.DateTimeField(_("unavailable since"), null=True, blank=True)
    unavailable_note = models.CharField(_("why unavailable"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("member until"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        ordering = ["crisis", "role", "started_at", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "user", "role"],
                condition=Q(ended_at__isnull=True),
                name="unique_active_membership_per_role",
                violation_error_message=_("This person already has this role in the crisis."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.crisis})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class AuditEvent(models.Model):
    """Who did what, when: appended by services, never changed."""

    class Action(models.TextChoices):
        CRISIS_OPENED = "crisis_opened", _("crisis opened")
        CRISIS_UPDATED = "crisis_updated", _("crisis details changed")
        CRISIS_CLOSED = "crisis_closed", _("crisis closed")
        MEMBER_ADDED = "member_added", _("member added")
        MEMBER_REMOVED = "member_removed", _("member removed")
        ORGANISATION_MEMBER_SET = "organisation_member_set", _("organisation member set")
        TWO_FACTOR_RESET = "two_factor_reset", _("authenticator app reset")
        MEETING_STARTED = "meeting_started", _("meeting started")
        PHASE_CHANGED = "phase_changed", _("phase changed")
        MEETING_CLOSED = "meeting_closed", _("meeting closed")
        ANALYSIS_VIEWED = "analysis_viewed", _("analysis viewed")
        ANALYSIS_DOWNLOADED = "analysis_downloaded", _("analysis PDF downloaded")
        ANALYSIS_SHARED = "analysis_shared", _("analysis shared")
        ANALYSIS_UNSHARED = "analysis_unshared", _("analysis sharing revoked")
        ARCHIVE_EXPORTED = "archive_exported", _("archive exported")
        ORGANISATION_CREATED = "organisation_created", _("organisation created")
        CRISIS_START_RECORDED = "crisis_start_recorded", _("start decision recorded")
        MESSAGE_APPROVED = "message_approved", _("outgoing message approved")
        MEMBER_UNAVAILABLE = "member_unavailable", _("member unavailable")
        MEMBER_AVAILABLE = "member_available", _("member available again")
        DEPUTY_CALLED = "deputy_called", _("deputy called in")
        WALL_CODE_CREATED = "wall_code_created", _("wall screen code made")
        WALL_PAIRED = "wall_paired", _("wall screen paired")
        WALL_REVOKED = "wall_revoked", _("wall screen pairing revoked")
        RESILIENCE_ROLE_SET = "resilience_role_set", _("cold-phase role changed")
        SCENARIO_CHANGED = "scenario_changed", _("threat scenario changed")
        FRAMEWORK_REVISED = "framework_revised", _("weighing framework revised")
        SCORE_RECORDED = "score_recorded", _("scenario scored")
        PRIORITY_DECIDED = "priority_decided", _("priority decided")
        MEASURE_CHANGED = "measure_changed", _("measure changed")
        MEASURE_PROGRESS = "measure_progress", _("measure progress recorded")
        MEASURES_IMPORTED = "measures_imported", _("measures imported")
        PROCESS_CHANGED = "process_changed", _("critical process changed")
        PARTNER_CHANGED = "partner_changed", _("partner changed")
        DISTRICTS_CHANGED = "districts_changed", _("districts changed")
        VULNERABLE_CHANGED = "vulnerable_changed", _("vulnerable locations or groups changed")
        POINT_CHANGED = "point_changed", _("emergency support point changed")
        POINT_STATUS_SET = "point_status_set", _("emergency support point status set")
        SCARCE_GOOD_CHANGED = "scarce_good_changed", _("scarce good or stock changed")
        RULE_DECIDED = "rule_decided", _("allocation rule decided")
        AFFECTED_AREA_CHANGED = "affected_area_changed", _("affected districts changed")
        ALLOCATION_REQUESTED = "allocation_requested", _("request for scarce goods recorded")
        ALLOCATION_DECIDED = "allocation_decided", _("allocation decided")
        PUBLISHED = "published", _("published to the member organisations")
        ADOPTED = "adopted", _("regional version adopted")
        EXERCISE_SCENARIO_CHANGED = "exercise_scenario_changed", _("exercise scenario changed")
        EXERCISE_CREATED = "exercise_created", _("exercise created")
        EXERCISE_CLOCK = "exercise_clock", _("exercise clock started or stopped")
        INJECT_RELEASED = "inject_released", _("inject released")
        EVALUATION_CHANGED = "evaluation_changed", _("exercise evaluation changed")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    crisis = models.ForeignKey(
        Crisis,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("crisis"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concerning"),
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def role_label(self) -> str:
        role = self.detail.get("role")
        return str(Role(role).label) if role in Role.values else ""

    @property
    def detail_parts(self) -> list[str]:
        """The event's detail as short phrases for the audit trail page."""
        detail, parts = self.detail or {}, []
        if self.role_label:
            parts.append(str(self.role_label))
        if "meeting" in detail:
            parts.append(_("meeting %(n)s") % {"n": detail["meeting"]})
        if "version" in detail:
            parts.append(_("version %(n)s") % {"n": detail["version"]})
        if detail.get("phase"):
            phases = [detail.get("from_phase"), detail["phase"]]
            parts.append(" → ".join(str(p).capitalize() for p in phases if p))
        return parts


class LoginFailure(models.Model):
    """A failed login (password or code). Recent ones throttle further attempts.

    Kept in the database, not in a worker's memory: every server process sees the same count.
    """

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M}"


class TwoFactorDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): the shared secret and the last used step.

    Remembering the last accepted time step refuses a code that was already used once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="two_factor_device",
        verbose_name=_("user"),
    )
    secret = models.CharField(max_length=64, editable=False)
    confirmed_at = models.DateTimeField(_("set up at"), default=timezone.now)
    last_used_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return str(self.user)
