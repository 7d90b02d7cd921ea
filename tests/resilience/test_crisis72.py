"""The first 72 hours in a crisis: the affected area and what it holds, a noodsteunpunt's
status from the crisis, requests, allocation decisions citing the rule, the affected area into
the analysis; and the samenloop overview."""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crisisroom import services as crisis_services
from crisisroom.models import AuditEvent, Partner
from crisisroom.roles import TeamKind
from formats.models import Analysis
from meetings.models import Entry
from meetings.selectors import logbook_revision
from resilience import selectors, services
from resilience.models import (
    AffectedDistrict,
    AllocationDecision,
    AllocationRequest,
    AllocationRule,
    AllocationRuleVersion,
    District,
    EmergencyPoint,
    GroupCount,
    PointStatusChange,
    ScarceGood,
    Stock,
    VulnerableGroup,
    VulnerableLocation,
)

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


@dataclass
class Scene:
    wijk: District
    brink: District  # buurt in the wijk
    haven: District  # buurt in the wijk
    elsewhere: District  # of another organisation
    point: EmergencyPoint
    far_point: EmergencyPoint
    home: VulnerableLocation
    water: ScarceGood
    food: ScarceGood
    rule: AllocationRule
    v1: AllocationRuleVersion
    v2: AllocationRuleVersion


def _district(org, code, name, level="buurt"):
    return District.objects.create(organisation=org, code=code, name=name, level=level)


def _point(org, name, district, **fields):
    fields.setdefault("kind", "gemeenschapshuis")
    return EmergencyPoint.objects.create(
        organisation=org,
        name=name,
        address="Brinkweg 1",
        latitude=52.1,
        longitude=5.1,
        district=district,
        capacity=120,
        key_holder="beheerder buurthuis",
        **fields,
    )


@pytest.fixture
def scene(world) -> Scene:
    org = world.org_a
    wijk = _district(org, "WK012301", "Centrum", level="wijk")
    brink = _district(org, "BU01230101", "De Brink")
    haven = _district(org, "BU01230102", "Haven")
    elsewhere = _district(world.org_b, "BU09990101", "Ergens anders")
    point = _point(org, "Noodsteunpunt De Brink", brink)
    far_point = _point(org, "Brandweerkazerne Oost", None, kind="brandweerkazerne")
    partner = Partner.objects.create(organisation=org, name="Thuiszorg West", kind="zorg")
    home = VulnerableLocation.objects.create(
        organisation=org,
        name="Verpleeghuis Lindehof",
        kind="zorginstelling",
        district=brink,
        people=80,
        dependencies=["stroom", "zorg"],
        partner=partner,
    )
    VulnerableLocation.objects.create(
        organisation=org, name="Dialyse cluster", kind="thuisdialyse", district=brink, people=4
    )
    elderly = VulnerableGroup.objects.create(organisation=org, name="75-plussers alleen")
    GroupCount.objects.create(
        group=elderly, district=brink, count=300, source="CBS", as_of=date(2024, 1, 1)
    )
    GroupCount.objects.create(
        group=elderly, district=haven, count=120, source="GGD", as_of=date(2024, 6, 1)
    )
    water = ScarceGood.objects.create(
        organisation=org, name="Drinkwater", kind="drinkwater", unit="liter"
    )
    food = ScarceGood.objects.create(
        organisation=org, name="Voedsel", kind="voedsel", unit="pakket"
    )
    Stock.objects.create(good=water, place="Gemeentewerf", quantity=5000, as_of=date(2024, 1, 1))
    rule = AllocationRule.objects.create(
        organisation=org, number=1, good=water, title="Drinkwater bij langdurige uitval"
    )
    common = {
        "decided_by": "college van B en W",
        "decided_on": date(2024, 3, 1),
        "reasons": "Sphere-minimum",
        "recorded_by": world.chair,
    }
    v1 = AllocationRuleVersion.objects.create(
        rule=rule, version=1, priority_order="Zorginstellingen", **common
    )
    v2 = AllocationRuleVersion.objects.create(
        rule=rule,
        version=2,
        priority_order="Zorginstellingen\nThuisdialyse\nNoodsteunpunten",
        norm_amount=Decimal("3"),
        norm_unit="liter per persoon per dag",
        norm_source="Sphere",
        **common,
    )
    return Scene(wijk, brink, haven, elsewhere, point, far_point, home, water, food, rule, v1, v2)


def _page(world) -> str:
    return reverse("crisis_first72", args=[world.crisis_a.pk])


def _url(name, world, *args) -> str:
    return reverse(name, args=[world.crisis_a.pk, *args])


def _mark(world, *districts):
    services.affected_area_change(crisis=world.crisis_a, actor=world.logger, add=districts)


def _request(world, scene, **fields):
    fields.setdefault("good", scene.water)
    fields.setdefault("description", "Water voor 80 bewoners")
    fields.setdefault("point", scene.point)
    fields.setdefault("quantity", Decimal("2000"))
    return services.allocation_request_record(
        crisis=world.crisis_a, actor=world.logger, client_token=uuid.uuid4(), **fields
    )


# -- access ------------------------------------------------------------------------------------


