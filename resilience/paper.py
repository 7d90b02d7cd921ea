"""The first 72 hours on paper: the sections this app adds to the organisation's paper pack
(meetings/pdf.py, registered in apps.py). The noodsteunpunten with everything needed to open
one, the vulnerable locations per district (clusters only as kind and numbers), and the
allocation rules in force at their current version. The printable list (views/first72_map.py,
first72_print) shows the same points and locations from the same selector, paper_list."""

from django.template.loader import render_to_string

from crisisroom.models import Crisis, Organisation

from .selectors import paper_list, rules_current


def paper_pack_first72(organisation: Organisation, crisis: Crisis | None, exercise: bool) -> str:
    """Whole <section>s for the paper pack (rendered in Dutch by meetings/pdf.py), or "" when
    the organisation has no points, locations or rules in force. Every value is escaped."""
    paper = paper_list(organisation=organisation)
    rules = rules_current(organisation=organisation)
    if not paper["points"] and not paper["districts"] and not rules:
        return ""
    return render_to_string(
        "resilience/first72/pdf/paper_pack_sections.html",
        {"organisation": organisation, "crisis": crisis, "exercise": exercise, "rules": rules}
        | paper,
    )
