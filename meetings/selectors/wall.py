"""Reads for the wall screen: what it shows (newest first, in pages) and the paired screens."""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db.models import QuerySet

from crisisroom.models import Crisis

from ..models import (
    Assignment,
    Entry,
    Meeting,
    WallPairing,
    WallPairingEvent,
    WallSettings,
)

# A page is what fits one column of the 16:9 wall (texts are clamped to two lines); the wall
# turns its pages by itself. Beyond the last page it says how many older ones it leaves out.
WALL_PAGE = 7
WALL_MAX_PAGES = 8

T = TypeVar("T")


@dataclass(frozen=True)
class WallList(Generic[T]):
    """A list for the wall, newest first: the pages it shows, and the honest total."""

    pages: list[list[T]]
    total: int
    newest: int = 0  # the newest item's log number: the wall goes to page 1 when it changes
    not_shown: int = field(init=False)

    def __post_init__(self) -> None:
        shown = sum(len(page) for page in self.pages)
        object.__setattr__(self, "not_shown", max(0, self.total - shown))


def _pages(rows: list[T]) -> list[list[T]]:
    return [rows[i : i + WALL_PAGE] for i in range(0, len(rows), WALL_PAGE)]


def wall_settings_for(*, crisis: Crisis) -> WallSettings:
    """The crisis's wall settings, or (unsaved) the defaults: a read never writes."""
    return WallSettings.objects.filter(crisis=crisis).first() or WallSettings(crisis=crisis)


def wall_meeting(*, crisis: Crisis) -> Meeting | None:
    """The meeting a paired wall shows: the running one, otherwise the latest."""
    return (
        Meeting.objects.select_related("card_set")
        .filter(crisis=crisis)
        .order_by("-status", "-number")  # "running" sorts after "closed"
        .first()
    )


def wall_decisions(*, crisis: Crisis) -> WallList[Entry]:
    decisions = Entry.objects.filter(crisis=crisis, kind=Entry.Kind.BESLUIT)
    rows = list(
        decisions.select_related("decided_by", "correction").order_by("-seq")[
            : WALL_PAGE * WALL_MAX_PAGES
        ]
    )
    # A corrected decision and its correction are one decision.
    total = decisions.filter(corrects__isnull=True).count()
    return WallList(_pages(rows), total, rows[0].seq if rows else 0)


def wall_assignments(*, crisis: Crisis) -> WallList[Assignment]:
    """Open assignments, the newest first: what the table just agreed is what it looks for."""
    open_rows = Assignment.objects.filter(crisis=crisis, status=Assignment.Status.OPEN)
    rows = list(
        open_rows.select_related("owner", "entry").order_by("-entry__seq")[
            : WALL_PAGE * WALL_MAX_PAGES
        ]
    )
    return WallList(_pages(rows), open_rows.count(), rows[0].entry.seq if rows else 0)


def wall_pairings(*, crisis: Crisis) -> QuerySet[WallPairing]:
    return (
        WallPairing.objects.filter(crisis=crisis)
        .select_related("crisis", "created_by", "revoked_by")
        .order_by("-created_at", "-pk")
    )


def wall_pairing_events(*, crisis: Crisis, limit: int = 50) -> list[WallPairingEvent]:
    return list(
        WallPairingEvent.objects.filter(crisis=crisis)
        .select_related("actor", "pairing")
        .order_by("-at", "-pk")[:limit]
    )
