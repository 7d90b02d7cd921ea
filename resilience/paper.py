"""The first 72 hours on paper: the noodsteunpunten with addresses and key holders, and the
allocation rules in force, as sections of the organisation's paper pack (meetings/pdf.py)."""

from django.db.models import Prefetch
from django.template.loader import render_to_string

from crisisroom.models import Crisis, Organisation

from .models import AllocationRule, AllocationRuleVersion, EmergencyPoint, PointService


def paper_pack_first72(organisation: Organisation, crisis: Crisis | None, exercise: bool) -> str:
    """Sections for the paper pack, or "" when the organisation has neither points nor rules."""
    points = list(
        EmergencyPoint.objects.filter(organisation=organisation, is_active=True)
        .select_related("district")
        .order_by("name")
    )
    rules = list(
        AllocationRule.objects.filter(organisation=organisation, is_active=True)
        .select_related("good")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AllocationRuleVersion.objects.order_by("-version"),
                to_attr="versions_newest_first",
            )
        )
        .order_by("number")
    )
    if not points and not rules:
        return ""
    service_labels = dict(PointService.choices)
    return render_to_string(
        "resilience/first72/pdf/paper_pack_sections.html",
        {
            "organisation": organisation,
            "crisis": crisis,
            "exercise": exercise,
            "points": [
                (point, [str(service_labels.get(s, s)) for s in point.services]) for point in points
            ],
            "rules": [
                (rule, rule.versions_newest_first[0])
                for rule in rules
                if rule.versions_newest_first
            ],
        },
    )