def test_members_see_the_page_and_outsiders_get_404(world, scene, login):
    assert login(world.observer).get(_page(world)).status_code == 200
    assert login(world.outsider).get(_page(world)).status_code == 404
    assert login(world.org_admin).get(_page(world)).status_code == 404
    response = Client().get(_page(world))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_observer_sees_no_forms_and_may_not_write(world, scene, login):
    client = english(login(world.observer))
    page = client.get(_page(world)).content.decode()
    assert "Record a request" not in page
    assert "Decide an allocation" not in page
    assert "Mark the affected area" not in page
    assert client.post(_url("crisis_first72_area", world), {}).status_code == 403
    assert client.post(_url("crisis_first72_request", world), {}).status_code == 403
    assert client.post(_url("crisis_first72_decide", world), {}).status_code == 403
    assert client.post(_url("crisis_first72_to_analysis", world)).status_code == 403
    status_url = _url("crisis_first72_point_status", world, scene.point.pk)
    assert client.post(status_url, {"status": "open"}).status_code == 403


def test_writes_are_post_only(world, scene, login):
    client = login(world.logger)
    assert client.get(_url("crisis_first72_request", world)).status_code == 405
    assert client.get(_url("crisis_first72_decide", world)).status_code == 405


def test_the_area_page_is_for_who_marks(world, scene, login):
    page = english(login(world.logger)).get(_url("crisis_first72_area", world))
    assert page.status_code == 200
    assert "Mark the affected area" in page.content.decode()
    assert f'name="districts" value="{scene.brink.pk}"' in page.content.decode()
    assert login(world.observer).get(_url("crisis_first72_area", world)).status_code == 403
    assert login(world.mayor).get(_url("crisis_first72_area", world)).status_code == 403
    assert login(world.outsider).get(_url("crisis_first72_area", world)).status_code == 404


def test_the_mayor_decides_but_does_not_mark_the_area(world, scene, login):
    client = login(world.mayor)
    data = {"districts": [scene.brink.pk]}
    assert client.post(_url("crisis_first72_area", world), data).status_code == 403


# -- the affected area -------------------------------------------------------------------------


def test_the_logger_marks_districts_and_it_is_audited(world, scene, login):
    client = english(login(world.logger))
    page = client.get(_page(world)).content.decode()
    assert "No affected districts are marked yet." in page
    assert 'href="' + _url("crisis_first72_area", world) + '"' in page
    assert 'name="districts"' not in page  # the marking form is on its own page
    response = client.post(
        _url("crisis_first72_area", world), {"districts": [scene.brink.pk, scene.haven.pk]}
    )
    assert response.status_code == 302
    assert set(
        AffectedDistrict.objects.filter(crisis=world.crisis_a).values_list("district", flat=True)
    ) == {scene.brink.pk, scene.haven.pk}
    event = AuditEvent.objects.get(action=AuditEvent.Action.AFFECTED_AREA_CHANGED)
    assert event.detail == {"added": ["BU01230101", "BU01230102"], "removed": []}
    # Unmarking: the box shown as marked, now unticked.
    client.post(
        _url("crisis_first72_area", world),
        {"districts": [scene.brink.pk], "shown": [scene.brink.pk, scene.haven.pk]},
    )
    event = (
        AuditEvent.objects.filter(action=AuditEvent.Action.AFFECTED_AREA_CHANGED)
        .order_by("pk")
        .last()
    )
    assert event.detail == {"added": [], "removed": ["BU01230102"]}


def test_a_stale_screen_does_not_unmark_what_another_screen_marked(world, scene, login):
    chair, logger = login(world.chair), login(world.logger)
    chair.post(_url("crisis_first72_area", world), {"districts": [scene.brink.pk]})
    # The logger's page was loaded before: nothing was marked there.
    logger.post(_url("crisis_first72_area", world), {"districts": [scene.haven.pk]})
    assert AffectedDistrict.objects.filter(crisis=world.crisis_a).count() == 2


def test_a_district_of_another_organisation_is_refused_clearly(world, scene, login):
    client = english(login(world.logger))
    response = client.post(_url("crisis_first72_area", world), {"districts": [scene.elsewhere.pk]})
    assert response.status_code == 422
    assert "Only districts of this crisis" in response.content.decode()
    assert not AffectedDistrict.objects.exists()
    with pytest.raises(Exception, match="another organisation"):
        services.affected_area_change(
            crisis=world.crisis_a, actor=world.logger, add=[scene.elsewhere]
        )


def test_a_closed_crisis_refuses_a_change_of_area(world, scene, login):
    crisis_services.crisis_close(crisis=world.crisis_a, actor=world.chair)
    with pytest.raises(Exception, match="afgesloten"):
        services.affected_area_change(crisis=world.crisis_a, actor=world.logger, add=[scene.brink])
    client = english(login(world.logger))
    page = client.get(_page(world)).content.decode()
    assert "Mark the affected area" not in page


def test_the_filter_narrows_the_districts_to_mark(world, scene, login):
    client = english(login(world.logger))
    page = client.get(_url("crisis_first72_area", world) + "?gebied=haven").content.decode()
    assert "BU01230102" in page
    assert f'name="districts" value="{scene.brink.pk}"' not in page
    assert "Centrum (WK012301)" in page  # grouped under its wijk


# -- what is affected --------------------------------------------------------------------------


