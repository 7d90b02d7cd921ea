"""Scarce goods and services, their stocks, and the allocation rules decided in the cold phase.

Which persona may open which URL at all is tests/test_access_matrix.py's; here what a user of
these pages notices."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crisisroom.models import AuditEvent
from resilience import selectors, services
from resilience.models import (
    AllocationRule,
    AllocationRuleVersion,
    EmergencyPoint,
    ResilienceRole,
    ScarceGood,
    Stock,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LEGAL_MINIMUM = services.DRINKING_WATER_NORM


def english(client: Client) -> Client:
    """The interface in English, so these tests read the msgids, whatever the translators do."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _url(name: str, cold, *args) -> str:
    return reverse(name, args=[cold.organisation.pk, *args])


def _good(cold, name: str = "Drinkwater", kind: str = "drinkwater", unit: str = "liter"):
    return services.good_save(
        organisation=cold.organisation, actor=cold.aov, name=name, kind=kind, unit=unit
    )


def _point(organisation, name: str = "Buurthuis De Linde") -> EmergencyPoint:
    return EmergencyPoint.objects.create(
        organisation=organisation,
        name=name,
        kind="gemeenschapshuis",
        address="Lindeplein 1, Aadorp",
        latitude=52.1,
        longitude=5.1,
        capacity=120,
        key_holder="beheerder buurthuis",
    )


def _input(**fields) -> services.RuleVersionInput:
    values = {
        "priority_order": "Zorginstellingen\nThuisdialyse\nGezinnen met baby's",
        "decided_by": "college van B en W",
        "decided_on": timezone.localdate() - timedelta(days=30),
        "reasons": "Wie het kwetsbaarst is, eerst.",
    }
    values.update(fields)
    return services.RuleVersionInput(**values)


def _rule(cold, good=None, *, actor=None, **fields) -> AllocationRule:
    return services.rule_create(
        organisation=cold.organisation,
        actor=actor or cold.aov,
        good=good or _good(cold),
        title="Drinkwater bij uitval waterleiding",
        data=_input(**fields),
    )


def _decision_post(**fields) -> dict:
    data = {
        "priority_order": "Zorginstellingen\nThuisdialyse",
        "norm_amount": "",
        "norm_unit": "",
        "norm_source": "",
        "conditions": "",
        "decided_by": "college van B en W",
        "decided_on": timezone.localdate().isoformat(),
        "reasons": "Na de oefening bijgesteld.",
    }
    data.update(fields)
    return data


# -- access --------------------------------------------------------------------------------------


def test_readers_see_the_page_outsiders_and_members_without_a_role_do_not(cold, login):
    _good(cold)
    assert login(cold.mayor).get(_url("scarce_goods", cold)).status_code == 200
    assert login(cold.org_admin).get(_url("scarce_goods", cold)).status_code == 200
    assert login(cold.member).get(_url("scarce_goods", cold)).status_code == 404
    assert login(cold.outsider).get(_url("scarce_goods", cold)).status_code == 404
    anonymous = Client().get(_url("scarce_goods", cold))
    assert anonymous.status_code == 302


def test_a_reader_cannot_change_goods_stocks_or_rules(cold, login, world):
    good = _good(cold)
    rule = _rule(cold, good)
    services.resilience_role_set(
        organisation=cold.organisation,
        actor=cold.org_admin,
        user=world.chair,
        kind=ResilienceRole.Kind.LEZER,
    )
    client = login(world.chair)
    assert client.get(_url("scarce_goods", cold)).status_code == 200
    assert client.post(_url("scarce_good_create", cold), {"name": "X"}).status_code == 403
    assert client.get(_url("scarce_stock_create", cold, good.pk)).status_code == 403
    assert client.get(_url("allocation_rule_create", cold, good.pk)).status_code == 403
    assert client.post(_url("allocation_rule_decide", cold, rule.number)).status_code == 403
    assert client.post(_url("allocation_rule_retire", cold, rule.number)).status_code == 403
    assert AllocationRule.objects.get(pk=rule.pk).is_active


def test_the_mayor_records_decisions_but_does_not_keep_the_stocks(cold, login):
    good = _good(cold)
    client = login(cold.mayor)
    assert client.get(_url("scarce_stock_create", cold, good.pk)).status_code == 403
    assert client.get(_url("scarce_good_edit", cold, good.pk)).status_code == 403
    assert client.get(_url("allocation_rule_create", cold, good.pk)).status_code == 200


