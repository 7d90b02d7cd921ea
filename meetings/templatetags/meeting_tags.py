import uuid

from django import template

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
