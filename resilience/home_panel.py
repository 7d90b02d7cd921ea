"""The cold phase on a person's home page ("Mijn crises"): a panel registered with the core
(crisisroom.home) in ResilienceConfig.ready(), so the core's view knows nothing of it."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from crisisroom.models import Organisation
from crisisroom.selectors import organisations_administered_by

from . import selectors
from .models import DecisionItem, PriorityDecision

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


def cold_phase_home_panel(request: HttpRequest) -> SafeString:
    """Nothing at all for a person who owns no open measure and reads no cold phase."""
    user = request.user
    if not user.is_authenticated:
        return SafeString("")
    context = _panel_context(user)
    if not context["measures"] and not context["programmes"]:
        return SafeString("")
    return render_to_string("resilience/_home_panel.html", context, request=request)


def _panel_context(user: User) -> dict[str, Any]:
    """The person's open measures as owner, and per organisation whose cold phase they read,
    the programme's state and the decided priorities. A few queries per organisation."""
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
