"""The cold phase on a person's home page ("Mijn crises"). A template tag, so the core app's
view knows nothing of the cold phase: crisis_list.html loads this library and calls the tag."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from crisisroom.models import Organisation
from crisisroom.selectors import organisations_administered_by

from .. import selectors
from ..models import DecisionItem, PriorityDecision

register = template.Library()

TOP_PRIORITIES = 3


@dataclass
class ProgrammeCard:
    organisation: Organisation
    state: selectors.ProgrammeState
    decision: PriorityDecision | None

    @property
    def top_priorities(self) -> list[DecisionItem]:
        return list(self.decision.items.all())[:TOP_PRIORITIES] if self.decision else []


def _cold_phase_organisations(user: User) -> QuerySet[Organisation]:
    """Where the person reads the cold phase: a cold-phase role, or administration. One query."""
    administered = organisations_administered_by(user=user).values("pk")
    return (
        Organisation.objects.filter(Q(pk__in=administered) | Q(resilience_roles__user=user))
        .distinct()
        .order_by("name")
    )


@register.inclusion_tag("resilience/_home_panel.html", takes_context=True)
def cold_phase_panel(context: template.Context) -> dict[str, Any]:
    """The person's open measures as owner, and per organisation whose cold phase they read,
    the programme's state and the decided priorities. A few queries per organisation."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"measures": [], "programmes": []}
    today = timezone.localdate()
    programmes = [
        ProgrammeCard(
            organisation=organisation,
            state=selectors.programme_state(organisation=organisation, today=today),
            decision=selectors.decision_current(organisation=organisation),
        )
        for organisation in _cold_phase_organisations(user)
    ]
    return {
        "measures": list(selectors.measures_for_owner(user=user)),
        "programmes": programmes,
        "today": today,
    }