def test_the_page_shows_what_the_marked_districts_hold(world, scene, login):
    _mark(world, scene.brink, scene.haven)
    client = english(login(world.logger))
    page = client.get(_page(world)).content.decode()
    assert "Verpleeghuis Lindehof" in page
    assert "power, care" in page
    assert "Thuiszorg West" in page
    assert "75-plussers alleen" in page and "420" in page
    assert "CBS; GGD" in page
    assert "home dialysis" in page
    assert "Noodsteunpunt De Brink" in page
    # The newest version of the rule, with its priority order and norm.
    assert "R1 version 2" in page
    assert "Thuisdialyse" in page and "liter per persoon per dag" in page
    assert "R1 version 1" not in page


def test_the_summary_takes_the_same_queries_however_large_the_area(world, scene):
    _mark(world, scene.brink)
    with CaptureQueriesContext(connection) as small:
        selectors.affected_summary(crisis=world.crisis_a)
    org = world.org_a
    many = [_district(org, f"BU0123{i:04d}", f"Buurt {i}") for i in range(200, 260)]
    VulnerableLocation.objects.bulk_create(
        VulnerableLocation(organisation=org, name=f"School {i}", kind="school", district=d)
        for i, d in enumerate(many * 8)
    )
    for i, d in enumerate(many[:20]):
        _point(org, f"Punt {i}", d)
    _mark(world, *many)
    with CaptureQueriesContext(connection) as large:
        summary = selectors.affected_summary(crisis=world.crisis_a)
        text = selectors.affected_text(crisis=world.crisis_a, summary=summary)
    assert len(summary.locations) == 481
    assert "School 0" in text
    assert len(large.captured_queries) == len(small.captured_queries)


def test_affected_text_lists_counts_locations_and_open_points(world, scene):
    _mark(world, scene.brink)
    services.point_status_set(point=scene.point, status="open", actor=world.chair)
    text = selectors.affected_text(crisis=world.crisis_a)
    assert "75-plussers alleen: 300" in text
    assert "Verpleeghuis Lindehof" in text and "afhankelijk van stroom, zorg" in text
    assert "Noodsteunpunt De Brink" in text
    # Clusters of people at home are counts per district, never a named location.
    assert "- De Brink: thuisdialyse (geteld cluster), 4 personen" in text
    assert "Dialyse cluster" not in text


# -- a noodsteunpunt's status from the crisis --------------------------------------------------


def test_the_chair_opens_a_point_from_the_crisis(world, scene, login):
    _mark(world, scene.brink)
    before = logbook_revision(crisis=world.crisis_a)
    client = english(login(world.chair))
    response = client.post(
        _url("crisis_first72_point_status", world, scene.point.pk),
        {"status": "open", "note": "Sleutel opgehaald"},
    )
    assert response.status_code == 302
    change = PointStatusChange.objects.get(point=scene.point)
    assert change.crisis == world.crisis_a and change.note == "Sleutel opgehaald"
    assert logbook_revision(crisis=world.crisis_a) > before
    region = client.get(_page(world) + "?region=points").content.decode()
    assert 'id="region-points"' in region
    assert "open since" in region


def test_a_status_outside_the_list_is_refused(world, scene, login):
    client = english(login(world.logger))
    url = _url("crisis_first72_point_status", world, scene.point.pk)
    assert client.post(url, {"status": "weg"}).status_code == 422


def test_a_point_of_another_organisation_is_not_found(world, scene, login):
    other = _point(world.org_b, "Elders", None)
    url = _url("crisis_first72_point_status", world, other.pk)
    assert login(world.chair).post(url, {"status": "open"}).status_code == 404


def test_an_unknown_region_is_not_found(world, scene, login):
    assert login(world.logger).get(_page(world) + "?region=nope").status_code == 404


# -- requests ----------------------------------------------------------------------------------


def _request_data(scene, **fields):
    data = {
        "client_token": str(uuid.uuid4()),
        "good": scene.water.pk,
        "quantity": "2000",
        "point": scene.point.pk,
        "description": "Water voor 80 bewoners",
    }
    data.update(fields)
    return data


def test_a_double_submitted_request_is_one_request_and_numbers_have_no_gaps(world, scene, login):
    client = english(login(world.logger))
    data = _request_data(scene)
    assert client.post(_url("crisis_first72_request", world), data).status_code == 302
    assert client.post(_url("crisis_first72_request", world), data).status_code == 302
    client.post(_url("crisis_first72_request", world), _request_data(scene, requester="Huisarts"))
    numbers = list(AllocationRequest.objects.values_list("number", flat=True))
    assert numbers == [1, 2]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ALLOCATION_REQUESTED).count() == 2


