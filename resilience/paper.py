"""The first 72 hours on paper: the sections this app adds to the organisation's paper pack
(meetings/pdf.py, registered in apps.py). The noodsteunpunten with everything needed to open
one, the vulnerable locations per district (clusters only as kind and numbers), and the
allocation rules in force at their current version. The printable list (views/first72_map.py,
first72_print) shows the same points and locations from the same selector, paper_list."""

from django.db.models import Prefetch
from django.template.loader import render_to_string

from crisisroom.models import Crisis, Organisation

from .models import AllocationRule, AllocationRuleVersion
from .selectors import paper_list


def _rules_in_force(
    organisation: Organisation,
) -> list[tuple[AllocationRule, AllocationRuleVersion]]:
    """Each rule in force with its newest version: two queries."""
    rules = (
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
    return [(rule, rule.versions_newest_first[0]) for rule in rules if rule.versions_newest_first]


def paper_pack_first72(organisation: Organisation, crisis: Crisis | None, exercise: bool) -> str:
    """Whole <section>s for the paper pack (rendered in Dutch by meetings/pdf.py), or "" when
    the organisation has no points, locations or rules in force. Every value is escaped."""
    paper = paper_list(organisation=organisation)
    rules = _rules_in_force(organisation)
    if not paper["points"] and not paper["districts"] and not rules:
        return ""
    return render_to_string(
        "resilience/first72/pdf/paper_pack_sections.html",
        {"organisation": organisation, "crisis": crisis, "exercise": exercise, "rules": rules}
        | paper,
    )
