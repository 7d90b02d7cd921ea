"""What the meetings app does when the core app's records change.

A seat that starts or ends, or a crisis that closes, changes who may follow the crisis and
what each screen shows (the team, the chair's attendance list, what may still be written): it
counts as a change of the crisis that is not an entry, so every open screen re-reads its rights
and refreshes every region, at once (the core app knows nothing of screens or streams).
"""

from crisisroom.models import Crisis

from .services._common import logbook_touch


def membership_saved(sender, instance, **kwargs) -> None:
    logbook_touch(crisis=Crisis(pk=instance.crisis_id))


def crisis_saved(sender, instance, created=False, **kwargs) -> None:
    if not created:
        logbook_touch(crisis=instance)
