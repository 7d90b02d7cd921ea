"""Team-kind aware wording: a CMT's pages and paper never speak of the mayor.

``{% if crisis|is_cmt %}…{% else %}…{% endif %}`` (also takes an organisation or a team kind).
"""

from django import template

from formats.teams import is_cmt as _is_cmt

register = template.Library()


@register.filter
def is_cmt(subject) -> bool:
    return _is_cmt(subject)
