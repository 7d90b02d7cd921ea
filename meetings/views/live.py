"""Live updates: the poll every meeting screen makes, and the news a write sends at once."""

import asyncio
import json
from collections.abc import Callable

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from ..access import LiveTokenExpired, live_crisis_of_token, live_revision_for_token
from ..push import hub, listener

LIVE_EVENT = "crisis-changed"
# A stream sends at least this often, so proxies and laptops keep the connection open.
HEARTBEAT_SECONDS = 15
# What a new log entry can change on a meeting screen (an assignment is an entry too).
ENTRY_REGIONS = ("log", "assignments", "proposals")


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


def _event(revision: int, regions: list[str] | None) -> str:
    data = json.dumps({"regions": regions} if regions else {})
    return f"id: {revision}\nevent: changed\ndata: {data}\n\n"


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
            return live_revision_for_token(token, request)
        except LiveTokenExpired:
            return None

    return event_stream(request, crisis_pk, read)


def event_stream(
    request: HttpRequest, crisis_pk: int, read: Callable[[], Revisions | None]
) -> HttpResponseBase:
    """A screen's Server-Sent Events stream: "ready" at once, then one event per change of the
    crisis, named by its revision, with the regions to refresh; a "ping" at least every 15 s.

    ``read`` is the same check as the screen's poll (one query): the crisis's revisions, or None
    when the screen may no longer follow it, which ends the stream (event "ended"; the screen's
    poll then says why). It runs when the stream opens and again on every change, so rights
    hold on every message. A screen that reconnects sends the last id it saw (Last-Event-ID)
    and gets what it missed at once. Under an ASGI server each stream costs an asyncio task,
    not a thread: the view itself is a plain one (so a WSGI server never needs an event loop
    for it), its events an asynchronous generator.
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

    def read_then_let_go() -> Revisions | None:
        # On any free thread of the process, not one per stream; the connection goes back to
        # the pool (or, on SQLite, is closed) at once, so an idle stream holds none.
        try:
            return read()
        finally:
            connection.close()

    async def events():
        listener.ensure()
        queue = hub.subscribe(crisis_pk)
        last = seen
        try:
            # "ready" at once: a screen that hears nothing is behind a proxy that holds events
            # back, and polls instead.
            yield "retry: 2000\nevent: ready\ndata: {}\n\n"
            while True:
                revisions = await sync_to_async(read_then_let_go, thread_sensitive=False)()
                if revisions is None:
                    yield "event: ended\ndata: {}\n\n"
                    return
                revision, other = revisions
                if revision != last:
                    yield _event(revision, regions_changed(last, revision, other))
                    last = revision
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
