"""The registers of the first 72 hours: noodsteunpunten with their status, vulnerable locations
and clusters, vulnerable groups as counts per district, and districts with their import."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crisisroom.models import AuditEvent, Partner
from crisisroom.roles import Role
from resilience import services
from resilience.models import (
    District,
    EmergencyPoint,
    GroupCount,
    PointStatusChange,
    VulnerableGroup,
    VulnerableLocation,
)
from tests.conftest import seat

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    """The interface in English, so these tests read the msgids, whatever the translators do."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _url(name: str, cold, *args) -> str:
    return reverse(name, args=[cold.organisation.pk, *args])


def _district(cold, code: str = "WK036301", name: str = "Centrum") -> District:
    return services.district_save(
        organisation=cold.organisation, actor=cold.aov, code=code, name=name
    )


def _point_data(**overrides) -> dict:
    data = {
        "name": "Dorpshuis De Linde",
        "kind": "gemeenschapshuis",
        "address": "Dorpsstraat 1, Aadorp",
        "latitude": "52,3702",
        "longitude": "4.8952",
        "capacity": "150",
        "services": ["informatie", "water"],
        "power_hours": "24",
        "water_hours": "",
        "comms_hours": "",
        "key_holder": "beheerder dorpshuis, 06-12345678",
        "staff": "",
        "opening_procedure": "",
    }
    data.update(overrides)
    return data


def _point(cold, name: str = "Brandweerkazerne Aadorp") -> EmergencyPoint:
    return services.point_save(
        organisation=cold.organisation,
        actor=cold.aov,
        name=name,
        kind="brandweerkazerne",
        address="Kazerneweg 2",
        latitude=52.1,
        longitude=5.1,
        capacity=80,
        key_holder="ploegchef",
    )


# -- access ------------------------------------------------------------------------------------

READ_PAGES = ["first72_points", "first72_locations", "first72_groups", "first72_districts"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_readers_see_the_registers_and_others_get_404(cold, login, name):
    for user in (cold.aov, cold.mayor, cold.org_admin):
        assert login(user).get(_url(name, cold)).status_code == 200
    for user in (cold.member, cold.outsider):
        assert login(user).get(_url(name, cold)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(cold):
    response = Client().get(_url("first72_points", cold))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "first72_point_create",
        "first72_location_create",
        "first72_district_create",
        "first72_districts_import",
    ],
)
def test_only_the_adviser_opens_the_forms(cold, login, name):
    assert login(cold.aov).get(_url(name, cold)).status_code == 200
    for user in (cold.mayor, cold.org_admin):
        assert login(user).get(_url(name, cold)).status_code == 403
    for user in (cold.member, cold.outsider):
        assert login(user).get(_url(name, cold)).status_code == 404


def test_the_mayor_cannot_write_and_sees_no_write_buttons(cold, login):
    point = _point(cold)
    client = english(login(cold.mayor))
    page = client.get(_url("first72_point_detail", cold, point.pk)).content.decode()
    assert "Set status" not in page
    assert _url("first72_point_edit", cold, point.pk) not in page
    assert client.post(_url("first72_point_create", cold), _point_data()).status_code == 403
    assert (
        client.post(_url("first72_point_status", cold, point.pk), {"status": "open"}).status_code
        == 403
    )
    assert client.post(_url("first72_point_retire", cold, point.pk)).status_code == 403
    assert client.post(_url("first72_group_create", cold), {"name": "X"}).status_code == 403
    assert login(cold.outsider).post(_url("first72_count_set", cold), {}).status_code == 404
    point.refresh_from_db()
    assert point.status == "gesloten" and point.is_active


def test_writes_are_post_only(cold, login):
    point = _point(cold)
    client = login(cold.aov)
    assert client.get(_url("first72_point_status", cold, point.pk)).status_code == 405
    assert client.get(_url("first72_point_retire", cold, point.pk)).status_code == 405
    assert client.get(_url("first72_count_set", cold)).status_code == 405