def test_a_request_without_requester_or_with_a_negative_quantity_is_refused(world, scene, login):
    client = english(login(world.logger))
    response = client.post(
        _url("crisis_first72_request", world), _request_data(scene, point="", quantity="-5")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Say who asks" in page
    assert not AllocationRequest.objects.exists()
    with pytest.raises(Exception, match="more than zero"):
        _request(world, scene, quantity=Decimal("0"))
    with pytest.raises(Exception, match="not realistic"):
        _request(world, scene, quantity=Decimal("5000000000"))
    with pytest.raises(Exception, match="in the past"):
        _request(world, scene, needed_by=timezone.now() - timedelta(hours=2))


def test_open_requests_are_oldest_first_and_overdue_says_so(world, scene, login):
    first = _request(world, scene, needed_by=timezone.now() + timedelta(minutes=2))
    AllocationRequest.objects.filter(pk=first.pk).update(
        needed_by=timezone.now() - timedelta(hours=1)
    )
    _request(world, scene, point=None, requester="<script>alert(1)</script>")
    client = english(login(world.observer))
    page = client.get(_page(world) + "?region=requests").content.decode()
    assert page.index("V1") < page.index("V2")
    assert "overdue" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_message_manager_may_record_a_request(world, scene, login):
    from crisisroom.roles import Role
    from tests.conftest import seat
    from tests.factories import UserFactory

    crisis = crisis_services.crisis_open(
        organisation=world.org_a,
        title="Cyberaanval",
        team_kind=TeamKind.CMT,
        actor=None,
        staff_from_roster=False,
    )
    desk = UserFactory(username="desk72")
    seat(crisis, desk, Role.MESSAGE_MANAGER)
    response = login(desk).post(
        reverse("crisis_first72_request", args=[crisis.pk]), _request_data(scene)
    )
    assert response.status_code == 302
    assert AllocationRequest.objects.get().crisis == crisis


# -- allocation decisions ----------------------------------------------------------------------


def _decide_data(scene, **fields):
    data = {
        "client_token": str(uuid.uuid4()),
        "good": scene.water.pk,
        "quantity": "2000",
        "recipient": "Noodsteunpunt De Brink",
        "rule_version": scene.v2.pk,
        "how": "volgt",
        "reasons": "Bewoners van het verpleeghuis eerst",
        "decided_by": get_user_model().objects.get(username="mayor").pk,
    }
    data.update(fields)
    return data


def test_the_logger_records_an_allocation_that_cites_the_rule(world, scene, login, meeting):
    request = _request(world, scene)
    client = english(login(world.logger))
    data = _decide_data(scene, requests=[request.pk])
    response = client.post(_url("crisis_first72_decide", world), data)
    assert response.status_code == 302
    assert client.post(_url("crisis_first72_decide", world), data).status_code == 302  # again
    decision = AllocationDecision.objects.get()
    entry = decision.entry
    assert entry.kind == Entry.Kind.BESLUIT
    assert entry.meeting == meeting
    # The log is in the organisation's language, citing the rule and its version.
    assert entry.text.startswith(
        "Toedeling Drinkwater: 2.000 liter aan Noodsteunpunt De Brink, volgens "
        "toedelingsregel R1 versie 2 (Drinkwater bij langdurige uitval)"
    )
    assert "V1" in entry.text
    assert entry.reasoning == "Bewoners van het verpleeghuis eerst"
    assert decision.rule_version == scene.v2 and decision.follows_rule
    request.refresh_from_db()
    assert request.status == "toegewezen" and request.decision == decision
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ALLOCATION_DECIDED).count() == 1
    listed = client.get(reverse("decision_list", args=[world.crisis_a.pk])).content.decode()
    # Recorded from an English screen, the log still speaks Dutch.
    assert "volgens toedelingsregel R1 versie 2" in listed


def test_departing_from_the_rule_needs_reasons_and_says_so_in_the_log(world, scene, login):
    client = english(login(world.mayor))
    refused = client.post(_url("crisis_first72_decide", world), _decide_data(scene, how="wijkt_af"))
    assert refused.status_code == 422
    assert "Say why this decision departs from the rule." in refused.content.decode()
    client.post(
        _url("crisis_first72_decide", world),
        _decide_data(scene, how="wijkt_af", deviation_reasons="Ziekenhuis heeft voorrang"),
    )
    decision = AllocationDecision.objects.get()
    assert not decision.follows_rule
    assert "in afwijking van toedelingsregel R1 versie 2" in decision.entry.text
    assert "Ziekenhuis heeft voorrang" in decision.entry.text
    assert decision.entry.meeting is None  # no meeting running: between meetings


def test_a_decision_without_rule_needs_reasons(world, scene, login):
    client = english(login(world.chair))
    refused = client.post(
        _url("crisis_first72_decide", world),
        _decide_data(scene, how="geen_regel", rule_version="", good=scene.food.pk),
    )
    assert refused.status_code == 422
    assert "Say why no allocation rule applies." in refused.content.decode()
    client.post(
        _url("crisis_first72_decide", world),
        _decide_data(
            scene,
            how="geen_regel",
            rule_version="",
            good=scene.food.pk,
            quantity="",
            deviation_reasons="Geen regel voor voedsel vastgesteld",
        ),
    )
    decision = AllocationDecision.objects.get()
    assert decision.rule_version is None and decision.quantity is None
    assert "zonder toedelingsregel: Geen regel voor voedsel" in decision.entry.text


def test_an_old_version_or_a_rule_for_another_good_is_refused(world, scene):
    common = {
        "crisis": world.crisis_a,
        "actor": world.logger,
        "recipient": "De Brink",
        "reasons": "r",
        "client_token": uuid.uuid4(),
        "decided_by": world.mayor,
    }
    with pytest.raises(Exception, match="nieuwere versie"):
        services.allocation_decide(good=scene.water, rule_version=scene.v1, **common)
    with pytest.raises(Exception, match="gaat over Drinkwater"):
        services.allocation_decide(good=scene.food, rule_version=scene.v2, **common)
    with pytest.raises(Exception, match="reasons"):
        services.allocation_decide(
            good=scene.water, rule_version=scene.v2, **{**common, "reasons": ""}
        )