def test_another_organisations_rule_and_stock_are_not_found(cold, login):
    other = OrganisationFactory(name="Gemeente Bedorp")
    good = services.good_save(
        organisation=other, actor=None, name="Water", kind="drinkwater", unit="liter"
    )
    stock = services.stock_save(
        good=good, actor=None, place="Depot", quantity=Decimal(5), as_of=timezone.localdate()
    )
    client = login(cold.aov)
    assert client.get(_url("scarce_stock_edit", cold, stock.pk)).status_code == 404
    assert client.get(_url("scarce_good_edit", cold, good.pk)).status_code == 404
    assert client.get(_url("allocation_rule_create", cold, good.pk)).status_code == 404
    assert client.get(_url("allocation_rule", cold, 1)).status_code == 404


def test_writes_are_post_only(cold, login):
    good = _good(cold)
    stock = services.stock_save(
        good=good, actor=cold.aov, place="Depot", quantity=Decimal(1), as_of=timezone.localdate()
    )
    rule = _rule(cold, good)
    client = login(cold.aov)
    assert client.get(_url("scarce_stock_remove", cold, stock.pk)).status_code == 405
    assert client.get(_url("allocation_rule_retire", cold, rule.number)).status_code == 405
    assert client.post(_url("scarce_goods", cold)).status_code == 405


# -- goods and stocks ----------------------------------------------------------------------------


def test_the_adviser_registers_a_good_and_its_stock_with_a_total(cold, login):
    client = english(login(cold.aov))
    response = client.post(
        _url("scarce_good_create", cold),
        {"name": "Flessenwater", "kind": "drinkwater", "unit": "liter"},
    )
    assert response.status_code == 302
    good = ScarceGood.objects.get(organisation=cold.organisation)
    point = _point(cold.organisation)
    for place, point_pk, quantity in [("Gemeentewerf", "", "1000"), ("", point.pk, "250.5")]:
        response = client.post(
            _url("scarce_stock_create", cold, good.pk),
            {
                "place": place,
                "point": point_pk,
                "quantity": quantity,
                "as_of": timezone.localdate().isoformat(),
                "source": "telling AOV",
            },
        )
        assert response.status_code == 302, response.content.decode()
    assert Stock.objects.get(point=point).place == "Buurthuis De Linde"
    page = client.get(_url("scarce_goods", cold)).content.decode()
    assert "Flessenwater" in page
    assert "Gemeentewerf" in page
    assert "Buurthuis De Linde" in page
    assert "1,250.50 liter" in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SCARCE_GOOD_CHANGED).count() == 3


def test_a_good_name_is_used_once(cold, login):
    _good(cold, "Drinkwater")
    client = english(login(cold.aov))
    response = client.post(
        _url("scarce_good_create", cold),
        {"name": "drinkwater", "kind": "voedsel", "unit": "liter"},
    )
    assert response.status_code == 422
    assert "There is already a scarce good called “Drinkwater”" in response.content.decode()
    assert ScarceGood.objects.filter(organisation=cold.organisation).count() == 1


