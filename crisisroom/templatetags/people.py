"""How people are named in templates. A builtin (settings TEMPLATES "builtins"): no {% load %}."""

from typing import Any

from django import template

from crisisroom import text

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """``{{ person|display_name }}``: full name, else the username; "" for no person (also for
    a variable the template could not resolve)."""
    return text.display_name(user) if user else ""
