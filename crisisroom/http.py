"""Request types for views: what the middleware guarantees, said to the type checker."""

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request through our middleware: django-htmx has attached ``htmx``."""

    htmx: HtmxDetails
    user: User | AnonymousUser


class AuthenticatedRequest(HtmxHttpRequest):
    """A request behind ``login_required``: its user is a real account."""

    user: User