def test_requests_of_another_crisis_cannot_be_chosen(world, scene, login):
    other = crisis_services.crisis_open(
        organisation=world.org_a,
        title="Tweede",
        team_kind=TeamKind.GBT,
        actor=None,
        staff_from_roster=False,
    )
    theirs = services.allocation_request_record(
        crisis=other,
        actor=world.chair,
        good=scene.water,
        description="x",
        requester="iemand",
        client_token=uuid.uuid4(),
    )
    client = english(login(world.logger))
    response = client.post(
        _url("crisis_first72_decide", world), _decide_data(scene, requests=[theirs.pk])
    )
    assert response.status_code == 422
    assert not AllocationDecision.objects.exists()


def test_an_adviser_may_not_decide(world, scene, login):
    response = login(world.adviser).post(_url("crisis_first72_decide", world), _decide_data(scene))
    assert response.status_code == 403


def test_refusing_a_request_records_a_decision_with_reasons(world, scene, login):
    request = _request(world, scene)
    client = english(login(world.logger))
    url = _url("crisis_first72_refuse", world, request.number)
    token = str(uuid.uuid4())
    assert client.post(url, {"client_token": token, "reasons": ""}).status_code == 422
    assert client.post(url, {"client_token": token, "reasons": "Voorraad op"}).status_code == 302
    assert client.post(url, {"client_token": token, "reasons": "Voorraad op"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "afgewezen"
    entry = Entry.objects.get(crisis=world.crisis_a)
    assert entry.kind == Entry.Kind.BESLUIT and entry.reasoning == "Voorraad op"
    assert "Aanvraag V1" in entry.text and "afgewezen" in entry.text
    assert login(world.adviser).post(url, {"client_token": token}).status_code == 403


# -- into the analysis -------------------------------------------------------------------------


def test_the_rol_takes_the_affected_area_into_the_analysis_once(world, scene, login):
    _mark(world, scene.brink)
    client = english(login(world.rol))
    url = _url("crisis_first72_to_analysis", world)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click
    draft = Analysis.objects.get(crisis=world.crisis_a).draft["impact"]
    assert draft.count("Affected area (from Crisisroom,") == 1
    assert "Verpleeghuis Lindehof" in draft
    assert login(world.logger).post(url).status_code == 403


def test_the_summary_goes_below_what_the_impact_section_already_says(world, scene, login, analysis):
    from formats import services as format_services

    format_services.analysis_save_draft(
        analysis=analysis,
        actor=world.rol,
        sections={"impact": "Telecom valt uit."},
        base_revision=analysis.draft_revision,
    )
    _mark(world, scene.brink)
    services.affected_into_analysis(crisis=world.crisis_a, actor=world.rol)
    draft = Analysis.objects.get(pk=analysis.pk).draft["impact"]
    assert draft.startswith("Telecom valt uit.\n\nGetroffen gebied (uit Crisisroom,")


def test_a_format_without_an_impact_section_says_so(world, scene, analysis):
    analysis.format.sections.filter(key="impact").delete()
    with pytest.raises(Exception, match="geen onderdeel voor de impact"):
        services.affected_into_analysis(crisis=world.crisis_a, actor=world.rol)


# -- samenloop ---------------------------------------------------------------------------------


def test_samenloop_with_one_crisis_says_so(cold, scene, login):
    client = english(login(cold.mayor))
    page = client.get(reverse("samenloop", args=[cold.organisation.pk])).content.decode()
    assert "you are a member of only one" in page
    assert "<li>Stroomstoring Aadorp</li>" in page


def _second_crises(world):
    from crisisroom.roles import Role
    from tests.conftest import seat

    second = crisis_services.crisis_open(
        organisation=world.org_a,
        title="Overstroming",
        team_kind=TeamKind.GBT,
        actor=None,
        staff_from_roster=False,
    )
    exercise = crisis_services.crisis_open(
        organisation=world.org_a,
        title="Oefening droogte",
        team_kind=TeamKind.GBT,
        actor=None,
        is_exercise=True,
        staff_from_roster=False,
    )
    for crisis in (second, exercise):
        seat(crisis, world.mayor, Role.MAYOR)
    return second, exercise


def test_samenloop_shows_only_crises_the_viewer_is_a_member_of(world, cold, scene, login):
    second, exercise = _second_crises(world)
    _request(world, scene, quantity=Decimal("3000"))
    client = english(login(cold.aov))  # maintains the cold phase, member of no crisis
    response = client.get(reverse("samenloop", args=[cold.organisation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Stroomstoring Aadorp", "Overstroming", "Oefening droogte"):
        assert title not in page
    assert "3,000" not in page
    assert "You are a member of none of this organisation's open crises." in page
    # A member of one of them sees that one only: no samenloop.
    overview = selectors.samenloop_overview(organisation=world.org_a, user=world.logger)
    assert [c.title for c in overview.crises] == ["Stroomstoring Aadorp"]
    assert not overview.concurrent


def test_samenloop_shows_claims_per_crisis_and_when_they_exceed_the_stock(
    world, cold, scene, login
):
    second, exercise = _second_crises(world)
    _request(world, scene, quantity=Decimal("3000"))
    _mark(world, scene.brink)
    for crisis, quantity in ((second, "2500"), (exercise, "9000")):
        services.allocation_request_record(
            crisis=crisis,
            actor=world.chair,
            good=scene.water,
            description="Water",
            requester="Wijkteam",
            quantity=Decimal(quantity),
            client_token=uuid.uuid4(),
        )
    client = english(login(cold.mayor))
    response = client.get(reverse("samenloop", args=[cold.organisation.pk]))
    page = response.content.decode()
    assert "Overstroming" in page and "Stroomstoring Aadorp" in page
    assert "Requested more than the stock: 5,500 liter asked, 5,000 liter in stock." in page
    assert "OEFENING" in page and "Oefening droogte" in page
    assert "14,500" not in page  # an exercise is never added to the real crises
    # Vulnerable people in the marked district, in the crisis's own row, under a label that
    # says groups can overlap.
    assert re.search(
        r'<th scope="row">Stroomstoring Aadorp</th>(?:\s*<td class="num">[^<]*</td>){4}'
        r'\s*<td class="num">300</td>',
        page,
    )
    assert "People in vulnerable groups (groups can overlap)" in page


@pytest.mark.parametrize(
    "who,status",
    [
        ("aov", 200),
        ("mayor", 200),
        ("org_admin", 200),
        ("owner", 404),
        ("member", 404),
        ("outsider", 404),
    ],
)
def test_who_opens_the_samenloop(cold, login, who, status):
    client = login(getattr(cold, who))
    assert client.get(reverse("samenloop", args=[cold.organisation.pk])).status_code == status


def test_an_exercise_crisis_page_is_marked(world, scene, login):
    page = (
        login(world.outsider)
        .get(reverse("crisis_first72", args=[world.crisis_b.pk]))
        .content.decode()
    )
    assert "OEFENING" in page


def test_the_affected_area_is_on_a_map_with_only_its_own_points(world, scene, login):
    client = login(world.observer)
    page = client.get(_page(world))
    assert 'id="affected-map"' not in page.content.decode()  # nothing marked: no map
    _mark(world, scene.brink)
    page = client.get(_page(world))
    html = page.content.decode()
    assert 'id="affected-map"' in html and "vendor/leaflet/leaflet.js" in html
    data = json.loads(
        re.search(
            r'id="affected-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    names = {point["name"] for point in data["points"]}
    assert "Noodsteunpunt De Brink" in names and "Brandweerkazerne Oost" not in names
    # The page may load the background tiles, and only from the configured service.
    assert "img-src 'self' data: http://127.0.0.1:9" in page["Content-Security-Policy"]


# -- an exercise never changes the real status of a noodsteunpunt -------------------------------


@pytest.fixture
def drill(world, scene):
    """An exercise of organisation A with the chair at the table and De Brink marked."""
    from crisisroom.roles import Role
    from tests.conftest import seat

    crisis = crisis_services.crisis_open(
        organisation=world.org_a,
        title="Oefening stroomuitval",
        team_kind=TeamKind.GBT,
        actor=None,
        is_exercise=True,
        staff_from_roster=False,
    )
    seat(crisis, world.chair, Role.TECHNICAL_CHAIR)
    services.affected_area_change(crisis=crisis, actor=world.chair, add=[scene.brink])
    return crisis


def test_an_exercise_records_its_own_status_and_leaves_the_real_one(world, scene, drill, login):
    _mark(world, scene.brink)
    real_before = logbook_revision(crisis=world.crisis_a)
    drill_before = logbook_revision(crisis=drill)
    client = english(login(world.chair))
    url = reverse("crisis_first72_point_status", args=[drill.pk, scene.point.pk])
    assert client.post(url, {"status": "open", "shown": "gesloten"}).status_code == 302
    scene.point.refresh_from_db()
    assert scene.point.status == "gesloten" and scene.point.status_at is None
    change = PointStatusChange.objects.get(point=scene.point)
    assert change.crisis == drill and change.status == "open"
    event = AuditEvent.objects.get(action=AuditEvent.Action.POINT_STATUS_SET)
    assert event.crisis == drill and event.detail["exercise"] is True
    # Only the exercise's screens refresh; the real crisis is not touched.
    assert logbook_revision(crisis=drill) > drill_before
    assert logbook_revision(crisis=world.crisis_a) == real_before
    # The exercise page shows the status within the exercise, marked OEFENING.
    region = client.get(reverse("crisis_first72", args=[drill.pk]) + "?region=points")
    cell = re.search(
        rf'data-testid="point-status-{scene.point.pk}">(.*?)</td>', region.content.decode(), re.S
    ).group(1)
    assert "OEFENING" in cell and "open since" in cell
    text = selectors.affected_text(crisis=drill)
    assert "(OEFENING)" in text and "Noodsteunpunt De Brink (open)" in text
    # The real crisis keeps showing the real status.
    real = client.get(_page(world) + "?region=points").content.decode()
    cell = re.search(rf'data-testid="point-status-{scene.point.pk}">(.*?)</td>', real, re.S)
    assert "closed" in cell.group(1) and "OEFENING" not in cell.group(1)
    assert (
        "Noodsteunpunt De Brink"
        not in selectors.affected_text(crisis=world.crisis_a).split("open:")[-1]
    )


def test_the_real_status_does_not_show_in_an_exercise(world, scene, drill):
    services.point_status_set(
        point=scene.point, status="vol", actor=world.chair, crisis=world.crisis_a
    )
    summary = selectors.affected_summary(crisis=drill)
    assert [p.status for p in summary.points] == ["gesloten"]
    summary = selectors.affected_summary(crisis=world.crisis_a)
    assert summary.points == [] and not summary.exercise
    services.point_status_set(
        point=scene.point, status="gaat_open", actor=world.chair, crisis=drill, shown="gesloten"
    )
    assert [p.status for p in selectors.affected_summary(crisis=drill).points] == ["gaat_open"]
    scene.point.refresh_from_db()
    assert scene.point.status == "vol"


# -- a stale screen, a closed crisis ------------------------------------------------------------


def test_a_status_changed_meanwhile_is_not_overwritten(world, scene, login):
    services.point_status_set(
        point=scene.point, status="open", actor=world.logger, crisis=world.crisis_a
    )
    client = english(login(world.chair))
    # The chair's screen still showed "closed" and chose "full".
    response = client.post(
        _url("crisis_first72_point_status", world, scene.point.pk),
        {"status": "vol", "shown": "gesloten"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The status changed meanwhile" in page and "“open”" in page
    assert world.logger.get_full_name() in page or world.logger.username in page
    scene.point.refresh_from_db()
    assert scene.point.status == "open"
    # The same choice twice (a double click) is no conflict: nothing recorded.
    again = client.post(
        _url("crisis_first72_point_status", world, scene.point.pk),
        {"status": "open", "shown": "gesloten"},
    )
    assert again.status_code == 302
    assert PointStatusChange.objects.count() == 1


def test_an_exercise_status_changed_meanwhile_is_refused_too(world, scene, drill):
    services.point_status_set(point=scene.point, status="open", actor=world.chair, crisis=drill)
    with pytest.raises(Exception, match="changed meanwhile|ondertussen gewijzigd"):
        services.point_status_set(
            point=scene.point, status="vol", actor=world.chair, crisis=drill, shown="gesloten"
        )


def test_a_closed_crisis_refuses_a_status(world, scene):
    crisis_services.crisis_close(crisis=world.crisis_a, actor=world.chair)
    with pytest.raises(Exception, match="afgesloten"):
        services.point_status_set(
            point=scene.point, status="open", actor=world.chair, crisis=world.crisis_a
        )
    scene.point.refresh_from_db()
    assert scene.point.status == "gesloten"
    assert not PointStatusChange.objects.exists()


# -- a marked wijk covers its buurten -----------------------------------------------------------


def test_a_marked_wijk_includes_its_buurten(world, scene, login):
    _mark(world, scene.wijk)
    summary = selectors.affected_summary(crisis=world.crisis_a)
    assert summary.districts == [scene.wijk]
    assert {d.code for d in summary.covered} == {"WK012301", "BU01230101", "BU01230102"}
    assert [row.name for row in summary.locations] == ["Verpleeghuis Lindehof"]
    assert [p.name for p in summary.points] == ["Noodsteunpunt De Brink"]
    assert [c.district.name for c in summary.clusters] == ["De Brink"]
    # No count for the wijk itself: the sum of its buurten.
    (group,) = summary.groups
    assert (group.count, group.districts) == (420, 2)
    page = english(login(world.observer)).get(_page(world)).content.decode()
    assert "Verpleeghuis Lindehof" in page and "Counted once per wijk" in page


def test_a_wijk_with_its_own_count_is_counted_once(world, scene):
    group = VulnerableGroup.objects.get(name="75-plussers alleen")
    GroupCount.objects.create(
        group=group, district=scene.wijk, count=500, source="CBS", as_of=date(2024, 1, 1)
    )
    _mark(world, scene.wijk, scene.brink)  # the buurt marked as well: still once
    (total,) = selectors.affected_summary(crisis=world.crisis_a).groups
    assert (total.count, total.districts) == (500, 1)
    assert "75-plussers alleen: 500" in selectors.affected_text(crisis=world.crisis_a)


def test_a_wijk_takes_the_same_queries_however_many_buurten(world, scene):
    _mark(world, scene.wijk)
    with CaptureQueriesContext(connection) as small:
        selectors.affected_summary(crisis=world.crisis_a)
    org = world.org_a
    many = [_district(org, f"BU012301{i:02d}", f"Buurt {i}") for i in range(10, 60)]
    group = VulnerableGroup.objects.get(name="75-plussers alleen")
    for d in many:
        GroupCount.objects.create(
            group=group, district=d, count=10, source="CBS", as_of=date.today()
        )
        _point(org, f"Punt {d.code}", d)
    with CaptureQueriesContext(connection) as large:
        summary = selectors.affected_summary(crisis=world.crisis_a)
    assert len(summary.points) == 51
    assert summary.groups[0].count == 420 + 500
    assert len(large.captured_queries) == len(small.captured_queries)


# -- who decided --------------------------------------------------------------------------------


def test_a_decision_needs_who_took_it_and_that_is_a_member(world, scene, login):
    client = english(login(world.logger))
    form_page = client.get(_page(world)).content.decode()
    # The mayor of the crisis is offered first.
    assert re.search(rf'<option value="{world.mayor.pk}" selected>', form_page)
    refused = client.post(_url("crisis_first72_decide", world), _decide_data(scene, decided_by=""))
    assert refused.status_code == 422
    assert "Say who took this decision." in refused.content.decode()
    with pytest.raises(Exception, match="not a member|geen lid"):
        services.allocation_decide(
            crisis=world.crisis_a,
            actor=world.logger,
            good=scene.water,
            recipient="De Brink",
            reasons="r",
            rule_version=scene.v2,
            client_token=uuid.uuid4(),
            decided_by=world.outsider,
        )
    with pytest.raises(Exception, match="Say who|Zeg wie"):
        services.allocation_decide(
            crisis=world.crisis_a,
            actor=world.logger,
            good=scene.water,
            recipient="De Brink",
            reasons="r",
            rule_version=scene.v2,
            client_token=uuid.uuid4(),
            decided_by=None,
        )
    assert client.post(_url("crisis_first72_decide", world), _decide_data(scene)).status_code == 302
    assert AllocationDecision.objects.get().entry.decided_by == world.mayor


def test_without_a_mayor_the_decision_form_offers_whoever_records_it(world, scene):
    from crisisroom.roles import Role
    from resilience.forms.crisis72 import DecisionForm
    from tests.conftest import seat

    crisis = crisis_services.crisis_open(
        organisation=world.org_a,
        title="Cyberaanval",
        team_kind=TeamKind.CMT,
        actor=None,
        staff_from_roster=False,
    )
    seat(crisis, world.logger, Role.LOGGER)
    assert DecisionForm(crisis=crisis, user=world.logger).initial["decided_by"] == world.logger.pk


def test_a_newer_rule_version_is_checked_again_inside_the_lock(world, scene, monkeypatch):
    from resilience.services import crisis72

    # As if v2 was recorded between the first check and the lock: only the check inside it runs.
    monkeypatch.setattr(crisis72, "_decision_errors", lambda **kwargs: {})
    with pytest.raises(Exception, match="nieuwere versie") as refused:
        services.allocation_decide(
            crisis=world.crisis_a,
            actor=world.logger,
            good=scene.water,
            recipient="De Brink",
            reasons="r",
            rule_version=scene.v1,
            client_token=uuid.uuid4(),
            decided_by=world.mayor,
        )
    assert "rule_version" in refused.value.message_dict
    assert not AllocationDecision.objects.exists() and not Entry.objects.exists()


# -- refusing on a page of its own --------------------------------------------------------------


def test_the_refusal_is_a_page_of_its_own_that_keeps_what_was_typed(world, scene, login):
    request = _request(world, scene)
    client = english(login(world.logger))
    region = client.get(_page(world) + "?region=requests").content.decode()
    url = _url("crisis_first72_refuse", world, request.number)
    assert f'href="{url}"' in region and "<textarea" not in region
    page = client.get(url)
    assert page.status_code == 200 and "Refuse request V1" in page.content.decode()
    # The request was decided meanwhile: refused with a message, the reasons kept.
    AllocationRequest.objects.filter(pk=request.pk).update(status="toegewezen")
    response = client.post(url, {"client_token": str(uuid.uuid4()), "reasons": "Voorraad op"})
    assert response.status_code == 422
    assert "is no longer open" in response.content.decode()
    assert "Voorraad op</textarea>" in response.content.decode()
    assert login(world.adviser).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404


# -- the whole page ----------------------------------------------------------------------------


def test_the_crisis_page_takes_the_same_queries_however_large_the_area(world, scene, login):
    client = login(world.chair)
    _mark(world, scene.brink, scene.wijk)
    _request(world, scene)
    client.get(_page(world))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(_page(world)).status_code == 200
    org = world.org_a
    many = [_district(org, f"BU0123{i:04d}", f"Buurt {i}") for i in range(200, 240)]
    VulnerableLocation.objects.bulk_create(
        VulnerableLocation(organisation=org, name=f"School {i}", kind="school", district=d)
        for i, d in enumerate(many * 5)
    )
    for i, d in enumerate(many[:15]):
        _point(org, f"Punt {i}", d)
        _point(org, f"Elders {i}", None)
    for _ in range(5):
        _request(world, scene)
    _mark(world, *many)
    with CaptureQueriesContext(connection) as large:
        page = client.get(_page(world))
    assert "School 199" in page.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_exercise_map_shows_the_exercise_status(world, scene, drill, login):
    services.point_status_set(
        point=scene.point, status="vol", actor=world.chair, crisis=world.crisis_a
    )
    services.point_status_set(point=scene.point, status="open", actor=world.chair, crisis=drill)
    html = login(world.chair).get(reverse("crisis_first72", args=[drill.pk])).content.decode()
    data = json.loads(
        re.search(
            r'id="affected-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    (point,) = [p for p in data["points"] if p["name"] == "Noodsteunpunt De Brink"]
    assert point["status"] == "open"
