"""The first 72 hours: noodsteunpunten, vulnerable locations and groups, districts, scarce goods
and the allocation rules decided for them in the cold phase; and, in a crisis, the affected
districts, the requests for scarce goods and the allocation decisions that cite a rule.

Data minimisation (AVG): nothing here describes an individual person. Vulnerable groups are
counts per district with their source and date; people at home who depend on dialysis or oxygen
are a counted cluster per district, never a name or an address. There is no field to put one
in, and none may be added.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crisisroom.models import Crisis, Organisation, Partner

# Latitude and longitude in WGS84 (EPSG:4326), the only system a browser map and GPS share.
LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


class District(models.Model):
    """A wijk or buurt by its CBS code, with its outline for the map (GeoJSON, WGS84)."""

    class Level(models.TextChoices):
        WIJK = "wijk", _("district (wijk)")
        BUURT = "buurt", _("neighbourhood (buurt)")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="districts",
        verbose_name=_("organisation"),
    )
    code = models.CharField(
        _("CBS code"),
        max_length=10,
        help_text=_("WK followed by 6 digits for a wijk, BU followed by 8 digits for a buurt."),
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=5, choices=Level.choices)
    # A GeoJSON Polygon or MultiPolygon in WGS84; optional: a district without an outline is
    # still counted and listed, it only has no shape on the map.
    outline = models.JSONField(_("outline"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_district_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class VulnerableGroup(models.Model):
    """A group of people who cannot manage alone for 72 hours, as the organisation defines it
    (for example by health or age): only ever counted, per district."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="vulnerable_groups",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("vulnerable group")
        verbose_name_plural = _("vulnerable groups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_vulnerable_group_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupCount(models.Model):
    """How many people of a group live in a district, by source and date: an aggregate only."""

    group = models.ForeignKey(
        VulnerableGroup, on_delete=models.CASCADE, related_name="counts", verbose_name=_("group")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="group_counts", verbose_name=_("district")
    )
    count = models.PositiveIntegerField(_("number of people"))
    source = models.CharField(_("source"), max_length=200)
    as_of = models.DateField(_("as of"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["group", "district"]
        verbose_name = _("group count")
        verbose_name_plural = _("group counts")
        constraints = [
            models.UniqueConstraint(fields=["group", "district"], name="unique_group_count")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.count} ({self.district.code})"


class Dependency(models.TextChoices):
    STROOM = "stroom", _("power")
    WATER = "water", _("water")
    VERWARMING = "verwarming", _("heating")
    ZORG = "zorg", _("care")


class LocationKind(models.TextChoices):
    ZORGINSTELLING = "zorginstelling", _("care home")
    ZIEKENHUIS = "ziekenhuis", _("hospital")
    SCHOOL = "school", _("school")
    KINDEROPVANG = "kinderopvang", _("childcare")
    THUISDIALYSE = "thuisdialyse", _("home dialysis (counted cluster)")
    ZUURSTOF = "zuurstof", _("oxygen at home (counted cluster)")
    ANDERS = "anders", _("other")


# Clusters of people at home are counted per district: no address, no point on the map.
CLUSTER_KINDS = (LocationKind.THUISDIALYSE, LocationKind.ZUURSTOF)


class VulnerableLocation(models.Model):
    """A place where people cannot manage alone (a care home, a school), or a counted cluster of
    people at home who depend on power for care (home dialysis, oxygen) in one district."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="vulnerable_locations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vulnerable_locations",
        verbose_name=_("district"),
    )
    people = models.PositiveIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        help_text=_("Residents, pupils or patients: a number, never names."),
    )
    dependencies = models.JSONField(_("depends on"), default=list, blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vulnerable_locations",
        verbose_name=_("reached through"),
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("vulnerable location")
        verbose_name_plural = _("vulnerable locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="vulnerable_location_both_coordinates",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cluster(self) -> bool:
        return self.kind in CLUSTER_KINDS


class PointKind(models.TextChoices):
    GEMEENSCHAPSHUIS = "gemeenschapshuis", _("community building")
    BRANDWEERKAZERNE = "brandweerkazerne", _("fire station")
    GEMEENTEHUIS = "gemeentehuis", _("town hall")
    SCHOOL = "school", _("school")
    SPORTHAL = "sporthal", _("sports hall")
    KERK = "kerk", _("church or place of worship")
    BIBLIOTHEEK = "bibliotheek", _("library")
    ANDERS = "anders", _("other")


class PointService(models.TextChoices):
    INFORMATIE = "informatie", _("information when the internet is down")
    EHBO = "ehbo", _("first aid")
    WATER = "water", _("drinking water")
    OPLADEN = "opladen", _("charging phones")
    WARMTE = "warmte", _("warmth")
    ONTMOETING = "ontmoeting", _("meeting point")


class PointStatus(models.TextChoices):
    GESLOTEN = "gesloten", _("closed")
    GAAT_OPEN = "gaat_open", _("opening")
    OPEN = "open", pgettext_lazy("noodsteunpunt", "open")
    VOL = "vol", _("full")


class EmergencyPoint(models.Model):  # noodsteunpunt
    """A local emergency support point for the first 72 hours: where people go for information,
    water, warmth, first aid and a charged phone when everything else is down."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="emergency_points",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices)
    address = models.CharField(_("address"), max_length=200)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE_VALIDATORS)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE_VALIDATORS)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergency_points",
        verbose_name=_("district"),
    )
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    services = models.JSONField(_("services"), default=list, blank=True)
    # Hours the point keeps going on its own backup; empty means it has none.
    power_hours = models.PositiveIntegerField(_("backup power (hours)"), null=True, blank=True)
    water_hours = models.PositiveIntegerField(_("backup water (hours)"), null=True, blank=True)
    comms_hours = models.PositiveIntegerField(
        _("backup communication (hours)"), null=True, blank=True
    )
    key_holder = models.CharField(
        _("key holder"),
        max_length=200,
        help_text=_("A function and how to reach it, for example 'beheerder buurthuis, 06-…'."),
    )
    staff = models.TextField(_("staff"), max_length=2000, blank=True)
    opening_procedure = models.TextField(_("opening procedure"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PointStatus.choices, default=PointStatus.GESLOTEN
    )
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status set by"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("emergency support point")
        verbose_name_plural = _("emergency support points")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_emergency_point_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PointStatusChange(models.Model):
    """Every status a noodsteunpunt had, when, by whom and in which crisis."""

    point = models.ForeignKey(
        EmergencyPoint,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("emergency support point"),
    )
    status = models.CharField(_("status"), max_length=10, choices=PointStatus.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    crisis = models.ForeignKey(
        Crisis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="point_status_changes",
        verbose_name=_("crisis"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["point", "-at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.point}: {self.status}"


class GoodKind(models.TextChoices):
    DRINKWATER = "drinkwater", _("drinking water")
    VOEDSEL = "voedsel", _("food")
    BRANDSTOF = "brandstof", _("fuel")
    AGGREGATEN = "aggregaten", _("generators")
    THUISZORG = "thuiszorg", _("home care capacity")
    ANDERS = "anders", _("other")


class ScarceGood(models.Model):
    """Something that can run short in the first 72 hours: a good or a service."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="scarce_goods",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=GoodKind.choices)
    unit = models.CharField(
        _("unit"), max_length=40, help_text=_("For example liter, stuks, uur zorg.")
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("scarce good or service")
        verbose_name_plural = _("scarce goods and services")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_scarce_good")
        ]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """How much of a good is where (or what capacity a service has), by source and date."""

    good = models.ForeignKey(
        ScarceGood, on_delete=models.CASCADE, related_name="stocks", verbose_name=_("good")
    )
    place = models.CharField(_("where"), max_length=200)
    point = models.ForeignKey(
        EmergencyPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stocks",
        verbose_name=_("at emergency support point"),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["good", "place"]
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.good}: {self.quantity} ({self.place})"


class AllocationRule(models.Model):
    """A rule for dividing a scarce good, decided in the cold phase; its content is versioned
    (AllocationRuleVersion), so a crisis decision cites exactly the version it applied."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="allocation_rules",
        verbose_name=_("organisation"),
    )
    number = models.PositiveIntegerField(_("number"))
    good = models.ForeignKey(
        ScarceGood, on_delete=models.PROTECT, related_name="rules", verbose_name=_("good")
    )
    title = models.CharField(_("title"), max_length=200)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["organisation", "number"]
        verbose_name = _("allocation rule")
        verbose_name_plural = _("allocation rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="unique_allocation_rule_number"
            )
        ]

    def __str__(self) -> str:
        return f"R{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return f"R{self.number}"


class AllocationRuleVersion(models.Model):
    """One decided version of an allocation rule: never changed, a new decision is a new version."""

    rule = models.ForeignKey(
        AllocationRule, on_delete=models.CASCADE, related_name="versions", verbose_name=_("rule")
    )
    version = models.PositiveIntegerField(_("version"))
    # One group or location kind per line, first served first.
    priority_order = models.TextField(_("priority order"), max_length=4000)
    norm_amount = models.DecimalField(
        _("norm"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    norm_unit = models.CharField(_("norm unit"), max_length=80, blank=True)
    norm_source = models.CharField(_("source of the norm"), max_length=300, blank=True)
    # A norm shipped as a labelled default from a public source, until the organisation
    # decides its own.
    norm_is_default = models.BooleanField(_("default norm"), default=False)
    conditions = models.TextField(_("conditions"), max_length=4000, blank=True)
    decided_by = models.CharField(
        _("decided by"), max_length=200, help_text=_("For example: college van B en W.")
    )
    decided_on = models.DateField(_("decided on"))
    reasons = models.TextField(_("reasons"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["rule", "-version"]
        verbose_name = _("allocation rule version")
        verbose_name_plural = _("allocation rule versions")
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="unique_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.version}"

    @property
    def priorities(self) -> list[str]:
        return [line.strip() for line in self.priority_order.splitlines() if line.strip()]


# -- in a crisis ------------------------------------------------------------------------------


class AffectedDistrict(models.Model):
    """A district the crisis team marked as affected."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="affected_districts")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["crisis", "district__code"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "district"], name="unique_affected_district")
        ]

    def __str__(self) -> str:
        return str(self.district)


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("request", "open")
    TOEGEWEZEN = "toegewezen", _("allocated")
    AFGEWEZEN = "afgewezen", _("refused")


class AllocationDecision(models.Model):
    """An allocation decided in a crisis: a decision in the log (the entry holds its words and
    reasons) that applies a rule version, or departs from it with its own reasons."""

    crisis = models.ForeignKey(
        Crisis, on_delete=models.PROTECT, related_name="allocation_decisions"
    )
    entry = models.OneToOneField(
        "meetings.Entry",
        on_delete=models.PROTECT,
        related_name="allocation",
        verbose_name=_("log entry"),
    )
    good = models.ForeignKey(
        ScarceGood, on_delete=models.PROTECT, related_name="+", verbose_name=_("good")
    )
    rule_version = models.ForeignKey(
        AllocationRuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("rule applied"),
    )
    follows_rule = models.BooleanField(_("follows the rule"), default=True)
    deviation_reasons = models.TextField(
        _("reasons for departing from the rule"), max_length=4000, blank=True
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    recipient = models.CharField(_("to"), max_length=200)

    class Meta:
        ordering = ["crisis", "entry__seq"]
        verbose_name = _("allocation decision")
        verbose_name_plural = _("allocation decisions")
        constraints = [
            # Departing from the rule always says why; applying no rule is a departure too.
            models.CheckConstraint(
                condition=Q(follows_rule=False, deviation_reasons__gt="")
                | Q(follows_rule=True, rule_version__isnull=False),
                name="allocation_cites_rule_or_reasons",
            )
        ]

    def __str__(self) -> str:
        return f"{self.good} → {self.recipient}"


class AllocationRequest(models.Model):
    """A request for a scarce good from a noodsteunpunt or a partner, open until decided."""

    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="allocation_requests")
    number = models.PositiveIntegerField(_("number"))
    good = models.ForeignKey(
        ScarceGood, on_delete=models.PROTECT, related_name="+", verbose_name=_("good")
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    point = models.ForeignKey(
        EmergencyPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from emergency support point"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from partner"),
    )
    requester = models.CharField(_("requested by"), max_length=200, blank=True)
    description = models.TextField(_("what and for whom"), max_length=2000)
    needed_by = models.DateTimeField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    decision = models.ForeignKey(
        AllocationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("decided by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    # The same form twice (a double click, a retry) is one request.
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["crisis", "number"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        constraints = [
            models.UniqueConstraint(fields=["crisis", "number"], name="unique_request_number"),
            models.UniqueConstraint(
                fields=["crisis", "client_token"], name="unique_request_client_token"
            ),
            models.CheckConstraint(
                condition=Q(point__isnull=False) | Q(partner__isnull=False) | ~Q(requester=""),
                name="request_has_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"V{self.number}. {self.good}"
