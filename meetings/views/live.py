"""Live updates: the poll every meeting screen makes, and the news a write sends at once."""

import asyncio
import json
import logging
from collections.abc import Callable

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from ..access import (
    LiveTokenExpired,
    MeetingAccess,
    live_crisis_of_token,
    live_revision_for_token,
    meeting_for_user,
)
from ..push import hub, listener
from .regions import carried_regions

logger = logging.getLogger(__name__)

LIVE_EVENT = "crisis-changed"
# A stream sends at least this often, so proxies and laptops keep the connection open.
HEARTBEAT_SECONDS = 15
# Reads that may fail in a row (the database restarting) before a stream gives up.
STREAM_READ_ATTEMPTS = 5
# What a new log entry can change on a meeting screen (an assignment is an entry too; the
# changes since the previous meeting count entries).
ENTRY_REGIONS = ("log", "assignments", "proposals", "changes")


def changed(response: HttpResponse, regions: tuple[str, ...] | None = None) -> HttpResponse:
    """Tell this screen at once that the crisis changed; other screens learn it from polling.

    With ``regions``, only those need a refresh; without, all of them.
    """
    return trigger_client_event(response, LIVE_EVENT, {"regions": list(regions)} if regions else {})


@require_GET
def live_poll(request: HttpRequest, token: str) -> HttpResponse:
    """Has anything changed since revision ``r``? One query, and no session lookup (the token
    is bound to the session cookie by a keyed hash).

    204 when nothing changed. Otherwise the poller itself is swapped for one with the new
    revision and the page is told to refresh its live regions, each through the normal access
    check. A holder who left the team, or a token older than a day's meeting, stops polling.
    """
    try:
        revision, other_revision = live_revision_for_token(token, request)
    except LiveTokenExpired:
        return HttpResponseStopPolling()
    try:
        seen = int(request.GET.get("r", "-1"))
    except ValueError:
        seen = -1
    if seen == revision:
        return HttpResponse(status=204)
    # Rendered without the request: no session, user or CSRF lookup for a poll.
    html = render_to_string(
        "meetings/_live_poller.html", {"live_url": request.path, "revision": revision}
    )
    # Only new entries since what this screen saw: only the regions that show entries.
    regions = regions_changed(seen, revision, other_revision)
    return changed(HttpResponse(html), tuple(regions) if regions else None)


def regions_changed(seen: int, revision: int, other_revision: int) -> list[str] | None:
    """Which regions a screen that saw ``seen`` must refresh: the entry regions after only new
    entries, otherwise all (None)."""
    return list(ENTRY_REGIONS) if 0 <= other_revision <= seen < revision else None


def _event(revision: int, regions: list[str] | None, html: dict[str, str] | None = None) -> str:
    data: dict = {"regions": regions} if regions else {}
    if html:
        data["html"] = html
    return f"id: {revision}\nevent: changed\ndata: {json.dumps(data)}\n\n"


Revisions = tuple[int, int]


@require_GET
def live_stream(request: HttpRequest, token: str) -> HttpResponseBase:
    """A member's meeting screen's Server-Sent Events stream (see ``event_stream``).

    A member who left the team, or a token used without its session, ends the stream.
    """
    try:
        crisis_pk = live_crisis_of_token(token)
    except LiveTokenExpired:
        return HttpResponse(status=204)

    def read() -> Revisions | None:
        try:
            return live_revision_for_token(token, request, session_alive=True)
        except LiveTokenExpired:
            return None

    number = request.GET.get("m", "")
    carry = _Carrier(request, crisis_pk, int(number)) if number.isdecimal() else None
    return event_stream(request, crisis_pk, read, carry)


