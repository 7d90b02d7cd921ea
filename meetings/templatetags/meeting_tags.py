import uuid
from typing import Any

from django import template
from django.urls import Resolver404, resolve, reverse

from meetings.selectors import cycle_for

register = template.Library()


@register.simple_tag
def fresh_token() -> uuid.UUID:
    """A new idempotency token for a form rendered in a list (one per row)."""
    return uuid.uuid4()


@register.filter
def mmss(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("meetings/_cycle.html", takes_context=True)
def crisis_cycle(context: dict[str, Any]) -> dict[str, Any]:
    """The meeting cycle on a member's home page: the running or next meeting, when input is
    due and from whom, the viewer's own open assignments, and whether the newest analysis was
    read. A tag, so the core app's home view needs to know nothing of meetings."""
    crisis, request = context["crisis"], context["request"]
    return {
        "crisis": crisis,
        "role": context.get("role"),
        "cycle": cycle_for(crisis=crisis, user=request.user),
    }


STREAM_OF_POLL = {"live_poll": "live_stream", "wall_live": "wall_stream"}


@register.filter
def live_stream_url(live_url: str) -> str:
    """The push stream beside a screen's poll address (a member's ``/live/<token>/`` or a
    paired wall's ``/scherm/live/<token>/`` → its ``stroom/``); empty for any other."""
    try:
        match = resolve(live_url)
    except Resolver404:
        return ""
    stream = STREAM_OF_POLL.get(match.url_name or "")
    return reverse(stream, kwargs=match.kwargs) if stream else ""
