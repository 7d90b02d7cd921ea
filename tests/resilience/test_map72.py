"""The map of the first 72 hours and its printable list: who may open them, what the map's data
holds (in a fixed number of queries), the page's own Content Security Policy for the tiles, the
filters through the server, escaping, and the printable list (the paper pack's sections, from
the same selector, are tests/resilience/test_paper72.py).

The registers' forms are another module's; these tests create the rows directly."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import json_script

from crisisroom.middleware import SecurityHeadersMiddleware
from resilience import selectors
from resilience.models import (
    District,
    EmergencyPoint,
    GroupCount,
    PointStatus,
    VulnerableGroup,
    VulnerableLocation,
)
from resilience.templatetags.first72_map import map_json
from resilience.views.first72_map import map_context, map_policy, tiles_origin

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.10, 52.10], [5.20, 52.10], [5.20, 52.20], [5.10, 52.20], [5.10, 52.10]]],
}


def english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _url(name: str, cold) -> str:
    return reverse(name, args=[cold.organisation.pk])


def _district(org, code: str = "WK034401", name: str = "Centrum", outline=SQUARE) -> District:
    return District.objects.create(
        organisation=org, code=code, name=name, level=District.Level.WIJK, outline=outline
    )


def _point(org, name: str, *, status: str = "gesloten", kind: str = "gemeenschapshuis", **kw):
    fields = {
        "address": "Dorpsstraat 1, Aadorp",
        "latitude": 52.15,
        "longitude": 5.15,
        "capacity": 120,
        "key_holder": "beheerder buurthuis, 06-12345678",
        "services": ["water", "opladen"],
    }
    fields.update(kw)
    return EmergencyPoint.objects.create(
        organisation=org, name=name, kind=kind, status=status, **fields
    )


def _location(org, name: str, *, kind: str = "zorginstelling", **kw) -> VulnerableLocation:
    fields = {"latitude": 52.16, "longitude": 5.16, "people": 80, "dependencies": ["stroom"]}
    fields.update(kw)
    return VulnerableLocation.objects.create(organisation=org, name=name, kind=kind, **fields)


@pytest.fixture
def scene(cold):
    """A district with an outline and 35 people in vulnerable groups, two noodsteunpunten (one
    open, one closed), a care home on power, a school without coordinates, and a counted
    cluster of home dialysis in the district."""
    org = cold.organisation
    centrum = _district(org)
    _district(org, code="WK034402", name="Noord", outline=None)
    for name, count in (("Ouderen 75+", 30), ("Zuurstof thuis", 5)):
        group = VulnerableGroup.objects.create(organisation=org, name=name)
        GroupCount.objects.create(
            group=group, district=centrum, count=count, source="CBS", as_of=date(2026, 1, 1)
        )
    _point(org, "Buurthuis De Linde", status="open", district=centrum, power_hours=48)
    _point(org, "Brandweerkazerne Oost", status="gesloten", kind="brandweerkazerne")
    _location(org, "Verpleeghuis Zonnehof", district=centrum, dependencies=["stroom", "zorg"])
    _location(
        org, "Basisschool Het Anker", kind="school", latitude=None, longitude=None, dependencies=[]
    )
    _location(
        org, "Thuisdialyse Centrum", kind="thuisdialyse", latitude=None, longitude=None,
        district=centrum, people=4, dependencies=["stroom"],
    )  # fmt: skip
    return cold


# -- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["first72_map", "first72_print"])
@pytest.mark.parametrize("persona", ["aov", "mayor", "org_admin"])
def test_everyone_with_a_role_in_the_cold_phase_opens_the_map_and_the_list(
    scene, login, name, persona
):
    assert login(getattr(scene, persona)).get(_url(name, scene)).status_code == 200


@pytest.mark.parametrize("name", ["first72_map", "first72_print"])
@pytest.mark.parametrize("persona", ["owner", "member", "outsider"])
def test_the_map_does_not_exist_for_people_without_a_role(scene, login, name, persona):
    assert login(getattr(scene, persona)).get(_url(name, scene)).status_code == 404


@pytest.mark.parametrize("name", ["first72_map", "first72_print"])
def test_anonymous_visitors_are_sent_to_log_in(scene, name):
    response = Client().get(_url(name, scene))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_map_is_read_only(scene, login):
    assert login(scene.aov).post(_url("first72_map", scene)).status_code == 405


# -- the selector ------------------------------------------------------------------------------


def test_the_map_data_holds_points_locations_districts_and_clusters_as_counts(scene):
    data = selectors.map_data(organisation=scene.organisation)
    points = {p["name"]: p for p in data["points"]}
    assert set(points) == {"Buurthuis De Linde", "Brandweerkazerne Oost"}
    assert points["Buurthuis De Linde"]["status"] == "open"
    assert points["Buurthuis De Linde"]["district"] == "Centrum"
    assert points["Buurthuis De Linde"]["lat"] == 52.15

    locations = {loc["name"]: loc for loc in data["locations"]}
    # The cluster is no point on the map: it is counted in its district.
    assert set(locations) == {"Verpleeghuis Zonnehof", "Basisschool Het Anker"}
    assert locations["Verpleeghuis Zonnehof"]["dependencies"] == ["stroom", "zorg"]
    assert locations["Basisschool Het Anker"]["lat"] is None
    assert locations["Basisschool Het Anker"]["dependencies"] == ["geen"]

    districts = {d["code"]: d for d in data["districts"]}
    centrum = districts["WK034401"]
    assert centrum["outline"]["type"] == "Polygon"
    assert centrum["people_in_groups"] == 35
    assert centrum["locations"] == 1
    assert [(c["kind"], c["clusters"], c["people"]) for c in centrum["clusters"]] == [
        ("thuisdialyse", 1, 4)
    ]
    assert districts["WK034402"]["outline"] is None
    assert districts["WK034402"]["people_in_groups"] == 0


def test_the_map_data_leaves_out_what_is_no_longer_in_use_and_other_organisations(scene, world):
    org = scene.organisation
    _point(org, "Oude gymzaal", is_active=False)
    _point(world.org_b, "Buurthuis elders")
    names = {p["name"] for p in selectors.map_data(organisation=org)["points"]}
    assert names == {"Buurthuis De Linde", "Brandweerkazerne Oost"}


def test_the_map_data_of_an_affected_area_holds_only_its_districts(scene):
    centrum = District.objects.get(code="WK034401")
    data = selectors.map_data(organisation=scene.organisation, district_ids=[centrum.pk])
    assert [d["code"] for d in data["districts"]] == ["WK034401"]
    assert [p["name"] for p in data["points"]] == ["Buurthuis De Linde"]
    assert [loc["name"] for loc in data["locations"]] == ["Verpleeghuis Zonnehof"]


def test_an_outline_that_is_not_a_polygon_is_not_drawn(cold):
    _district(cold.organisation, outline={"type": "Point", "coordinates": [5.1, 52.1]})
    _district(cold.organisation, code="WK034403", outline={"type": "Feature", "geometry": SQUARE})
    outlines = [
        d["outline"] for d in selectors.map_data(organisation=cold.organisation)["districts"]
    ]
    assert outlines == [None, SQUARE]


def _fill(org, n: int, prefix: str) -> None:
    district = _district(org, code=f"WK{n:06d}", name=f"Wijk {prefix}")
    group, _created = VulnerableGroup.objects.get_or_create(organisation=org, name="Ouderen")
    GroupCount.objects.create(
        group=group, district=district, count=n, source="CBS", as_of=date(2026, 1, 1)
    )
    for i in range(n):
        _point(org, f"{prefix} punt {i}", district=district)
        _location(org, f"{prefix} locatie {i}", district=district)
        _location(org, f"{prefix} cluster {i}", kind="zuurstof", latitude=None, longitude=None,
                  district=district)  # fmt: skip


def test_the_map_data_takes_as_many_queries_for_50_points_as_for_5(cold, world):
    _fill(cold.organisation, 5, "klein")
    with CaptureQueriesContext(connection) as few:
        small = selectors.map_data(organisation=cold.organisation)
    _fill(world.org_b, 50, "groot")
    with CaptureQueriesContext(connection) as many:
        large = selectors.map_data(organisation=world.org_b)
    assert len(small["points"]) == 5 and len(large["points"]) == 50
    assert len(large["locations"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_a_whole_municipality_is_still_six_queries(cold):
    org = cold.organisation
    districts = District.objects.bulk_create(
        District(organisation=org, code=f"BU{i:08d}", name=f"Buurt {i}", level="buurt",
                 outline=SQUARE)
        for i in range(200)
    )  # fmt: skip
    VulnerableLocation.objects.bulk_create(
        VulnerableLocation(organisation=org, name=f"Locatie {i}", kind="school", latitude=52.1,
                           longitude=5.1, district=districts[i % 200], dependencies=["stroom"])
        for i in range(500)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        data = selectors.map_data(organisation=org)
    assert len(queries.captured_queries) <= 6
    assert len(data["locations"]) == 500
    assert sum(1 for d in data["districts"] if d["outline"]) == 200


def test_the_map_page_takes_as_many_queries_for_50_points_as_for_5(cold, login, world):
    client = login(cold.aov)
    client.get(_url("first72_map", cold))  # the first request fills per-process caches
    _fill(cold.organisation, 5, "klein")
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url("first72_map", cold)).status_code == 200
    _fill(cold.organisation, 50, "groot")
    with CaptureQueriesContext(connection) as many:
        page = client.get(_url("first72_map", cold)).content.decode()
    assert len(_page_data(page)["points"]) == 55
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_exercise_shows_its_own_statuses_and_keeps_the_real_ones_of_the_rest(scene):
    linde = EmergencyPoint.objects.get(name="Buurthuis De Linde")
    oost = EmergencyPoint.objects.get(name="Brandweerkazerne Oost")
    data = selectors.map_data(organisation=scene.organisation, status_overrides={oost.pk: "vol"})
    points = {p["id"]: p for p in data["points"]}
    assert points[oost.pk]["status"] == "vol"
    assert points[oost.pk]["status_label"] == str(PointStatus.VOL.label)
    assert points[linde.pk]["status"] == "open"  # not in the exercise: its real status
    oost.refresh_from_db()
    assert oost.status == "gesloten"  # the real status is untouched
    context = map_context(organisation=scene.organisation, status_overrides={linde.pk: "vol"})
    assert {p["name"]: p["status"] for p in context["points"]} == {
        "Buurthuis De Linde": "vol",
        "Brandweerkazerne Oost": "gesloten",
    }


def test_coordinates_are_rounded_to_about_a_metre_and_a_broken_outline_is_not_drawn(cold):
    fine = {
        "type": "MultiPolygon",
        "coordinates": [[[[5.123456789, 52.987654321], [5.2, 52.1, 3.5], [5.1, 52.2]]]],
    }
    _district(cold.organisation, code="WK034401", outline=fine)
    _district(
        cold.organisation, code="WK034402",
        outline={"type": "Polygon", "coordinates": [[["a", "b"], [5.1, 52.1]]]},
    )  # fmt: skip
    _district(
        cold.organisation, code="WK034403",
        outline={"type": "Polygon", "coordinates": [[[5.1]]]},
    )  # fmt: skip
    _point(cold.organisation, "Punt", latitude=52.1234567, longitude=5.1234549)
    data = selectors.map_data(organisation=cold.organisation)
    outlines = [d["outline"] for d in data["districts"]]
    assert outlines[0] == {
        "type": "MultiPolygon",
        "coordinates": [[[[5.12346, 52.98765], [5.2, 52.1], [5.1, 52.2]]]],
    }
    assert outlines[1:] == [None, None]
    assert (data["points"][0]["lat"], data["points"][0]["lon"]) == (52.12346, 5.12345)


# -- the page ----------------------------------------------------------------------------------


def test_the_page_allows_exactly_the_tile_services_origin_for_images(scene, login, settings):
    settings.CRISISROOM_MAP_TILES_URL = (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    response = login(scene.aov).get(_url("first72_map", scene))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["img-src"] == "'self' data: https://service.pdok.nl"
    assert "*" not in policy
    # Everything else is the site's policy, unchanged.
    site = dict(d.strip().split(" ", 1) for d in SecurityHeadersMiddleware.POLICY.split(";"))
    assert {k: v for k, v in directives.items() if k != "img-src"} == {
        k: v for k, v in site.items() if k != "img-src"
    }


def test_without_a_tile_service_the_page_keeps_the_site_policy(scene, login, settings):
    settings.CRISISROOM_MAP_TILES_URL = ""
    response = login(scene.aov).get(_url("first72_map", scene))
    assert response["Content-Security-Policy"] == SecurityHeadersMiddleware.POLICY
    data = _page_data(response.content.decode())
    assert data["tiles"]["url"] == ""


def test_the_tile_origin_keeps_its_port():
    assert tiles_origin("http://127.0.0.1:9/{z}/{x}/{y}.png") == "http://127.0.0.1:9"
    assert "img-src 'self' data: http://127.0.0.1:9;" in map_policy(
        "http://127.0.0.1:9/{z}/{x}/{y}.png"
    )


def test_other_pages_keep_the_site_policy(scene, login):
    response = login(scene.aov).get(_url("first72_print", scene))
    assert response["Content-Security-Policy"] == SecurityHeadersMiddleware.POLICY


def _page_data(page: str) -> dict:
    match = re.search(
        r'<script id="first72-map-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, "the map's data is not on the page"
    return json.loads(match.group(1))


def test_the_page_hands_the_map_its_data_and_lists_everything_in_words(scene, login):
    page = english(login(scene.mayor)).get(_url("first72_map", scene)).content.decode()
    data = _page_data(page)
    assert {p["name"] for p in data["points"]} == {"Buurthuis De Linde", "Brandweerkazerne Oost"}
    assert data["tiles"]["url"] == "http://127.0.0.1:9/{z}/{x}/{y}.png"
    assert data["text"]["offline"] == (
        "The background map is not available: points and district boundaries are shown on a "
        "plain background."
    )
    # The map: a named region the keyboard can skip, the script from our own origin.
    assert 'data-first72-map data-map-data="first72-map-data"' in page
    assert 'role="region" aria-label="Map of the emergency support points' in page
    assert 'href="#first72-map-after"' in page
    assert "vendor/leaflet/leaflet.js" in page and "vendor/leaflet/leaflet.css" in page
    assert "js/first72-map.js" in page
    # The tables: status and dependencies in words.
    points_table = page.split('data-testid="map-points"')[1].split("</table>")[0]
    assert "Buurthuis De Linde" in points_table and "open" in points_table
    assert "closed" in points_table
    locations_table = page.split('data-testid="map-locations"')[1].split("</table>")[0]
    assert "Verpleeghuis Zonnehof" in locations_table and "power, care" in locations_table
    assert "no coordinates recorded" in locations_table
    assert "Thuisdialyse Centrum" not in page  # a cluster is a count, not a name on the map
    districts_table = page.split('data-testid="map-districts"')[1].split("</table>")[0]
    assert "35" in districts_table and "1 cluster" in districts_table


def _shown_rows(page: str, attribute: str) -> dict[str, bool]:
    rows = re.findall(rf"<tr {attribute}=\"(\d+)\"[^>]*?( hidden)?>", page)
    return {pk: not hidden for pk, hidden in rows}


def test_the_filters_work_through_the_server_for_a_shared_link(scene, login):
    client = english(login(scene.aov))
    linde = EmergencyPoint.objects.get(name="Buurthuis De Linde")
    oost = EmergencyPoint.objects.get(name="Brandweerkazerne Oost")
    zonnehof = VulnerableLocation.objects.get(name="Verpleeghuis Zonnehof")
    anker = VulnerableLocation.objects.get(name="Basisschool Het Anker")

    everything = client.get(_url("first72_map", scene)).content.decode()
    assert all(_shown_rows(everything, "data-f72-point").values())
    assert all(_shown_rows(everything, "data-f72-location").values())

    url = _url("first72_map", scene) + (
        "?filter=1&kind=gemeenschapshuis&kind=brandweerkazerne&status=open&dependency=stroom"
    )
    page = client.get(url).content.decode()
    points = _shown_rows(page, "data-f72-point")
    assert points == {str(linde.pk): True, str(oost.pk): False}
    locations = _shown_rows(page, "data-f72-location")
    assert locations == {str(zonnehof.pk): True, str(anker.pk): False}
    assert 'id="f72-status-open" name="status" value="open" checked' in page
    assert 'id="f72-status-gesloten" name="status" value="gesloten">' in page
    assert "Shown: 1 of 2 emergency support points, 1 of 2 vulnerable locations." in page


def test_a_filter_value_that_does_not_exist_is_ignored(scene, login):
    page = login(scene.aov).get(_url("first72_map", scene) + "?filter=1&status=<b>").content
    assert b"<b>" not in page
    assert not any(_shown_rows(page.decode(), "data-f72-point").values())


def test_a_script_in_a_name_stays_text_in_the_maps_data_and_the_tables(cold, login):
    evil = "<script>alert(1)</script>"
    district = _district(cold.organisation, name=evil)
    _point(cold.organisation, evil, district=district, key_holder=evil, opening_procedure=evil)
    _location(cold.organisation, "Zorg " + evil, district=district)
    client = login(cold.aov)
    page = client.get(_url("first72_map", cold)).content.decode()
    assert evil not in page
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _page_data(page)["points"][0]["name"] == evil
    printed = client.get(_url("first72_print", cold)).content.decode()
    assert evil not in printed and "&lt;script&gt;" in printed


def test_the_maps_json_is_escaped_exactly_as_json_script_does_it():
    data = {"name": "<script>alert('x') & </script>", "n": [1, 2.5, None]}
    text = map_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data
    django = json_script(data).removeprefix('<script type="application/json">')
    assert text == django.removesuffix("</script>").replace(", ", ",").replace(": ", ":")


# -- the printable list ------------------------------------------------------------------------


def test_the_printable_list_has_what_it_takes_to_open_a_point_and_locations_per_district(
    scene, login
):
    EmergencyPoint.objects.filter(name="Buurthuis De Linde").update(
        staff="Twee vrijwilligers van de buurtvereniging",
        opening_procedure="Sleutel ophalen, aggregaat starten, bord buiten zetten",
        water_hours=24,
    )
    page = english(login(scene.mayor)).get(_url("first72_print", scene)).content.decode()
    points = page.split('data-testid="paper-points"')[1].split("</section>")[0]
    for text in (
        "Buurthuis De Linde",
        "Dorpsstraat 1, Aadorp",
        "52.15000, 5.15000",
        "120 people",
        "drinking water, charging phones",
        "48 hours",
        "24 hours",
        "beheerder buurthuis, 06-12345678",
        "Twee vrijwilligers van de buurtvereniging",
        "Sleutel ophalen, aggregaat starten",
    ):
        assert text in points, text
    locations = page.split('data-testid="paper-locations"')[1].split("</section>")[0]
    centrum = locations.index("Centrum (WK034401)")
    without = locations.index("Without a district")
    assert centrum < locations.index("Verpleeghuis Zonnehof") < without
    assert without < locations.index("Basisschool Het Anker")
    assert "35 people in vulnerable groups" in locations
    # A cluster is a count of people at home: its kind and numbers, not its name.
    assert "home dialysis (counted cluster): 1 cluster, 4 people" in locations
    assert "Thuisdialyse Centrum" not in page
    # For paper: no navigation when printed, a page break between the sections.
    assert "css/resilience-map.css" in page
    assert page.count('class="f72-print-section') == 2
