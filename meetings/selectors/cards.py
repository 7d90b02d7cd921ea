"""Reads for the team's use of the cards: card versions, task ticks, personal logbooks."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from crisisroom.models import Crisis, Membership
from crisisroom.roles import Role
from crisisroom.text import display_name
from formats.models import CardSet
from formats.selectors import (
    cards_current,
)

from ..models import (
    Meeting,
    PersonalItem,
    TaskTick,
)


def crisis_card_set(*, crisis: Crisis) -> CardSet:
    """The cards this crisis works with: those of its latest meeting, else the current ones.

    An administrator's revision reaches a crisis with its next meeting, so ticks and the paper
    pack always match the version the team has in front of it.
    """
    latest = (
        Meeting.objects.filter(crisis=crisis)
        .exclude(card_set=None)
        .order_by("-number")
        .values_list("card_set", flat=True)
    ).first()
    if latest is not None:
        return CardSet.objects.get(pk=latest)
    return cards_current(organisation=crisis.organisation)


def task_progress(*, crisis: Crisis, card_set: CardSet) -> list[dict]:
    """Per role in the team: tasks ticked of tasks on the card, and who holds the role."""
    tasks = card_set.tasks
    ticked: dict[str, set[int]] = {}
    for role, number in TaskTick.objects.filter(crisis=crisis, card_set=card_set).values_list(
        "role", "number"
    ):
        ticked.setdefault(role, set()).add(number)
    seats: dict[str, list[str]] = {}
    for m in Membership.objects.filter(crisis=crisis, ended_at__isnull=True).select_related("user"):
        seats.setdefault(m.role, []).append(display_name(m.user))
    return [
        {
            "role": Role(role).label,
            "people": ", ".join(names),
            "done": len(ticked.get(role, set())),
            "total": len(tasks.get(role, [])),
        }
        for role, names in seats.items()
        if tasks.get(role)
    ]


def personal_items(*, crisis: Crisis, owner: User) -> QuerySet[PersonalItem]:
    return PersonalItem.objects.filter(crisis=crisis, owner=owner).order_by(
        "done_at", "-created_at"
    )


def task_ticks(*, crisis: Crisis, card_set: CardSet) -> QuerySet[TaskTick]:
    return TaskTick.objects.filter(crisis=crisis, card_set=card_set).select_related("user")