class _Carrier:
    """The meeting screen's entry regions as this member's HTML, for an event to carry, so that
    after a new entry no screen at the table has to ask for them: each region is rendered once
    per (revision, rights) for all of them (regions.carried_regions).

    The member's rights are read when the stream opens and again after every change that is not
    an entry (a seat, the phase, the meeting's or the crisis's state all are); after only new
    entries they cannot have changed. Anything refused carries nothing: the screen then asks
    for its regions itself, through the normal check, and hears why.
    """

    def __init__(self, request: HttpRequest, crisis_pk: int, number: int):
        self.request, self.crisis_pk, self.number = request, crisis_pk, number
        self.access: MeetingAccess | None = None
        self.other_revision: int | None = None

    def __call__(self, regions: list[str], revision: int, other_revision: int) -> dict[str, str]:
        if self.access is None or other_revision != self.other_revision:
            try:
                self.access = meeting_for_user(self.request, self.crisis_pk, self.number)
            except (Http404, PermissionDenied):
                self.access = None
                return {}
            self.other_revision = other_revision
        return carried_regions(self.request, self.access, regions, revision, other_revision)


def event_stream(
    request: HttpRequest,
    crisis_pk: int,
    read: Callable[[], Revisions | None],
    carry: Callable[[list[str], int, int], dict[str, str]] | None = None,
) -> HttpResponseBase:
    """A screen's Server-Sent Events stream: "ready" at once, then one event per change of the
    crisis, named by its revision, with the regions to refresh; a "ping" at least every 15 s.

    ``read`` is the same check as the screen's poll (one query): the crisis's revisions, or None
    when the screen may no longer follow it, which ends the stream (event "ended"; the screen's
    poll then says why). It runs when the stream opens and again on every change, so rights
    hold on every message. With ``carry``, an event after only new entries carries the entry
    regions' HTML for this screen. A screen that reconnects sends the last id it saw (Last-Event-ID)
    and gets what it missed at once. Under an ASGI server the events are an asynchronous
    generator whose reads run on the process's shared threads; the view itself is a plain one
    (so a WSGI server never needs an event loop for it), and Django keeps the thread it ran on
    parked, idle, until the stream ends.
    """
    if not isinstance(request, ASGIRequest):
        # A stream needs an ASGI server (make run, production); under WSGI a screen polls.
        return HttpResponse(status=204)
    allowed = read() is not None
    # The request's own thread lives as long as the stream: it must not keep the connection
    # (from the pool) while the stream is open. Every later read borrows one and gives it back.
    connection.close()
    if not allowed:
        # 204 tells EventSource not to reconnect; the screen falls back to its poll, which
        # stops (or, on a wall, reloads) by itself.
        return HttpResponse(status=204)
    try:
        seen = int(request.headers.get("Last-Event-ID") or request.GET.get("r", "-1"))
    except ValueError:
        seen = -1

    def step(last: int) -> tuple[int, str] | None:
        """The revision now and the event for a screen that saw ``last`` ("" when nothing
        changed), or None when the screen may no longer follow. On any free thread of the
        process, not one per stream; the connection goes back to the pool (or, on SQLite, is
        closed) at once, so an idle stream holds none."""
        try:
            revisions = read()
            if revisions is None:
                return None
            revision, other = revisions
            if revision == last:
                return revision, ""
            regions = regions_changed(last, revision, other)
            html = carry(regions, revision, other) if carry and regions else {}
            return revision, _event(revision, regions, html)
        finally:
            if connection.vendor == "postgresql":
                connection.close()  # back to the pool; SQLite keeps its file open per thread

    async def events():
        listener.ensure()
        queue = hub.subscribe(crisis_pk)
        last = seen
        try:
            # "ready" at once: a screen that hears nothing is behind a proxy that holds events
            # back, and polls instead.
            yield "retry: 2000\nevent: ready\ndata: {}\n\n"
            failures = 0
            while True:
                try:
                    now = await sync_to_async(step, thread_sensitive=False)(last)
                except Exception:  # noqa: BLE001 - the database away a moment: try again
                    failures += 1
                    logger.warning("live stream could not read; retrying", exc_info=True)
                    if failures >= STREAM_READ_ATTEMPTS:
                        return  # the screen reconnects, and meanwhile polls
                    await asyncio.sleep(failures)
                    continue
                failures = 0
                if now is None:
                    yield "event: ended\ndata: {}\n\n"
                    return
                last, event = now
                if event:
                    yield event
                try:
                    await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield "event: ping\ndata: {}\n\n"
                while not queue.empty():  # a burst of writes: one read, one event
                    queue.get_nowait()
        finally:
            hub.unsubscribe(crisis_pk, queue)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
