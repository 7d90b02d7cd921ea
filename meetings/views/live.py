"""Live updates: the poll every meeting screen makes, and the news a write sends at once."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from ..access import LiveTokenExpired, live_revision_for_token

LIVE_EVENT = "crisis-changed"
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
    regions = ENTRY_REGIONS if 0 <= other_revision <= seen < revision else None
    return changed(HttpResponse(html), regions)
