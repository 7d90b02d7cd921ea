from django.http import HttpRequest
from django.utils.safestring import SafeString


def exercises_home_panel(request: HttpRequest) -> SafeString:
    return SafeString("")
