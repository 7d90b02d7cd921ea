"""Reads for the message desk and for who informs whom."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet

from crisisroom.models import Crisis

from ..models import (
    CrisisStakeholder,
    InformAction,
    Meeting,
    Message,
)

MESSAGES_PAGE = 50


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related(
        "routed_to", "recorded_by", "handled_by", "approved_by", "entry", "partner", "corrects"
    )


def messages_of(*, crisis: Crisis, show: str = "all", user: User | None = None) -> list[Message]:
    """The newest messages first; ``show`` "open" keeps those still to act on, "mine" those
    routed to ``user`` and still open."""
    messages = _messages().filter(crisis=crisis)
    if show in ("open", "mine"):
        messages = messages.filter(status__in=Message.OPEN_STATUSES)
    if show == "mine":
        messages = messages.filter(routed_to=user)
    return list(messages.order_by("-seq")[:MESSAGES_PAGE])


def messages_open_count(*, crisis: Crisis) -> int:
    return Message.objects.filter(crisis=crisis, status__in=Message.OPEN_STATUSES).count()


def message_by_seq(*, crisis: Crisis, seq: int) -> Message | None:
    return _messages().filter(crisis=crisis, seq=seq).first()


@dataclass(frozen=True)
class StakeholderRow:
    """A stakeholder of the crisis, when they were last informed, and whether that was before
    the last meeting (so the chair sees whom nobody has informed since)."""

    stakeholder: CrisisStakeholder
    last_informed: InformAction | None
    not_informed_since_last_meeting: bool


def informed_since(*, crisis: Crisis) -> datetime:
    """Since when "informed since the last meeting" counts: the end of the last held meeting,
    else the start of the crisis."""
    ended = (
        Meeting.objects.filter(crisis=crisis, ended_at__isnull=False)
        .order_by("-ended_at")
        .values_list("ended_at", flat=True)
        .first()
    )
    return ended or crisis.started_at


def stakeholders_of(*, crisis: Crisis) -> list[StakeholderRow]:
    """Every stakeholder of the crisis with their latest informing, in two queries."""
    stakeholders = list(
        CrisisStakeholder.objects.filter(crisis=crisis)
        .select_related("partner", "keeper")
        .order_by("partner__kind", "partner__name")
    )
    latest: dict[int, InformAction] = {}
    for action in (
        InformAction.objects.filter(crisis=crisis).select_related("by").order_by("at", "pk")
    ):
        latest[action.stakeholder_id] = action
    since = informed_since(crisis=crisis)
    return [
        StakeholderRow(
            stakeholder=s,
            last_informed=latest.get(s.pk),
            not_informed_since_last_meeting=s.pk not in latest or latest[s.pk].at < since,
        )
        for s in stakeholders
    ]


def informings_of(*, crisis: Crisis, limit: int = 100) -> list[InformAction]:
    return list(
        InformAction.objects.filter(crisis=crisis)
        .select_related("by", "stakeholder__partner")
        .order_by("-at", "-pk")[:limit]
    )