def test_objects_of_another_organisation_are_404(cold, login, world):
    other = EmergencyPoint.objects.create(
        organisation=world.org_b,
        name="Elders",
        kind="anders",
        address="Ergens 1",
        latitude=52.0,
        longitude=5.0,
        capacity=10,
        key_holder="iemand",
    )
    client = login(cold.aov)
    assert client.get(_url("first72_point_detail", cold, other.pk)).status_code == 404
    assert client.get(_url("first72_point_edit", cold, other.pk)).status_code == 404
    assert (
        client.post(_url("first72_point_status", cold, other.pk), {"status": "open"}).status_code
        == 404
    )


# -- noodsteunpunten ---------------------------------------------------------------------------


def test_the_adviser_registers_a_point_and_everyone_reading_sees_it(cold, login):
    district = _district(cold)
    client = english(login(cold.aov))
    response = client.post(_url("first72_point_create", cold), _point_data(district=district.pk))
    assert response.status_code == 302
    point = EmergencyPoint.objects.get(organisation=cold.organisation)
    assert point.latitude == pytest.approx(52.3702)  # a Dutch decimal comma is read
    assert point.services == ["informatie", "water"]
    assert point.power_hours == 24 and point.water_hours is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.POINT_CHANGED, detail__point=point.pk
    ).exists()
    page = english(login(cold.mayor)).get(_url("first72_points", cold)).content.decode()
    assert "Dorpshuis De Linde" in page
    assert "drinking water" in page
    assert "closed" in page  # the status in words
    assert 'aria-current="page"' in page


def test_a_double_submit_creates_one_point(cold, login):
    client = login(cold.aov)
    assert client.post(_url("first72_point_create", cold), _point_data()).status_code == 302
    assert client.post(_url("first72_point_create", cold), _point_data()).status_code == 302
    assert EmergencyPoint.objects.filter(organisation=cold.organisation).count() == 1