def test_the_same_new_good_submitted_twice_is_registered_once(cold, login):
    client = login(cold.aov)
    data = {"name": "Aggregaten", "kind": "aggregaten", "unit": "stuks"}
    assert client.post(_url("scarce_good_create", cold), data).status_code == 302
    assert client.post(_url("scarce_good_create", cold), data).status_code == 302
    assert ScarceGood.objects.filter(organisation=cold.organisation).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": "-5"}, "A quantity cannot be negative."),
        ({"quantity": "abc"}, "Enter a number."),
        ({"quantity": "123456789012"}, "That quantity is too large"),
        ({"as_of": "2999-01-01"}, "The date lies in the future."),
        ({"place": "", "point": ""}, "Say where the stock is, or choose a noodsteunpunt."),
    ],
)
def test_a_stock_row_is_validated_with_clear_messages(cold, login, fields, message):
    good = _good(cold)
    data = {"place": "Depot", "quantity": "10", "as_of": timezone.localdate().isoformat()}
    data.update(fields)
    response = english(login(cold.aov)).post(_url("scarce_stock_create", cold, good.pk), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Stock.objects.exists()


def test_a_noodsteunpunt_of_another_organisation_cannot_hold_the_stock(cold, login):
    good = _good(cold)
    foreign = _point(OrganisationFactory(name="Gemeente Bedorp"), "Kazerne Bedorp")
    response = english(login(cold.aov)).post(
        _url("scarce_stock_create", cold, good.pk),
        {
            "place": "Depot",
            "point": foreign.pk,
            "quantity": "10",
            "as_of": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Kazerne Bedorp" not in response.content.decode()
    assert not Stock.objects.exists()
    with pytest.raises(ValidationError, match="not one of this organisation"):
        services.stock_save(
            good=good,
            actor=cold.aov,
            place="Depot",
            point=foreign,
            quantity=Decimal(1),
            as_of=timezone.localdate(),
        )


def test_a_stock_row_is_changed_and_removed_and_a_second_remove_is_harmless(cold, login):
    good = _good(cold)
    stock = services.stock_save(
        good=good, actor=cold.aov, place="Depot", quantity=Decimal(10), as_of=timezone.localdate()
    )
    client = english(login(cold.aov))
    response = client.post(
        _url("scarce_stock_edit", cold, stock.pk),
        {"place": "Depot Noord", "quantity": "0", "as_of": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    stock.refresh_from_db()
    assert (stock.place, stock.quantity) == ("Depot Noord", Decimal(0))
    assert client.post(_url("scarce_stock_remove", cold, stock.pk)).status_code == 302
    assert not Stock.objects.exists()
    again = client.post(_url("scarce_stock_remove", cold, stock.pk), follow=True)
    assert "That stock row was removed already." in again.content.decode()
    removed = (
        AuditEvent.objects.filter(action=AuditEvent.Action.SCARCE_GOOD_CHANGED)
        .order_by("pk")
        .last()
    )
    assert removed is not None and removed.detail["removed"] is True


def test_names_are_escaped(cold, login):
    good = _good(cold, "<script>alert(1)</script>")
    services.stock_save(
        good=good,
        actor=cold.aov,
        place="<script>place()</script>",
        quantity=Decimal(1),
        as_of=timezone.localdate(),
    )
    rule = _rule(cold, good, priority_order="<script>order()</script>")
    client = login(cold.mayor)
    for url in (
        _url("scarce_goods", cold),
        _url("allocation_rule", cold, rule.number),
        _url("allocation_rule_version", cold, rule.number, 1),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "<script>place()" not in page
        assert "<script>order()" not in page
        assert "&lt;script&gt;" in page


# -- allocation rules: defaults ------------------------------------------------------------------


def test_a_drinking_water_rule_starts_from_the_labelled_legal_minimum(cold, login):
    good = _good(cold)
    page = english(login(cold.aov)).get(_url("allocation_rule_create", cold, good.pk))
    text = page.content.decode()
    assert 'value="3' in text
    assert "liter per persoon per dag" in text
    assert "Drinkwaterbesluit (nooddrinkwater)" in text
    assert "standard value from a public source" in text
    assert "There is no default priority order" in text
    # No order is prefilled: the priority order's text area is empty.
    assert 'name="priority_order" cols="40" rows="6" maxlength="4000" required' in text
    assert "</textarea>" in text.split('name="priority_order"')[1].split(">", 1)[1][:20]


def test_other_goods_get_no_default_norm(cold, login):
    good = _good(cold, "Aggregaten", "aggregaten", "stuks")
    text = english(login(cold.aov)).get(_url("allocation_rule_create", cold, good.pk))
    text = text.content.decode()
    assert "Drinkwaterbesluit" not in text
    assert "No standard value is shipped for this kind of good" in text


def test_the_default_norm_left_unchanged_is_stored_and_shown_as_a_default(cold, login):
    good = _good(cold)
    client = english(login(cold.aov))
    response = client.post(
        _url("allocation_rule_create", cold, good.pk),
        _decision_post(
            title="Drinkwater bij uitval",
            norm_amount="3",
            norm_unit=LEGAL_MINIMUM.unit,
            norm_source=LEGAL_MINIMUM.source,
        ),
    )
    assert response.status_code == 302
    version = AllocationRuleVersion.objects.get()
    assert version.norm_is_default
    page = client.get(_url("scarce_goods", cold)).content.decode()
    assert "standard value from a public source" in page
    assert "Drinkwaterbesluit (nooddrinkwater)" in page


@pytest.mark.parametrize(
    "changed",
    [{"norm_amount": "20"}, {"norm_source": "Besluit college 2025"}, {"norm_unit": "liter p.p."}],
)
def test_a_changed_norm_is_the_organisations_own(cold, changed):
    fields = {
        "norm_amount": LEGAL_MINIMUM.amount,
        "norm_unit": LEGAL_MINIMUM.unit,
        "norm_source": LEGAL_MINIMUM.source,
    }
    fields.update({k: Decimal(v) if k == "norm_amount" else v for k, v in changed.items()})
    rule = _rule(cold, **fields)
    assert not rule.versions.get().norm_is_default


def test_the_sphere_norm_on_another_good_is_not_a_default(cold):
    good = _good(cold, "Voedselpakketten", "voedsel", "pakket")
    rule = _rule(
        cold,
        good,
        norm_amount=LEGAL_MINIMUM.amount,
        norm_unit=LEGAL_MINIMUM.unit,
        norm_source=LEGAL_MINIMUM.source,
    )
    assert not rule.versions.get().norm_is_default


# -- allocation rules: deciding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"priority_order": " \n \n"}, "Give the priority order"),
        ({"reasons": ""}, "A decision needs its reasons."),
        ({"decided_on": "2999-01-01"}, "The date of the decision lies in the future."),
        ({"norm_amount": "15"}, "Give the unit of the norm"),
        ({"norm_amount": "15", "norm_unit": "liter"}, "Give the source of the norm"),
        ({"norm_unit": "liter"}, "Give the amount of the norm"),
        ({"norm_amount": "-1"}, "A norm cannot be negative."),
    ],
)
def test_a_rule_is_validated_with_clear_messages(cold, login, fields, message):
    good = _good(cold, "Aggregaten", "aggregaten", "stuks")
    response = english(login(cold.aov)).post(
        _url("allocation_rule_create", cold, good.pk),
        _decision_post(title="Aggregaten", **fields),
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not AllocationRule.objects.exists()


def test_the_same_new_rule_submitted_twice_is_created_once(cold, login):
    good = _good(cold)
    client = login(cold.aov)
    data = _decision_post(title="Drinkwater bij uitval")
    assert client.post(_url("allocation_rule_create", cold, good.pk), data).status_code == 302
    assert client.post(_url("allocation_rule_create", cold, good.pk), data).status_code == 302
    assert AllocationRule.objects.count() == 1
    assert AllocationRuleVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RULE_DECIDED).count() == 1


def test_the_mayor_records_a_new_decision_and_the_page_says_what_changed(cold, login):
    rule = _rule(cold)
    client = english(login(cold.mayor))
    form = client.get(_url("allocation_rule_decide", cold, rule.number)).content.decode()
    assert 'name="based_on" value="1"' in form
    response = client.post(
        _url("allocation_rule_decide", cold, rule.number),
        _decision_post(
            based_on="1",
            priority_order="Thuisdialyse\nZorginstellingen\nScholen",
            decided_by="burgemeester",
        ),
    )
    assert response.status_code == 302
    assert list(rule.versions.values_list("version", flat=True)) == [2, 1]
    page = client.get(_url("allocation_rule", cold, rule.number)).content.decode()
    assert page.index("Version 2") < page.index("Version 1")
    assert "What version 2 changed compared with version 1" in page
    assert "Added: Scholen" in page
    assert "removed: Gezinnen met baby&#x27;s" in page
    assert "the order changed" in page
    assert "burgemeester" in page
    old = client.get(_url("allocation_rule_version", cold, rule.number, 1)).content.decode()
    assert "An earlier version: read-only." in old
    assert "Gezinnen met baby&#x27;s" in old
    event = AuditEvent.objects.filter(action=AuditEvent.Action.RULE_DECIDED).order_by("pk").last()
    assert event is not None and event.detail["version"] == 2
    assert event.actor == cold.mayor


def test_a_stale_decision_is_refused_and_shows_the_newer_version(cold, login):
    rule = _rule(cold)
    services.rule_decide(
        rule=rule,
        actor=cold.aov,
        data=_input(priority_order="Ziekenhuis\nZorginstellingen", decided_by="college"),
        based_on_version=1,
    )
    client = english(login(cold.mayor))
    data = _decision_post(based_on="1", priority_order="Scholen")
    response = client.post(_url("allocation_rule_decide", cold, rule.number), data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Meanwhile version 2 of this rule was recorded" in text
    assert "Version 2, recorded meanwhile" in text
    assert "Ziekenhuis" in text
    assert 'name="based_on" value="2"' in text
    assert rule.versions.count() == 2
    # After comparing, the same decision goes through on the newer version.
    data["based_on"] = "2"
    assert client.post(_url("allocation_rule_decide", cold, rule.number), data).status_code == 302
    assert rule.versions.count() == 3


def test_a_decision_submitted_twice_records_one_version(cold, login):
    rule = _rule(cold)
    client = login(cold.aov)
    data = _decision_post(based_on="1", conditions="Alleen bij uitval langer dan 12 uur")
    assert client.post(_url("allocation_rule_decide", cold, rule.number), data).status_code == 302
    assert client.post(_url("allocation_rule_decide", cold, rule.number), data).status_code == 302
    assert rule.versions.count() == 2


def test_a_rule_out_of_force_stays_readable_and_takes_no_new_decision(cold, login):
    good = _good(cold)
    rule = _rule(cold, good)
    kept = _rule(cold, good, actor=cold.mayor)
    client = english(login(cold.org_admin))
    assert client.post(_url("allocation_rule_retire", cold, rule.number)).status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active
    page = client.get(_url("allocation_rule", cold, rule.number)).content.decode()
    assert "no longer in force" in page
    assert "Record a new decision" not in page
    response = client.post(
        _url("allocation_rule_decide", cold, rule.number), _decision_post(based_on="1"), follow=True
    )
    assert "is no longer in force" in response.content.decode()
    assert rule.versions.count() == 1
    current = selectors.rules_current(organisation=cold.organisation)
    assert [r.pk for r, _v in current] == [kept.pk]


# -- selectors -----------------------------------------------------------------------------------


def test_rules_current_gives_each_rule_in_force_its_latest_version_in_one_query(cold):
    water = _good(cold)
    power = _good(cold, "Aggregaten", "aggregaten", "stuks")
    first = _rule(cold, water)
    services.rule_decide(
        rule=first, actor=cold.aov, data=_input(reasons="Herzien"), based_on_version=1
    )
    second = _rule(cold, power, actor=cold.mayor)
    with CaptureQueriesContext(connection) as queries:
        current = selectors.rules_current(organisation=cold.organisation)
        assert [(r.pk, v.version, r.good.name) for r, v in current] == [
            (first.pk, 2, "Drinkwater"),
            (second.pk, 1, "Aggregaten"),
        ]
    assert len(queries) <= 3
    only_power = selectors.rules_current(organisation=cold.organisation, good_ids=[power.pk])
    assert [r.pk for r, _v in only_power] == [second.pk]
    other = OrganisationFactory(name="Gemeente Bedorp")
    assert selectors.rules_current(organisation=other) == []


def test_goods_with_stock_sums_the_stocks(cold):
    water = _good(cold)
    _good(cold, "Aggregaten", "aggregaten", "stuks")
    for quantity in ("100", "22.5"):
        services.stock_save(
            good=water,
            actor=cold.aov,
            place=f"Depot {quantity}",
            quantity=Decimal(quantity),
            as_of=timezone.localdate(),
        )
    rows = {
        row.good.name: row for row in selectors.goods_with_stock(organisation=cold.organisation)
    }
    assert rows["Drinkwater"].total == Decimal("122.5")
    assert rows["Drinkwater"].places == 2
    assert rows["Aggregaten"].total == 0


def test_the_page_reads_in_a_fixed_number_of_queries(cold, login, django_assert_max_num_queries):
    for n in range(5):
        good = _good(cold, f"Goed {n}", "voedsel", "stuks")
        services.stock_save(
            good=good,
            actor=cold.aov,
            place="Depot",
            quantity=Decimal(n),
            as_of=timezone.localdate(),
        )
        _rule(cold, good)
    client = login(cold.aov)
    with django_assert_max_num_queries(20):
        assert client.get(_url("scarce_goods", cold)).status_code == 200


def test_someone_outside_cannot_be_given_a_rule(cold):
    good = _good(cold)
    other = OrganisationFactory(name="Gemeente Bedorp")
    with pytest.raises(ValidationError, match="hoort niet bij deze organisatie"):
        services.rule_create(
            organisation=other, actor=UserFactory(), good=good, title="X", data=_input()
        )


def test_a_new_decision_on_a_water_rule_says_when_its_norm_counts_as_the_default(cold, login):
    rule = _rule(cold, norm_amount=Decimal(20), norm_unit="liter", norm_source="Eigen besluit")
    page = english(login(cold.aov)).get(_url("allocation_rule_decide", cold, rule.number))
    text = page.content.decode()
    assert "only while it says exactly 3 liter per persoon per dag" in text
    assert "The norm is prefilled" not in text
    assert 'name="norm_amount" value="20' in text
