from .run import (
    addressee_of,
    exercise_clock_start,
    exercise_create,
    exercise_end,
    inject_release,
    injects_due,
    injects_release_due,
    observation_record,
    phases_reached,
    version_freeze,
)

__all__ = [
    "addressee_of",
    "exercise_clock_start",
    "exercise_create",
    "exercise_end",
    "inject_release",
    "injects_due",
    "injects_release_due",
    "observation_record",
    "phases_reached",
    "version_freeze",
]