def test_a_name_that_exists_gets_a_clear_message(cold, login):
    _point(cold, name="Dorpshuis De Linde")
    response = english(login(cold.aov)).post(_url("first72_point_create", cold), _point_data())
    assert response.status_code == 422
    assert "There is already an emergency support point called" in response.content.decode()


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("5.12", "52.09", "seem to be swapped"),
        ("48.85", "2.35", "outside the Netherlands"),
        ("95", "5", "between -90 and 90"),
        ("452000", "155000", "RD coordinates"),
        ("", "5.1", "Give the latitude"),
        ("abc", "5.1", "decimal degrees"),
    ],
)
def test_bad_coordinates_get_clear_messages(cold, login, lat, lon, message):
    response = english(login(cold.aov)).post(
        _url("first72_point_create", cold), _point_data(latitude=lat, longitude=lon)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not EmergencyPoint.objects.exists()


def test_absurd_capacity_and_negative_hours_are_refused(cold, login):
    client = english(login(cold.aov))
    response = client.post(_url("first72_point_create", cold), _point_data(capacity="5000000"))
    assert response.status_code == 422
    assert "cannot be right" in response.content.decode()
    response = client.post(_url("first72_point_create", cold), _point_data(power_hours="-2"))
    assert response.status_code == 422
    assert "greater than or equal to 0" in response.content.decode()
    assert not EmergencyPoint.objects.exists()


def test_names_are_escaped(cold, login):
    client = login(cold.aov)
    client.post(_url("first72_point_create", cold), _point_data(name="<script>alert(1)</script>"))
    point = EmergencyPoint.objects.get()
    for url in (_url("first72_points", cold), _url("first72_point_detail", cold, point.pk)):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;" in page


def test_the_status_is_set_with_time_and_person_and_kept_in_the_history(cold, login):
    point = _point(cold)
    client = english(login(cold.aov))
    url = _url("first72_point_status", cold, point.pk)
    assert client.post(url, {"status": "open", "note": "Aggregaat draait"}).status_code == 302
    assert client.post(url, {"status": "open", "note": "Aggregaat draait"}).status_code == 302
    assert PointStatusChange.objects.filter(point=point).count() == 1  # a double click is once
    point.refresh_from_db()
    assert point.status == "open" and point.status_by == cold.aov
    assert AuditEvent.objects.filter(action=AuditEvent.Action.POINT_STATUS_SET).count() == 1
    page = client.get(_url("first72_point_detail", cold, point.pk)).content.decode()
    assert "Aggregaat draait" in page
    assert "Anke Adviseur" in page


def test_an_unknown_status_is_refused(cold, login):
    point = _point(cold)
    response = login(cold.aov).post(_url("first72_point_status", cold, point.pk), {"status": "x"})
    assert response.status_code == 422


def test_a_crisis_in_the_history_is_named_only_to_its_members(cold, login, world):
    point = _point(cold)
    services.point_status_set(point=point, status="open", actor=world.chair, crisis=world.crisis_a)
    url = _url("first72_point_detail", cold, point.pk)
    assert world.crisis_a.title in login(cold.mayor).get(url).content.decode()
    page = english(login(cold.aov)).get(url).content.decode()
    assert world.crisis_a.title not in page
    assert "for its members only" in page


def test_the_crisis_is_offered_only_to_a_member_of_an_open_crisis(cold, login, world):
    point = _point(cold)
    url = _url("first72_point_detail", cold, point.pk)
    page = english(login(cold.aov)).get(url).content.decode()
    assert 'name="status"' in page and 'name="crisis"' not in page
    seat(world.crisis_a, cold.aov, Role.ADVISER)
    page = english(login(cold.aov)).get(url).content.decode()
    assert 'name="crisis"' in page and world.crisis_a.title in page
    response = login(cold.aov).post(
        _url("first72_point_status", cold, point.pk),
        {"status": "gaat_open", "crisis": world.crisis_a.pk},
    )
    assert response.status_code == 302
    assert PointStatusChange.objects.get(point=point).crisis == world.crisis_a


def test_dates_are_written_with_a_lowercase_dutch_month(cold, login):
    district = _district(cold)
    group = services.group_save(organisation=cold.organisation, actor=cold.aov, name="Zorg")
    services.group_count_set(
        group=group,
        district=district,
        count=12,
        source="GGD",
        as_of=date(2024, 10, 21),
        actor=cold.aov,
    )
    page = login(cold.mayor).get(_url("first72_groups", cold)).content.decode()
    assert "GGD, 21 okt 2024" in page


def test_a_point_is_taken_out_of_use_not_deleted(cold, login):
    point = _point(cold)
    client = english(login(cold.aov))
    assert client.post(_url("first72_point_retire", cold, point.pk)).status_code == 302
    point.refresh_from_db()
    assert not point.is_active
    page = client.get(_url("first72_points", cold)).content.decode()
    assert "1 point no longer in use" in page
    # Its status can no longer be set.
    response = client.post(_url("first72_point_status", cold, point.pk), {"status": "open"})
    assert response.status_code == 422


def test_a_point_is_changed(cold, login):
    point = _point(cold)
    response = login(cold.aov).post(
        _url("first72_point_edit", cold, point.pk),
        _point_data(name="Kazerne Noord", is_active="on"),
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.name == "Kazerne Noord" and point.is_active


# -- vulnerable locations ----------------------------------------------------------------------


def test_a_care_home_needs_an_address_and_both_coordinates(cold, login):
    client = english(login(cold.aov))
    data = {"name": "Verpleeghuis De Es", "kind": "zorginstelling", "latitude": "52.1"}
    response = client.post(_url("first72_location_create", cold), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Give the address of the location." in page
    assert "Give both latitude and longitude, or neither." in page
    partner = services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name="Zorggroep", kind=Partner.Kind.ZORG
    )
    data.update(
        address="Esweg 4",
        longitude="5.2",
        people="120",
        dependencies=["stroom", "zorg"],
        partner=partner.pk,
    )
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    location = VulnerableLocation.objects.get()
    assert location.dependencies == ["stroom", "zorg"]
    assert location.partner == partner
    page = client.get(_url("first72_locations", cold)).content.decode()
    assert "Verpleeghuis De Es" in page and "power" in page and "Zorggroep" in page


def test_a_cluster_is_counted_per_district_never_with_an_address(cold, login):
    district = _district(cold)
    client = english(login(cold.aov))
    data = {
        "name": "Thuisdialyse Centrum",
        "kind": "thuisdialyse",
        "address": "Kerkstraat 3",
        "latitude": "52.1",
        "longitude": "5.1",
        "people": "4",
    }
    response = client.post(_url("first72_location_create", cold), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "choose the district" in page
    assert "never by address" in page
    assert "never as a point on the map" in page
    data.update(address="", latitude="", longitude="", district=district.pk)
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    cluster = VulnerableLocation.objects.get()
    assert cluster.address == "" and cluster.latitude is None and cluster.district == district


def _cluster_data(district: District, **overrides) -> dict:
    data = {"kind": "thuisdialyse", "district": district.pk, "people": "3"}
    data.update(overrides)
    return data


def test_a_cluster_gets_its_name_from_kind_and_district_never_a_typed_one(cold, login):
    district = _district(cold, name="Oosterpark")
    client = english(login(cold.aov))
    data = _cluster_data(district, name="Mevrouw Jansen, Kerkstraat 3")
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    cluster = VulnerableLocation.objects.get()
    assert cluster.name == "Home dialysis — Oosterpark"
    # No name typed at all is fine for a cluster, and its name is still made.
    data = _cluster_data(district, kind="zuurstof", people="2")
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    assert VulnerableLocation.objects.get(kind="zuurstof").name == "Oxygen at home — Oosterpark"
    # A place still needs a name.
    response = client.post(
        _url("first72_location_create", cold), {"kind": "school", "address": "Schoolplein 1"}
    )
    assert response.status_code == 422
    assert "Give the location a name." in response.content.decode()


def test_a_cluster_refuses_notes_and_needs_its_count(cold, login):
    district = _district(cold)
    client = english(login(cold.aov))
    data = _cluster_data(district, people="", notes="Dhr. de Vries, nierpatiënt")
    response = client.post(_url("first72_location_create", cold), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Leave the notes empty for a cluster" in page
    assert "A cluster is a number of people: give the number." in page
    assert "Dhr. de Vries" in page  # shown back to be removed, never saved
    assert not VulnerableLocation.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.location_save(
            organisation=cold.organisation,
            actor=cold.aov,
            kind="zuurstof",
            district=district,
            people=1,
            notes="bel mevrouw Bakker",
        )
    assert "notes" in refused.value.message_dict


def test_the_location_form_says_notes_never_describe_a_person(cold, login):
    page = english(login(cold.aov)).get(_url("first72_location_create", cold)).content.decode()
    assert "no names, addresses or other details of persons" in page
    assert "its name is made from the kind and the district" in page


def test_a_second_cluster_of_the_same_kind_in_a_district_is_refused(cold, login):
    district = _district(cold, name="Oosterpark")
    client = english(login(cold.aov))
    data = _cluster_data(district)
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    assert client.post(_url("first72_location_create", cold), data).status_code == 302  # repeat
    assert VulnerableLocation.objects.count() == 1
    response = client.post(
        _url("first72_location_create", cold), _cluster_data(district, people="5")
    )
    assert response.status_code == 422
    assert "There is already a cluster “Home dialysis — Oosterpark”" in response.content.decode()
    # Changing the one cluster's number is fine.
    cluster = VulnerableLocation.objects.get()
    response = client.post(
        _url("first72_location_edit", cold, cluster.pk),
        _cluster_data(district, people="5", name=cluster.name, is_active="on"),
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.people == 5


def test_a_cluster_follows_its_district_when_that_is_renamed(cold, login):
    district = _district(cold, name="Oosterpark")
    cluster = services.location_save(
        organisation=cold.organisation, actor=cold.aov, kind="zuurstof", district=district, people=4
    )
    services.district_save(
        organisation=cold.organisation,
        actor=cold.aov,
        district=district,
        code=district.code,
        name="Oosterpark-Noord",
    )
    cluster.refresh_from_db()
    assert cluster.name.endswith(" — Oosterpark-Noord")
    _upload(login(cold.aov), cold, "w.csv", f"code;naam\n{district.code};Oost\n".encode())
    cluster.refresh_from_db()
    assert cluster.name.endswith(" — Oost")


def test_a_double_submit_creates_one_location(cold, login):
    client = login(cold.aov)
    data = {"name": "Basisschool De Wilg", "kind": "school", "address": "Wilgenlaan 2"}
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    assert client.post(_url("first72_location_create", cold), data).status_code == 302
    assert VulnerableLocation.objects.count() == 1


def test_a_partner_of_another_organisation_cannot_be_chosen(cold, login, world):
    foreign = Partner.objects.create(organisation=world.org_b, name="Elders", kind="zorg")
    response = login(cold.aov).post(
        _url("first72_location_create", cold),
        {"name": "School", "kind": "school", "address": "Schoolplein 1", "partner": foreign.pk},
    )
    assert response.status_code == 422
    assert not VulnerableLocation.objects.exists()


# -- vulnerable groups -------------------------------------------------------------------------


def test_the_groups_page_says_only_counts_are_kept(cold, login):
    page = english(login(cold.mayor)).get(_url("first72_groups", cold)).content.decode()
    assert "Only aggregated counts are kept, never a register of people." in page


def test_a_count_is_set_and_set_again_replaces_it_with_before_and_after_audited(cold, login):
    district = _district(cold)
    client = english(login(cold.aov))
    assert (
        client.post(
            _url("first72_group_create", cold), {"name": "75+ alleenwonend", "description": ""}
        ).status_code
        == 302
    )
    group = VulnerableGroup.objects.get()
    today = timezone.localdate().isoformat()
    data = {
        "group": group.pk,
        "district": district.pk,
        "count": "312",
        "source": "CBS 2024",
        "as_of": today,
    }
    assert client.post(_url("first72_count_set", cold), data).status_code == 302
    data["count"] = "298"
    assert client.post(_url("first72_count_set", cold), data).status_code == 302
    assert client.post(_url("first72_count_set", cold), data).status_code == 302  # repeat
    count = GroupCount.objects.get()
    assert count.count == 298
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.VULNERABLE_CHANGED, detail__district=district.code
    ).order_by("at", "pk")
    assert [e.detail["after"]["count"] for e in events] == [312, 298]
    assert events[1].detail["before"]["count"] == 312
    page = client.get(_url("first72_groups", cold)).content.decode()
    assert "298" in page and "CBS 2024" in page


def test_a_count_in_the_future_or_negative_is_refused(cold, login):
    district = _district(cold)
    group = services.group_save(organisation=cold.organisation, actor=cold.aov, name="Zorg")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = english(login(cold.aov)).post(
        _url("first72_count_set", cold),
        {
            "group": group.pk,
            "district": district.pk,
            "count": "5",
            "source": "GGD",
            "as_of": tomorrow,
        },
    )
    assert response.status_code == 422
    assert "The date lies in the future" in response.content.decode()
    response = login(cold.aov).post(
        _url("first72_count_set", cold),
        {
            "group": group.pk,
            "district": district.pk,
            "count": "-5",
            "source": "GGD",
            "as_of": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422
    assert not GroupCount.objects.exists()


def test_a_group_name_that_exists_gets_a_message(cold, login):
    services.group_save(organisation=cold.organisation, actor=cold.aov, name="Zorg")
    response = english(login(cold.aov)).post(
        _url("first72_group_create", cold), {"name": "zorg", "description": "anders"}
    )
    assert response.status_code == 422
    assert "There is already a group called" in response.content.decode()


def test_a_double_submit_creates_one_group(cold, login):
    client = login(cold.aov)
    data = {"name": "Mensen met thuiszorg", "description": "Cliënten van de thuiszorg"}
    assert client.post(_url("first72_group_create", cold), data).status_code == 302
    assert client.post(_url("first72_group_create", cold), data).status_code == 302
    assert VulnerableGroup.objects.count() == 1


def test_a_csv_without_a_header_is_read_by_position(cold, login):
    response = _upload(login(cold.aov), cold, "w.csv", b"WK036301;Centrum\nWK036302;Noord\n")
    assert response.status_code == 302
    assert District.objects.count() == 2


# -- districts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "message"),
    [
        ("WK12345", "", "is not a CBS code"),
        ("XX036301", "", "is not a CBS code"),
        ("BU03630101", "wijk", "is a neighbourhood (buurt), not a district (wijk)"),
    ],
)
def test_a_cbs_code_is_checked(cold, login, code, level, message):
    response = english(login(cold.aov)).post(
        _url("first72_district_create", cold), {"code": code, "name": "Centrum", "level": level}
    )
    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_district_gets_its_level_from_the_code_and_a_duplicate_code_a_message(cold, login):
    client = english(login(cold.aov))
    data = {"code": "bu03630101", "name": "Burgwallen", "level": ""}
    assert client.post(_url("first72_district_create", cold), data).status_code == 302
    district = District.objects.get()
    assert (district.code, district.level) == ("BU03630101", "buurt")
    assert client.post(_url("first72_district_create", cold), data).status_code == 302  # repeat
    response = client.post(
        _url("first72_district_create", cold), {"code": "BU03630101", "name": "Anders"}
    )
    assert response.status_code == 422
    assert "There is already a district with the code BU03630101" in response.content.decode()
    assert District.objects.count() == 1


def _upload(client: Client, cold, name: str, content: bytes):
    return client.post(
        _url("first72_districts_import", cold),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_csv_with_bom_and_semicolons_imports_and_updates(cold, login):
    _district(cold, "WK036301", "Oud")
    client = english(login(cold.aov))
    content = "\ufeffcode;name;level\nWK036301;Centrum;wijk\nBU03630101;Burgwallen\n".encode()
    response = _upload(client, cold, "wijken.csv", content)
    assert response.status_code == 302
    assert dict(District.objects.values_list("code", "name")) == {
        "WK036301": "Centrum",
        "BU03630101": "Burgwallen",
    }
    page = client.get(response["Location"]).content.decode()
    assert "1 new, 1 changed" in page


def test_a_csv_with_commas_and_a_bad_row_imports_nothing(cold, login):
    client = english(login(cold.aov))
    content = b"code,name\nWK036301,Centrum\nWK036301,Dubbel\nBU1,Fout\n"
    response = _upload(client, cold, "wijken.csv", content)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing has been imported" in page
    assert "also in row 2" in page
    assert "is not a CBS code" in page
    assert not District.objects.exists()


def _feature(code: str, name: str, ring: list, kind: str = "Polygon") -> dict:
    coordinates = [ring] if kind == "Polygon" else [[ring]]
    return {
        "type": "Feature",
        "properties": {"statcode": code, "statnaam": name},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


RING = [[4.89, 52.37], [4.90, 52.37], [4.90, 52.38], [4.89, 52.37]]


def test_a_geojson_of_outlines_imports(cold, login):
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature("WK036301", "Centrum", RING),
            _feature("BU03630101", "Burgwallen", RING, kind="MultiPolygon"),
        ],
    }
    response = _upload(login(cold.aov), cold, "wijken.geojson", json.dumps(collection).encode())
    assert response.status_code == 302
    district = District.objects.get(code="BU03630101")
    assert district.outline["type"] == "MultiPolygon"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DISTRICTS_CHANGED).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("wijken.geojson", b"{not json", "not valid GeoJSON"),
        ("wijken.txt", b"code;name", "Choose a CSV file"),
        ("wijken.json", b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (
            "wijken.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        _feature(
                            "WK036301",
                            "Centrum",
                            [
                                [121000, 487000],
                                [122000, 487000],
                                [122000, 488000],
                                [121000, 487000],
                            ],
                        )
                    ],
                }
            ).encode(),
            "EPSG:4326",
        ),
        (
            "wijken.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        _feature(
                            "WK036301", "Centrum", [[4.9, 52.3 + i / 1e6] for i in range(50_001)]
                        )
                    ],
                }
            ).encode(),
            "more than 50.000 points",
        ),
    ],
)
def test_files_that_cannot_be_read_get_clear_messages(cold, login, name, content, message):
    response = _upload(english(login(cold.aov)), cold, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not District.objects.exists()


def test_wrong_geometries_and_swapped_coordinates_are_rejected_per_row(cold, login):
    point = {
        "type": "Feature",
        "properties": {"code": "WK036302", "naam": "Punt"},
        "geometry": {"type": "Point", "coordinates": [4.9, 52.3]},
    }
    swapped = [[52.37, 4.89], [52.37, 4.90], [52.38, 4.90], [52.37, 4.89]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature("WK036301", "Centrum", RING),
            point,
            _feature("WK036303", "Om", swapped),
        ],
    }
    response = _upload(english(login(cold.aov)), cold, "w.geojson", json.dumps(collection).encode())
    assert response.status_code == 422
    page = response.content.decode()
    assert "The geometry is Point" in page
    assert "seem to be swapped" in page
    assert not District.objects.exists()


def test_a_file_over_10_mb_is_refused(cold, login):
    response = _upload(english(login(cold.aov)), cold, "w.csv", b"x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 422
    assert "larger than 10 MB" in response.content.decode()
