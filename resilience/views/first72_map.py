"""The map of the first 72 hours and its printable list.

The map is a visual aid: the same points and locations stand in tables below it, in words. Its
filters work in the browser and as GET parameters, so a filtered view can be shared as a link
and works without JavaScript. Background tiles come from the configured tile service; the page
allows that one origin in its img-src, nothing wider.
"""

import html
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from crisisroom.http import AuthenticatedRequest
from crisisroom.middleware import SecurityHeadersMiddleware
from crisisroom.models import Organisation

from .. import selectors
from ..access import resilience_for_user
from ..models import Dependency, PointKind, PointStatus
from ..selectors.map72 import NO_DEPENDENCY

# GET parameters of the filters. ``filter`` says the form was sent: then an absent list means
# nothing of that group is chosen, while a plain URL shows everything.
FILTERED = "filter"
KIND, STATUS, DEPENDENCY = "kind", "status", "dependency"


def tiles_origin(url: str) -> str:
    """The origin (scheme://host[:port]) of a tile URL template, or "" for no tiles."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def map_policy(tiles_url: str) -> str:
    """The site's Content Security Policy with the tile service's origin added to img-src."""
    origin = tiles_origin(tiles_url)
    directives = [d.strip() for d in SecurityHeadersMiddleware.POLICY.split(";")]
    if origin:
        directives = [f"{d} {origin}" if d.startswith("img-src ") else d for d in directives]
    return "; ".join(directives)


def allow_map_tiles(response: HttpResponse) -> HttpResponse:
    """Let a page that shows the map (this one, a crisis's affected area) load its tiles."""
    response["Content-Security-Policy"] = map_policy(settings.CRISISROOM_MAP_TILES_URL)
    return response


def map_context(
    *,
    organisation: Organisation,
    district_ids: list[int] | None = None,
    status_overrides: dict[int, str] | None = None,
) -> dict:
    """The data for templates/resilience/first72/_map.html: points, locations, districts, the
    words for the script and the background tiles. ``status_overrides`` (point pk → status):
    an exercise's own statuses, see selectors.map_data."""
    data = selectors.map_data(
        organisation=organisation, district_ids=district_ids, status_overrides=status_overrides
    )
    data["tiles"] = {
        "url": settings.CRISISROOM_MAP_TILES_URL,
        "attribution": settings.CRISISROOM_MAP_TILES_ATTRIBUTION,
    }
    return data


# The three tables under the map have a row per point, location and district: hundreds in a
# municipality, most of the page's time when the template engine drew them cell by cell. So
# the rows are built here: every value goes through html.escape (quotes too, as Django's
# escape does) before it is put in a fixed row template, and only that result is marked safe.
POINT_ROW = (
    '<tr data-f72-point="{}" data-kind="{}" data-status="{}"{}><th scope="row">{}</th>'
    '<td class="f72-status-cell"><span class="f72-swatch f72-status-{}" aria-hidden="true">'
    "</span>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    '<td class="register-number">{}</td><td>{}</td></tr>'
)
LOCATION_ROW = (
    '<tr data-f72-location="{}" data-dependencies="{}"{}><th scope="row">{}</th><td>{}</td>'
    '<td>{}</td><td class="register-number">{}</td><td>{}</td><td>{}</td></tr>'
)
DISTRICT_ROW = (
    '<tr><th scope="row">{} <span class="help">({})</span></th>'
    '<td class="register-number">{}</td><td class="register-number">{}</td>'
    "<td>{}</td><td>{}</td></tr>"
)
CLUSTER_LINE = '<span class="f72-line">{}</span>'
HIDDEN = " hidden"
NONE = "—"


def _e(value: object) -> str:
    return html.escape(str(value))


def _rows(template: str, rows: Iterable[Iterable[object]]) -> SafeString:
    """``template`` filled with the escaped values of each row, the rows one per line."""
    lines = "\n".join(template.format(*map(_e, values)) for values in rows)
    return mark_safe(lines)  # noqa: S308 - escaped values in constant markup  # nosec B308 B703


def _people(count: int) -> str:
    return ngettext("%(people)s person", "%(people)s people", count) % {"people": count}


def _clusters(clusters: list[dict]) -> SafeString:
    """A district's counted clusters, one line per kind: kind, number of clusters, people."""
    return _rows(
        CLUSTER_LINE,
        (
            (
                ngettext(
                    "%(label)s: %(clusters)s cluster",
                    "%(label)s: %(clusters)s clusters",
                    c["clusters"],
                )
                % {"label": c["label"], "clusters": c["clusters"]}
                + ngettext(", %(people)s person", ", %(people)s people", c["people"])
                % {"people": c["people"]},
            )
            for c in clusters
        ),
    )


def point_rows_html(rows: list[tuple[dict, bool]]) -> SafeString:
    """The rows of the points' table: (point, shown), the point as map_data gives it."""
    return _rows(
        POINT_ROW,
        (
            (
                p["id"],
                p["kind"],
                p["status"],
                "" if shown else HIDDEN,
                p["name"],
                p["status"],
                p["status_label"],
                p["kind_label"],
                p["address"],
                p["district"] or NONE,
                _people(p["capacity"]),
                ", ".join(p["services"]) or NONE,
            )
            for p, shown in rows
        ),
    )


def location_rows_html(rows: list[tuple[dict, bool]]) -> SafeString:
    """The rows of the vulnerable locations' table: (location, shown)."""
    no_dependency = _("no dependency recorded")
    yes, no_place = _("yes"), _("no: no coordinates recorded")
    return _rows(
        LOCATION_ROW,
        (
            (
                loc["id"],
                " ".join(loc["dependencies"]),
                "" if shown else HIDDEN,
                loc["name"],
                loc["kind_label"],
                loc["district"] or NONE,
                NONE if loc["people"] is None else loc["people"],
                ", ".join(loc["dependency_labels"]) or no_dependency,
                yes if loc["lat"] is not None else no_place,
            )
            for loc, shown in rows
        ),
    )


def district_rows_html(districts: list[dict]) -> SafeString:
    """The rows of the districts' table; the clusters cell is markup of escaped values."""
    yes, no_outline = _("yes"), _("no outline recorded")
    lines = "\n".join(
        DISTRICT_ROW.format(
            _e(d["name"]),
            _e(d["code"]),
            _e(d["people_in_groups"]),
            _e(d["locations"]),
            _clusters(d["clusters"]) if d["clusters"] else NONE,
            _e(yes if d["outline"] else no_outline),
        )
        for d in districts
    )
    return mark_safe(lines)  # noqa: S308 - escaped values in constant markup  # nosec B308 B703


def _chosen(query: QueryDict, name: str, allowed: list[str]) -> set[str]:
    if FILTERED not in query:
        return set(allowed)
    return {value for value in query.getlist(name) if value in allowed}


def _options(choices: list[tuple[str, str]], chosen: set[str]) -> list[dict]:
    return [
        {"value": value, "label": label, "checked": value in chosen} for value, label in choices
    ]


@require_GET
@login_required
def first72_map(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    organisation = access.organisation
    data = map_context(organisation=organisation)

    present_kinds = {p["kind"] for p in data["points"]}
    kinds = [(v, str(label)) for v, label in PointKind.choices if v in present_kinds]
    statuses = [(v, str(label)) for v, label in PointStatus.choices]
    dependencies = [(v, str(label)) for v, label in Dependency.choices] + [
        (NO_DEPENDENCY, _("no dependency recorded"))
    ]
    chosen_kinds = _chosen(request.GET, KIND, [v for v, _label in kinds])
    chosen_statuses = _chosen(request.GET, STATUS, [v for v, _label in statuses])
    chosen_dependencies = _chosen(request.GET, DEPENDENCY, [v for v, _label in dependencies])

    point_rows = [
        (point, point["kind"] in chosen_kinds and point["status"] in chosen_statuses)
        for point in data["points"]
    ]
    location_rows = [
        (location, bool(chosen_dependencies.intersection(location["dependencies"])))
        for location in data["locations"]
    ]
    points_shown = sum(1 for _point, shown in point_rows if shown)
    locations_shown = sum(1 for _location, shown in location_rows if shown)
    response = render(
        request,
        "resilience/first72/map.html",
        {
            "access": access,
            "organisation": organisation,
            "map_data": data,
            "filters": [
                (KIND, _("Kind of emergency support point"), _options(kinds, chosen_kinds)),
                (
                    STATUS,
                    _("Status of emergency support point"),
                    _options(statuses, chosen_statuses),
                ),
                (
                    DEPENDENCY,
                    _("Vulnerable locations that depend on"),
                    _options(dependencies, chosen_dependencies),
                ),
            ],
            "point_rows": point_rows_html(point_rows) if point_rows else "",
            "location_rows": location_rows_html(location_rows) if location_rows else "",
            "district_rows": district_rows_html(data["districts"]),
            "status_legend": statuses,
            "filter_count_text": data["text"]["filter_count"]
            % {
                "points": points_shown,
                "points_total": len(point_rows),
                "locations": locations_shown,
                "locations_total": len(location_rows),
            },
            "is_filtered": FILTERED in request.GET,
        },
    )
    return allow_map_tiles(response)


@require_GET
@login_required
def first72_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    organisation = access.organisation
    return render(
        request,
        "resilience/first72/print.html",
        {
            "access": access,
            "organisation": organisation,
            "printed_on": timezone.localtime(),
            **selectors.paper_list(organisation=organisation),
        },
    )
