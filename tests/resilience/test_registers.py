"""The registers of the cold phase: critical processes, partners, and who has which role.

Which persona may open which register URL at all is tests/test_access_matrix.py's; here what
a user of these pages notices."""

import pytest
from django.test import Client
from django.urls import reverse

from crisisroom.models import AuditEvent, Partner
from resilience import services
from resilience.models import CriticalProcess, ResilienceRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    """The interface in English, so these tests read the msgids, whatever the translators do."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _url(name: str, cold, *args) -> str:
    return reverse(name, args=[cold.organisation.pk, *args])


def _partner(cold, name: str = "Woningcorporatie Thuis", **fields) -> Partner:
    fields.setdefault("kind", Partner.Kind.WONINGCORPORATIE)
    return services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name=name, **fields
    )


# -- critical processes ------------------------------------------------------------------------


def test_the_adviser_registers_a_critical_process_secured_by_a_measure(cold, login):
    client = english(login(cold.aov))
    response = client.post(
        _url("process_create", cold),
        {
            "name": "Uitbetaling uitkeringen",
            "max_outage_hours": "72",
            "fallback": "Handmatige betaalrun met de bank",
            "owner_function": "teamleider inkomen",
            "measures": [cold.measure.pk],
        },
    )
    assert response.status_code == 302
    process = CriticalProcess.objects.get(organisation=cold.organisation)
    assert list(process.measures.all()) == [cold.measure]
    page = client.get(_url("process_list", cold)).content.decode()
    assert "Uitbetaling uitkeringen" in page
    assert "72 hours" in page
    assert _url("measure_detail", cold, cold.measure.pk) in page
    assert "not secured" not in page


def test_a_process_no_measure_secures_says_it_is_not_secured(cold, login):
    services.critical_process_save(
        organisation=cold.organisation,
        actor=cold.aov,
        name="Burgerzaken: reisdocumenten",
        max_outage_hours=168,
        fallback="Noodpaspoorten via de marechaussee",
    )
    page = english(login(cold.mayor)).get(_url("process_list", cold)).content.decode()
    assert "Burgerzaken: reisdocumenten" in page
    assert "data-not-secured" in page
    assert "not secured" in page


def test_processes_are_listed_shortest_acceptable_outage_first(cold, login):
    for name, hours in [("Afval", 336), ("Uitkeringen", 72), ("Begraven", 24)]:
        services.critical_process_save(
            organisation=cold.organisation,
            actor=cold.aov,
            name=name,
            max_outage_hours=hours,
            fallback="Op papier",
        )
    page = login(cold.aov).get(_url("process_list", cold)).content.decode()
    assert page.index("Begraven") < page.index("Uitkeringen") < page.index("Afval")


def test_the_adviser_links_a_process_to_a_measure_when_changing_it(cold, login):
    process = services.critical_process_save(
        organisation=cold.organisation,
        actor=cold.aov,
        name="Uitkeringen",
        max_outage_hours=72,
        fallback="Handmatig",
    )
    client = login(cold.aov)
    form = client.get(_url("process_edit", cold, process.pk)).content.decode()
    assert 'value="Uitkeringen"' in form
    assert cold.measure.title in form
    assert 'name="revision" value="1"' in form
    response = client.post(
        _url("process_edit", cold, process.pk),
        {
            "name": "Uitkeringen",
            "max_outage_hours": "48",
            "fallback": "Handmatig",
            "measures": [cold.measure.pk],
            "revision": "1",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.max_outage_hours == 48
    assert list(process.measures.all()) == [cold.measure]


def _process(cold, **fields):
    fields.setdefault("name", "Uitkeringen")
    fields.setdefault("max_outage_hours", 72)
    fields.setdefault("fallback", "Handmatig")
    return services.critical_process_save(organisation=cold.organisation, actor=cold.aov, **fields)


def _process_form(**overrides) -> dict:
    return {
        "name": "Uitkeringen",
        "max_outage_hours": "72",
        "fallback": "Handmatig",
        "revision": "1",
        **overrides,
    }


def test_a_second_editor_of_a_process_gets_a_conflict_and_keeps_what_they_typed(cold, login):
    process = _process(cold, measures=[cold.measure])
    # Someone else saves first, from the same revision 1.
    services.critical_process_save(
        organisation=cold.organisation,
        actor=cold.org_admin,
        process=process,
        name="Uitkeringen",
        max_outage_hours=24,
        fallback="Noodbetaling via de bank",
        measures=[cold.measure],
        based_on_revision=1,
    )
    client = english(login(cold.aov))
    url = _url("process_edit", cold, process.pk)
    response = client.post(url, _process_form(fallback="Contant uitbetalen"))  # no measures

    assert response.status_code == 409
    page = response.content.decode()
    assert "changed this critical process" in page and "Your changes are not saved" in page
    assert "Contant uitbetalen" in page  # what they typed stays in the form
    assert "Noodbetaling via de bank" in page  # and the process as saved now is beside it
    assert 'name="revision" value="2"' in page
    saved = CriticalProcess.objects.get(pk=process.pk)
    assert saved.fallback == "Noodbetaling via de bank" and saved.max_outage_hours == 24
    assert list(saved.measures.all()) == [cold.measure]  # the links are not overwritten either

    again = client.post(url, _process_form(fallback="Contant uitbetalen", revision="2"))
    assert again.status_code == 302
    saved.refresh_from_db()
    assert saved.fallback == "Contant uitbetalen" and saved.revision == 3
    assert not saved.measures.exists()


def test_a_process_change_sent_twice_is_saved_once_without_a_conflict(cold, login):
    process = _process(cold)
    client = login(cold.aov)
    url = _url("process_edit", cold, process.pk)
    fields = _process_form(max_outage_hours="48", measures=[cold.measure.pk])
    assert client.post(url, fields).status_code == 302
    assert client.post(url, fields).status_code == 302  # still from revision 1
    process.refresh_from_db()
    assert process.revision == 2 and process.max_outage_hours == 48
    assert client.post(url, _process_form(max_outage_hours="12")).status_code == 409


def test_a_process_change_keeps_the_previous_values_in_the_audit_trail(cold, login):
    process = _process(cold, owner_function="teamleider inkomen", measures=[cold.measure])
    response = login(cold.aov).post(
        _url("process_edit", cold, process.pk), _process_form(max_outage_hours="48")
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PROCESS_CHANGED).latest("at")
    assert event.actor == cold.aov and event.detail["revision"] == 2
    assert event.detail["previous"] == {
        "name": "Uitkeringen",
        "description": "",
        "max_outage_hours": 72,
        "fallback": "Handmatig",
        "owner_function": "teamleider inkomen",
        "measures": [cold.measure.code],
    }


def test_a_process_form_without_its_revision_says_so(cold, login):
    process = _process(cold)
    fields = _process_form()
    fields.pop("revision")
    response = english(login(cold.aov)).post(_url("process_edit", cold, process.pk), fields)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "lost the version of the critical process it was opened on" in page
    process.refresh_from_db()
    assert process.revision == 1


def test_the_register_tables_scroll_by_keyboard_and_are_named(cold, login):
    _process(cold)
    _partner(cold)
    admin = login(cold.org_admin)
    for name, caption in [
        ("process_list", "processes-caption"),
        ("partner_list", "kind-1-caption"),
        ("resilience_roles", "roles-caption"),
    ]:
        page = admin.get(_url(name, cold)).content.decode()
        assert f'tabindex="0" role="region" aria-labelledby="{caption}"' in page, name
        assert f'<caption id="{caption}"' in page, name


def test_a_process_without_a_fallback_is_refused_and_nothing_is_saved(cold, login):
    response = english(login(cold.aov)).post(
        _url("process_create", cold), {"name": "Uitkeringen", "max_outage_hours": "0"}
    )
    assert response.status_code == 422
    assert 'value="Uitkeringen"' in response.content.decode()
    assert not CriticalProcess.objects.exists()


def test_a_process_of_another_organisation_cannot_be_changed_through_this_one(cold, world, login):
    other = services.critical_process_save(
        organisation=world.org_b,
        actor=cold.outsider,
        name="Klantenservice",
        max_outage_hours=4,
        fallback="Telefoon",
    )
    assert login(cold.aov).get(_url("process_edit", cold, other.pk)).status_code == 404


def test_the_mayor_reads_the_processes_but_cannot_add_one(cold, login):
    client = login(cold.mayor)
    page = client.get(_url("process_list", cold)).content.decode()
    assert _url("process_create", cold) not in page
    assert client.get(_url("process_create", cold)).status_code == 403


# -- partners ----------------------------------------------------------------------------------


def test_a_partner_with_a_name_already_in_the_register_gets_a_clear_message(cold, login):
    _partner(cold, "Veiligheidsregio Zuid", kind=Partner.Kind.VEILIGHEIDSREGIO)
    response = english(login(cold.aov)).post(
        _url("partner_create", cold),
        {"name": " Veiligheidsregio Zuid ", "kind": Partner.Kind.OVERHEID, "is_active": "on"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is already a partner called “Veiligheidsregio Zuid”" in page
    assert 'aria-invalid="true"' in page  # on the name field, where the user changes it
    assert (
        Partner.objects.filter(organisation=cold.organisation, name__icontains="Zuid").count() == 1
    )


def test_renaming_a_partner_to_a_name_in_use_is_refused_and_the_old_name_stays(cold, login):
    _partner(cold, "GGD Zuid", kind=Partner.Kind.ZORG)
    thuiszorg = _partner(cold, "Thuiszorg Aadorp", kind=Partner.Kind.ZORG)
    response = english(login(cold.aov)).post(
        _url("partner_edit", cold, thuiszorg.pk), {"name": "GGD Zuid", "kind": Partner.Kind.ZORG}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is already a partner called “GGD Zuid”" in page
    assert "Change “Thuiszorg Aadorp”" in page
    thuiszorg.refresh_from_db()
    assert thuiszorg.name == "Thuiszorg Aadorp"


def test_a_partners_name_is_shown_as_text_never_as_markup(cold, login):
    _partner(cold, "<script>alert(1)</script> B.V.", kind=Partner.Kind.BEDRIJF)
    page = login(cold.mayor).get(_url("partner_list", cold)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; B.V." in page


def test_the_partner_register_shows_the_measures_a_partner_owns_or_takes_part_in(cold, login):
    corporation = _partner(cold, "Woningcorporatie Thuis")
    red_cross = _partner(cold, "Rode Kruis Aadorp", kind=Partner.Kind.VRIJWILLIGERS)
    services.measure_create(
        organisation=cold.organisation,
        actor=cold.aov,
        data=services.MeasureInput(
            title="Noodsteunpunt in de sporthal",
            theme="noodsteunpunten",
            phase="koude_fase",
            owner_partner=red_cross,
            partners=[corporation],
        ),
    )
    page = english(login(cold.mayor)).get(_url("partner_list", cold)).content.decode()
    corporation_row = page[page.index(f'data-partner="{corporation.pk}"') :]
    corporation_row = corporation_row[: corporation_row.index("</tr>")]
    assert "Noodsteunpunt in de sporthal" in corporation_row
    assert "takes part" in corporation_row
    red_cross_row = page[page.index(f'data-partner="{red_cross.pk}"') :]
    red_cross_row = red_cross_row[: red_cross_row.index("</tr>")]
    assert "Noodsteunpunt in de sporthal" in red_cross_row
    assert "owner" in red_cross_row
    assert "Volunteer organisation" in page  # grouped by kind


def test_the_partner_register_is_the_one_the_crisis_desk_uses(cold, world, login):
    client = login(cold.aov)
    response = client.post(
        _url("partner_create", cold),
        {"name": "Waterbedrijf Zuid", "kind": Partner.Kind.KETENPARTNER, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Partner.objects.filter(organisation=world.org_a, name="Waterbedrijf Zuid").exists()


def test_the_adviser_retires_a_partner_and_the_register_says_so(cold, login):
    partner = _partner(cold, "Oude zorgaanbieder", kind=Partner.Kind.ZORG)
    client = english(login(cold.aov))
    response = client.post(
        _url("partner_edit", cold, partner.pk),
        {"name": "Oude zorgaanbieder", "kind": Partner.Kind.ZORG},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert not partner.is_active
    assert "no longer in use" in client.get(_url("partner_list", cold)).content.decode()


def test_a_partner_of_another_organisation_cannot_be_changed_through_this_one(cold, world, login):
    other = Partner.objects.create(organisation=world.org_b, name="Leverancier", kind="bedrijf")
    assert login(cold.aov).get(_url("partner_edit", cold, other.pk)).status_code == 404


# -- roles -------------------------------------------------------------------------------------


def test_the_administrator_makes_someone_the_adviser_who_then_reads_the_programme(cold, login):
    person = login(cold.member)
    assert person.get(_url("resilience_home", cold)).status_code == 404
    response = login(cold.org_admin).post(
        _url("resilience_role_set", cold), {"user": cold.member.pk, "kind": "aov"}
    )
    assert response.status_code == 302
    home = person.get(_url("resilience_home", cold))
    assert home.status_code == 200
    assert cold.measure.title in home.content.decode()  # due next in the programme
    assert person.get(_url("process_create", cold)).status_code == 200


def test_the_roles_page_shows_each_person_with_their_role(cold, login):
    page = login(cold.org_admin).get(_url("resilience_roles", cold)).content.decode()
    assert f'data-person="{cold.aov.pk}" data-role="aov"' in page
    assert f'data-person="{cold.mayor.pk}" data-role="bestuur"' in page
    assert f'data-person="{cold.member.pk}" data-role=""' in page
    assert f'data-person="{cold.outsider.pk}"' not in page


def test_the_administrator_ends_a_role(cold, login):
    login(cold.org_admin).post(_url("resilience_role_set", cold), {"user": cold.aov.pk, "kind": ""})
    assert not ResilienceRole.objects.filter(user=cold.aov).exists()
    assert login(cold.aov).get(_url("resilience_home", cold)).status_code == 404


def test_a_role_cannot_be_given_to_someone_outside_the_organisation(cold, login):
    stranger = UserFactory(username="vreemde")
    response = login(cold.org_admin).post(
        _url("resilience_role_set", cold), {"user": stranger.pk, "kind": "aov"}
    )
    assert response.status_code == 422
    assert not ResilienceRole.objects.filter(user=stranger).exists()


@pytest.mark.parametrize("persona,status", [("mayor", 403), ("aov", 403), ("member", 404)])
def test_only_administrators_manage_roles(cold, login, persona, status):
    client = login(getattr(cold, persona))
    assert client.get(_url("resilience_roles", cold)).status_code == status
    response = client.post(
        _url("resilience_role_set", cold), {"user": cold.member.pk, "kind": "aov"}
    )
    assert response.status_code == status
    assert not ResilienceRole.objects.filter(user=cold.member).exists()


@pytest.mark.parametrize(
    "name,extra",
    [
        ("process_list", ()),
        ("process_create", ()),
        ("partner_list", ()),
        ("partner_create", ()),
        ("resilience_roles", ()),
        ("resilience_home", ()),
    ],
)
def test_outsiders_get_404_on_the_registers(cold, login, name, extra):
    assert login(cold.outsider).get(_url(name, cold, *extra)).status_code == 404
