"""The overview of an organisation's cold phase: where the programme stands, what was decided,
and what to do first when nothing is there yet."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from crisisroom.http import AuthenticatedRequest
from crisisroom.models import Partner

from .. import selectors
from ..access import resilience_for_user
from ..models import CriticalProcess, MeasureStatus


@require_GET
@login_required
def resilience_home(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    organisation = access.organisation
    today = timezone.localdate()
    rows = selectors.ranking(
        framework=selectors.framework_current(organisation=organisation),
        scenarios=selectors.scenarios_of(organisation=organisation),
    )
    scored = sum(1 for row in rows if row.is_complete)
    state = selectors.programme_state(organisation=organisation, today=today)
    decision = selectors.decision_current(organisation=organisation)
    processes = CriticalProcess.objects.filter(organisation=organisation).aggregate(
        total=Count("pk", distinct=True),
        unsecured=Count("pk", filter=Q(measures__isnull=True), distinct=True),
    )
    return render(
        request,
        "resilience/home.html",
        {
            "access": access,
            "organisation": organisation,
            "today": today,
            "state": state,
            "status_rows": [
                (label, state.by_status[value]) for value, label in MeasureStatus.choices
            ],
            "decision": decision,
            "review_overdue": decision is not None and decision.review_on < today,
            "scenario_count": len(rows),
            "scored_count": scored,
            "unscored_count": len(rows) - scored,
            "processes": processes,
            "partner_count": Partner.objects.filter(organisation=organisation).count(),
        },
    )
