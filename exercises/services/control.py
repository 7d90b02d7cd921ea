"""The exercise control's clockwork outside a screen: releasing what is due in every running
exercise, for a timer when no control screen is open."""

from datetime import datetime

from crisisroom.models import Crisis

from ..models import Exercise, InjectRelease
from .run import injects_release_due


def exercises_running() -> list[Exercise]:
    """Exercises whose clock runs, in crises still open."""
    return list(
        Exercise.objects.filter(
            clock_started_at__isnull=False,
            ended_at__isnull=True,
            crisis__status=Crisis.Status.ACTIVE,
        )
        .select_related("crisis", "scenario_version")
        .order_by("pk")
    )


def exercises_tick(*, now: datetime | None = None) -> list[InjectRelease]:
    """Release the injects due in every running exercise; each inject once, however often
    this runs beside the control screens (the release service locks the exercise)."""
    releases: list[InjectRelease] = []
    for exercise in exercises_running():
        releases.extend(injects_release_due(exercise=exercise, now=now))
    return releases
