"""What the apps above the core add to a person's home page ("Mijn crises").

The core's view knows none of them: each app registers a panel in its AppConfig.ready(), a
function from the request to ready HTML (empty when it has nothing for this person), and the
view renders them in order of registration.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

HomePanel = Callable[[HttpRequest], SafeString]

_home_panels: list[HomePanel] = []


def home_panel_register(panel: HomePanel) -> None:
    if panel not in _home_panels:
        _home_panels.append(panel)


def home_panels_render(request: HttpRequest) -> list[SafeString]:
    return [html for panel in _home_panels if (html := panel(request))]
