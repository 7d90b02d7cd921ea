from django import template

from formats.selectors import analyses_shared_with

register = template.Library()


@register.inclusion_tag("formats/_shared_with_me.html", takes_context=True)
def shared_analyses(context) -> dict:
    """The analyses shared with the current user, for their "Mijn crises" page.

    A template tag, so the core app's view needs to know nothing of formats.
    """
    user = context["request"].user
    return {"shares": list(analyses_shared_with(user=user)) if user.is_authenticated else []}
