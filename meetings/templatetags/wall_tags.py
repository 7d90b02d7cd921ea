from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def wall_when(value: datetime | None) -> str:
    """A moment as the wall shows it: "14:00" today, "29 nov. 14:00" on any other day.

    The month is abbreviated with a dot where it is shortened ("nov.", but "mei"), from
    Django's own month names, so it follows the language of the screen.
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    time = date_format(local, "H:i")
    if local.date() == timezone.localdate():
        return time
    month = date_format(local, "b")
    if month != date_format(local, "F").lower():
        month += "."
    return f"{local.day} {month} {time}"
