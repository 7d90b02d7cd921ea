"""What the meetings app does when the core app's records change.

A seat that starts or ends, or a crisis that closes, changes who may follow the crisis and
what each screen shows (the team, the chair's attendance list, what may still be written): it
counts as a change of the crisis that is not an entry, so every open screen re-reads its rights
and refreshes every region, at once (the core app knows nothing of screens or streams).

The revision moves once the core app's transaction has committed, in a short transaction of its
own: those services lock the crisis row first, every write of the log locks the logbook first,
and taking the logbook inside theirs would let the two wait for each other.
"""

from django.db import transaction

from crisisroom.models import Crisis

from .services._common import logbook_touch


def _touch_after_commit(crisis_pk: int) -> None:
    def touch() -> None:
        with transaction.atomic():
            logbook_touch(crisis=Crisis(pk=crisis_pk))

    transaction.on_commit(touch)


def membership_saved(sender, instance, **kwargs) -> None:
    _touch_after_commit(instance.crisis_id)


def crisis_saved(sender, instance, created=False, **kwargs) -> None:
    if not created:
        _touch_after_commit(instance.pk)
