"""The programmaplan in the browser: the programme page, creating and changing a measure without
losing anyone's work, progress, old versions, and who may see and do what."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from crisisroom.models import Partner
from crisisroom.text import display_name
from resilience import services
from resilience.models import Measure, MeasureRevision, ProgressNote, ThreatScenario


def nl(msgid: str, context: str = "") -> str:
    """What the (Dutch) page says for an English msgid, before and after it is translated."""
    with translation.override("nl"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    return escape(text)


def overdue_text() -> str:
    return nl("overdue", "measure")


def page_url(cold) -> str:
    return reverse("programme_page", args=[cold.organisation.pk])


def measure_url(cold, name: str, measure=None, *extra) -> str:
    measure = measure or cold.measure
    return reverse(name, args=[cold.organisation.pk, measure.pk, *extra])


def add_measure(cold, title: str, **fields) -> Measure:
    fields.setdefault("theme", "drinkwater")
    fields.setdefault("phase", "koude_fase")
    fields.setdefault("owner_function", "teamleider burgerzaken")
    return services.measure_create(
        organisation=cold.organisation,
        actor=cold.aov,
        data=services.MeasureInput(title=title, **fields),
    )


def form_data(**overrides) -> dict:
    data = {
        "title": "Noodstroom voor het gemeentehuis",
        "description": "",
        "theme": "energie",
        "phase": "koude_fase",
        "owner_function": "facilitair manager",
        "means": "",
        "budget": "",
        "starts_on": "",
        "due_on": "",
        "status": "gepland",
    }
    data.update(overrides)
    return data


def edit_data(measure: Measure, **overrides) -> dict:
    saved = {
        "title": measure.title,
        "theme": measure.theme,
        "phase": measure.phase,
        "owner": str(measure.owner_id or ""),
        "owner_function": measure.owner_function,
        "due_on": measure.due_on.isoformat() if measure.due_on else "",
        "status": measure.status,
        "revision": str(measure.revision),
    }
    return form_data(**{**saved, **overrides})


def part(pattern: str, html: str) -> str:
    """The first piece of the page matching ``pattern``; the test fails if there is none."""
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return found.group(0)


def row_of(measure: Measure, html: str) -> str:
    return part(rf'<tr id="measure-{measure.pk}".*?</tr>', html)


def shown_measures(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="measure-(\d+)"', html)}


# -- creating --------------------------------------------------------------------------------


def test_adviser_adds_a_measure_with_scenario_owner_and_partner(cold, login):
    scenario = ThreatScenario.objects.filter(organisation=cold.organisation)[0]
    partner = Partner.objects.create(
        organisation=cold.organisation, name="Waterbedrijf Aa", kind="ketenpartner"
    )
    response = login(cold.aov).post(
        reverse("measure_create", args=[cold.organisation.pk]),
        form_data(
            scenarios=[scenario.pk],
            owner=cold.owner.pk,
            owner_partner=partner.pk,
            partners=[partner.pk],
            budget="12500.50",
            starts_on="2030-01-01",
            due_on="2030-06-30",
        ),
    )
    measure = Measure.objects.get(organisation=cold.organisation, title__startswith="Noodstroom")
    assert response.status_code == 302
    assert response.url == measure_url(cold, "measure_detail", measure)
    assert list(measure.scenarios.all()) == [scenario]
    assert list(measure.partners.all()) == [partner]
    assert measure.owner == cold.owner and str(measure.budget) == "12500.50"
    page = login(cold.aov).get(response.url).content.decode()
    assert "Noodstroom voor het gemeentehuis" in page and "Waterbedrijf Aa" in page


def test_adviser_with_dates_reversed_is_told_and_nothing_is_saved(cold, login):
    before = Measure.objects.count()
    response = login(cold.aov).post(
        reverse("measure_create", args=[cold.organisation.pk]),
        form_data(starts_on="2030-06-30", due_on="2030-01-01"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert nl("The due date lies before the start date.") in page
    assert 'value="Noodstroom voor het gemeentehuis"' in page  # what was typed stays
    assert Measure.objects.count() == before


def test_the_form_offers_only_the_organisations_own_people_and_partners(cold, world, login):
    other_partner = Partner.objects.create(
        organisation=world.org_b, name="Partner van B", kind="bedrijf"
    )
    client = login(cold.aov)
    form = client.get(reverse("measure_create", args=[cold.organisation.pk])).content.decode()
    assert "Otto Eigenaar" in form and "Partner van B" not in form
    before = Measure.objects.count()
    response = client.post(
        reverse("measure_create", args=[cold.organisation.pk]),
        form_data(owner=cold.outsider.pk, partners=[other_partner.pk]),
    )
    assert response.status_code == 422
    assert Measure.objects.count() == before


# -- two people editing the same measure ------------------------------------------------------


def test_second_edit_from_the_same_revision_gets_a_conflict_and_keeps_what_was_typed(cold, login):
    url = measure_url(cold, "measure_edit")
    opened = Measure.objects.get(pk=cold.measure.pk)  # both open revision 1
    first = login(cold.aov).post(url, edit_data(opened, title="Noodwater: 3 liter p.p."))
    assert first.status_code == 302

    second_client = login(cold.owner)
    second = second_client.post(
        url, edit_data(opened, description="Via de tappunten", means="Tankwagens")
    )

    assert second.status_code == 409
    page = second.content.decode()
    assert "Via de tappunten" in page and "Tankwagens" in page
    assert "Noodwater: 3 liter p.p." in page  # the saved measure, shown beside the form
    saved = Measure.objects.get(pk=cold.measure.pk)
    assert saved.title == "Noodwater: 3 liter p.p." and saved.means == ""
    # After comparing, saving again is possible: the form now carries the saved revision.
    assert f'name="revision" value="{saved.revision}"' in page
    again = second_client.post(
        url, edit_data(opened, means="Tankwagens", revision=str(saved.revision))
    )
    assert again.status_code == 302
    kept = Measure.objects.get(pk=cold.measure.pk)
    assert kept.means == "Tankwagens" and kept.title == "Noodwater: 3 liter p.p."


def test_the_edit_form_opens_with_the_saved_values_and_revision(cold, login):
    page = login(cold.aov).get(measure_url(cold, "measure_edit")).content.decode()
    assert 'value="Noodwatervoorraad voor verpleeghuizen"' in page
    assert 'name="revision" value="1"' in page
    assert f'value="{cold.measure.due_on.isoformat()}"' in page


# -- who sees and does what -------------------------------------------------------------------


def test_owner_without_role_updates_their_measure_and_records_progress_but_not_the_programme(
    cold, login
):
    client = login(cold.owner)
    assert client.get(page_url(cold)).status_code == 404
    detail = client.get(measure_url(cold, "measure_detail"))
    assert detail.status_code == 200
    assert measure_url(cold, "measure_edit") in detail.content.decode()
    assert client.get(measure_url(cold, "measure_edit")).status_code == 200
    edited = client.post(
        measure_url(cold, "measure_edit"), edit_data(cold.measure, means="Jerrycans")
    )
    assert edited.status_code == 302
    progress = client.post(
        measure_url(cold, "measure_progress"),
        {"on": timezone.localdate().isoformat(), "text": "Jerrycans besteld", "status": "loopt"},
    )
    assert progress.status_code == 302
    assert progress.url == measure_url(cold, "measure_detail")
    measure = Measure.objects.get(pk=cold.measure.pk)
    assert measure.means == "Jerrycans" and measure.status == "loopt"
    assert "Jerrycans besteld" in client.get(progress.url).content.decode()


def test_member_without_role_gets_404_on_the_measure(cold, login):
    client = login(cold.member)
    assert client.get(page_url(cold)).status_code == 404
    assert client.get(measure_url(cold, "measure_detail")).status_code == 404
    assert client.get(measure_url(cold, "measure_edit")).status_code == 404
    assert client.get(measure_url(cold, "measure_revision", None, 1)).status_code == 404
    assert client.post(measure_url(cold, "measure_progress"), {}).status_code == 404
    assert client.get(reverse("measure_create", args=[cold.organisation.pk])).status_code == 404


def test_outsider_gets_404_everywhere(cold, login):
    client = login(cold.outsider)
    assert client.get(page_url(cold)).status_code == 404
    assert client.get(measure_url(cold, "measure_detail")).status_code == 404
    assert client.get(measure_url(cold, "measure_edit")).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(cold, client):
    response = client.get(measure_url(cold, "measure_detail"))
    assert response.status_code == 302 and "login" in response.url


def test_progress_is_only_posted(cold, login):
    assert login(cold.aov).get(measure_url(cold, "measure_progress")).status_code == 405


def test_mayor_reads_the_programme_and_the_measure_but_may_not_change_it(cold, login):
    client = login(cold.mayor)
    assert client.get(page_url(cold)).status_code == 200
    detail = client.get(measure_url(cold, "measure_detail"))
    assert detail.status_code == 200
    assert "Noodwatervoorraad voor verpleeghuizen" in detail.content.decode()
    assert measure_url(cold, "measure_edit") not in detail.content.decode()
    assert measure_url(cold, "measure_progress") not in detail.content.decode()
    assert client.get(measure_url(cold, "measure_edit")).status_code == 403
    assert (
        client.post(measure_url(cold, "measure_edit"), edit_data(cold.measure)).status_code == 403
    )
    assert client.post(measure_url(cold, "measure_progress"), {}).status_code == 403
    assert client.get(reverse("measure_create", args=[cold.organisation.pk])).status_code == 403


def test_only_the_adviser_sees_new_measure_and_import(cold, login):
    create = reverse("measure_create", args=[cold.organisation.pk])
    assert create in login(cold.aov).get(page_url(cold)).content.decode()
    assert create not in login(cold.mayor).get(page_url(cold)).content.decode()


# -- progress ---------------------------------------------------------------------------------


def test_progress_without_text_or_in_the_future_is_refused_with_the_form_kept(cold, login):
    client = login(cold.aov)
    empty = client.post(
        measure_url(cold, "measure_progress"),
        {"on": timezone.localdate().isoformat(), "text": "  ", "status": "loopt"},
    )
    assert empty.status_code == 422
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.post(
        measure_url(cold, "measure_progress"),
        {"on": tomorrow, "text": "Alvast gedaan", "status": "loopt"},
    )
    assert future.status_code == 422
    page = future.content.decode()
    assert nl("Progress is recorded for today or a day that has passed.") in page
    assert "Alvast gedaan" in page
    assert not ProgressNote.objects.filter(measure=cold.measure).exists()


def test_progress_notes_are_listed_newest_first(cold, login):
    today = timezone.localdate()
    for days, text in [(10, "Offerte gevraagd"), (2, "Contract getekend")]:
        services.measure_progress_record(
            measure=cold.measure,
            actor=cold.aov,
            on=today - timedelta(days=days),
            text=text,
            status="loopt",
        )
    page = login(cold.mayor).get(measure_url(cold, "measure_detail")).content.decode()
    assert page.index("Contract getekend") < page.index("Offerte gevraagd")


# -- the programme page -----------------------------------------------------------------------


def test_an_overdue_measure_is_marked_in_text_on_the_programme_and_the_measure(cold, login):
    late = add_measure(cold, "Aggregaat huren", due_on=timezone.localdate() - timedelta(days=3))
    client = login(cold.mayor)
    page = client.get(page_url(cold)).content.decode()
    row = row_of(late, page)
    assert 'class="is-overdue"' in row and overdue_text() in row
    on_time = row_of(cold.measure, page)
    assert overdue_text() not in on_time
    assert overdue_text() in client.get(measure_url(cold, "measure_detail", late)).content.decode()


def test_a_finished_measure_past_its_date_is_not_overdue(cold, login):
    done = add_measure(
        cold, "Kaart noodsteunpunten", due_on=timezone.localdate() - timedelta(days=3)
    )
    Measure.objects.filter(pk=done.pk).update(status="gereed")
    page = login(cold.mayor).get(page_url(cold)).content.decode()
    row = row_of(done, page)
    assert overdue_text() not in row


def test_filters_show_only_the_matching_measures(cold, login):
    energy = add_measure(cold, "Aggregaat huren", theme="energie", status="loopt")
    late = add_measure(cold, "Waterzakken inkopen", due_on=timezone.localdate() - timedelta(days=1))
    recovery = add_measure(cold, "Nazorgplan", phase="nafase")
    client = login(cold.mayor)
    everything = client.get(page_url(cold)).content.decode()
    assert shown_measures(everything) == {cold.measure.pk, energy.pk, late.pk, recovery.pk}
    assert shown_measures(client.get(page_url(cold), {"theme": "energie"}).content.decode()) == {
        energy.pk
    }
    assert shown_measures(client.get(page_url(cold), {"phase": "nafase"}).content.decode()) == {
        recovery.pk
    }
    assert shown_measures(client.get(page_url(cold), {"status": "loopt"}).content.decode()) == {
        energy.pk
    }
    assert shown_measures(client.get(page_url(cold), {"overdue": "on"}).content.decode()) == {
        late.pk
    }
    both = client.get(page_url(cold), {"theme": "drinkwater", "overdue": "on"}).content.decode()
    assert shown_measures(both) == {late.pk}


def test_a_filter_value_that_is_no_choice_filters_nothing(cold, login):
    response = login(cold.mayor).get(page_url(cold), {"theme": "<b>onzin</b>"})
    assert response.status_code == 200
    assert shown_measures(response.content.decode()) == {cold.measure.pk}
    assert "<b>onzin</b>" not in response.content.decode()


def test_the_summary_counts_statuses_overdue_and_done(cold, login):
    add_measure(cold, "Klaar", status="gereed")
    add_measure(cold, "Te laat", due_on=timezone.localdate() - timedelta(days=1))
    page = login(cold.mayor).get(page_url(cold)).content.decode()
    summary = part(r'<section class="card programme-summary".*?</section>', page)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary))
    assert "3" in text and "33%" in text  # three measures, one of three done
    assert re.search(rf"{re.escape(overdue_text().capitalize())} 1\b", text)


def test_coverage_follows_the_decided_order_and_marks_scenarios_without_measures(cold, login):
    first, second = ThreatScenario.objects.filter(organisation=cold.organisation)[:2]
    add_measure(cold, "Noodstroom", theme="energie", scenarios=[second])
    services.priority_decide(
        organisation=cold.organisation,
        actor=cold.mayor,
        decided_by="burgemeester",
        decided_on=timezone.localdate(),
        review_on=timezone.localdate() + timedelta(days=365),
        reasons="Stroom eerst",
        scenario_ids=[second.pk, first.pk],
    )
    page = login(cold.mayor).get(page_url(cold)).content.decode()
    table = part(r'<table class="table coverage-table">.*?</table>', page)
    assert table.index(escape(second.title)) < table.index(escape(first.title))
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    covered = next(r for r in rows if escape(second.title) in r)
    gap = next(r for r in rows if escape(first.title) in r)
    assert 'class="is-gap"' in gap and nl("no measures") in gap
    assert 'class="is-gap"' not in covered and "✓" in covered and nl("covered") in covered


def test_the_timeline_is_shown_for_dated_measures(cold, login):
    page = login(cold.mayor).get(page_url(cold)).content.decode()
    assert "<svg" in page and 'role="img"' in page


def test_the_programme_page_makes_the_same_number_of_queries_for_5_and_40_measures(cold, login):
    scenarios = list(ThreatScenario.objects.filter(organisation=cold.organisation)[:2])
    partner = Partner.objects.create(
        organisation=cold.organisation, name="Woningcorporatie Aa", kind="woningcorporatie"
    )
    client = login(cold.mayor)

    def grow_to(count: int) -> None:
        today = timezone.localdate()
        while Measure.objects.filter(organisation=cold.organisation).count() < count:
            n = Measure.objects.filter(organisation=cold.organisation).count()
            add_measure(
                cold,
                f"Maatregel {n}",
                owner=cold.owner if n % 2 else None,
                owner_partner=partner if n % 3 == 0 else None,
                partners=[partner],
                scenarios=scenarios[: n % 3],
                due_on=today + timedelta(days=n - 10),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(cold)).status_code == 200
        return len(captured)

    grow_to(5)
    queries()  # the first request of a session does a little bookkeeping once
    few = queries()
    grow_to(40)
    assert queries() == few


# -- old versions and escaping -----------------------------------------------------------------


def test_an_old_version_stays_readable_after_an_edit(cold, login):
    client = login(cold.aov)
    client.post(
        measure_url(cold, "measure_edit"),
        edit_data(cold.measure, title="Noodwater voor alle zorginstellingen", status="loopt"),
    )
    assert MeasureRevision.objects.filter(measure=cold.measure).count() == 2
    reader = login(cold.mayor)
    detail = reader.get(measure_url(cold, "measure_detail")).content.decode()
    assert measure_url(cold, "measure_revision", None, 1) in detail
    old = reader.get(measure_url(cold, "measure_revision", None, 1))
    assert old.status_code == 200
    page = old.content.decode()
    assert "Noodwatervoorraad voor verpleeghuizen" in page
    assert "Noodwater voor alle zorginstellingen" not in page.split("</h1>", 1)[1]
    assert nl("planned") in page  # the status label of that version, not its code
    new = reader.get(measure_url(cold, "measure_revision", None, 2)).content.decode()
    assert "Noodwater voor alle zorginstellingen" in new
    assert reader.get(measure_url(cold, "measure_revision", None, 9)).status_code == 404


def test_user_text_is_shown_as_text_not_markup(cold, login):
    evil = '<script>alert("x")</script>'
    measure = add_measure(cold, evil, description=evil, means=evil, owner_function=evil)
    services.measure_progress_record(
        measure=measure, actor=cold.aov, on=timezone.localdate(), text=evil, status="loopt"
    )
    client = login(cold.aov)
    for url in [
        page_url(cold),
        measure_url(cold, "measure_detail", measure),
        measure_url(cold, "measure_edit", measure),
        measure_url(cold, "measure_revision", measure, 1),
    ]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert" in page, url


@pytest.mark.parametrize("name", ["measure_detail", "measure_edit"])
def test_a_measure_of_another_organisation_is_not_found_through_this_one(cold, world, login, name):
    other = services.measure_create(
        organisation=world.org_b,
        actor=None,
        data=services.MeasureInput(
            title="Van B", theme="energie", phase="koude_fase", owner_function="x"
        ),
    )
    url = reverse(name, args=[cold.organisation.pk, other.pk])
    assert login(cold.aov).get(url).status_code == 404


# -- what a measure's owner without a role sees and changes --------------------------------------


def test_the_owners_edit_page_names_nothing_of_the_organisation_beyond_their_measure(
    cold, world, login
):
    own_scenario, other_scenario = ThreatScenario.objects.filter(organisation=cold.organisation)[:2]
    own_partner = services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name="Waterbedrijf Aa", kind="ketenpartner"
    )
    services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name="Geheime partner", kind="bedrijf"
    )
    measure = Measure.objects.get(pk=cold.measure.pk)
    services.measure_update(
        measure=measure,
        actor=cold.aov,
        data=services.MeasureInput(
            title=measure.title,
            theme=measure.theme,
            phase=measure.phase,
            owner=cold.owner,
            due_on=measure.due_on,
            scenarios=[own_scenario],
            partners=[own_partner],
        ),
        based_on_revision=measure.revision,
    )
    client = login(cold.owner)

    page = client.get(measure_url(cold, "measure_edit")).content.decode()
    assert 'name="description"' in page and 'name="status"' in page
    others = (other_scenario.title, "Geheime partner", "Anke Adviseur", display_name(world.mayor))
    for hidden in others:
        assert escape(hidden) not in page, hidden
    for field in ("scenarios", "partners", "owner", "owner_partner", "budget", "title"):
        assert f'name="{field}"' not in page, field

    # Their own measure's page still names its own scenario and partner, and no other.
    detail = client.get(measure_url(cold, "measure_detail")).content.decode()
    assert escape(own_scenario.title) in detail and "Waterbedrijf Aa" in detail
    assert escape(other_scenario.title) not in detail and "Geheime partner" not in detail


def test_an_owner_cannot_relink_or_hand_over_their_measure_by_posting_more_fields(cold, login):
    scenario = ThreatScenario.objects.filter(organisation=cold.organisation)[0]
    partner = services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name="Geheime partner", kind="bedrijf"
    )
    response = login(cold.owner).post(
        measure_url(cold, "measure_edit"),
        edit_data(
            cold.measure,
            title="Van mij gemaakt",
            theme="energie",
            scenarios=[scenario.pk],
            partners=[partner.pk],
            owner=str(cold.aov.pk),
            owner_partner=str(partner.pk),
            budget="999999",
            means="Jerrycans",
            status="loopt",
        ),
    )
    assert response.status_code == 302
    measure = Measure.objects.get(pk=cold.measure.pk)
    assert measure.means == "Jerrycans" and measure.status == "loopt"  # their own fields
    assert measure.title == "Noodwatervoorraad voor verpleeghuizen"
    assert measure.theme == "drinkwater" and measure.budget is None
    assert measure.owner == cold.owner and measure.owner_partner is None
    assert not measure.scenarios.exists() and not measure.partners.exists()


def test_a_missing_revision_is_said_on_the_page(cold, login):
    fields = edit_data(cold.measure)
    fields.pop("revision")
    response = login(cold.owner).post(measure_url(cold, "measure_edit"), fields)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page
    assert (
        nl(
            "This form has lost the version of the measure it was opened on. Open the measure "
            "again and make your change once more."
        )
        in page
    )


# -- a double click ------------------------------------------------------------------------------


def test_a_new_measure_sent_twice_is_added_once(cold, login):
    client = login(cold.aov)
    url = reverse("measure_create", args=[cold.organisation.pk])
    first = client.post(url, form_data(budget="12500.5"))
    second = client.post(url, form_data(budget="12500.5"))
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Measure.objects.filter(title="Noodstroom voor het gemeentehuis").count() == 1
    # Another measure right after it is a new one.
    assert client.post(url, form_data(title="Noodstroom voor de sporthal")).status_code == 302
    assert Measure.objects.filter(organisation=cold.organisation).count() == 3


def test_the_same_title_two_minutes_later_or_with_other_content_is_a_second_measure(cold, login):
    client = login(cold.aov)
    url = reverse("measure_create", args=[cold.organisation.pk])
    client.post(url, form_data())
    client.post(url, form_data(means="Aggregaat"))
    assert Measure.objects.filter(title="Noodstroom voor het gemeentehuis").count() == 2
    Measure.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    client.post(url, form_data(means="Aggregaat"))
    assert Measure.objects.filter(title="Noodstroom voor het gemeentehuis").count() == 3


def test_a_change_sent_twice_is_saved_once_without_a_conflict(cold, login):
    client = login(cold.aov)
    url = measure_url(cold, "measure_edit")
    fields = edit_data(cold.measure, means="Tankwagens", budget="1500.5")
    first = client.post(url, fields)
    second = client.post(url, fields)  # the same form, from revision 1 again
    assert first.status_code == second.status_code == 302
    assert second.url == measure_url(cold, "measure_detail")
    assert MeasureRevision.objects.filter(measure=cold.measure).count() == 2
    # Something else from that old revision is still a conflict.
    third = client.post(url, edit_data(cold.measure, means="Waterzakken"))
    assert third.status_code == 409
    assert Measure.objects.get(pk=cold.measure.pk).means == "Tankwagens"


def test_the_same_change_by_someone_else_from_an_old_revision_is_still_a_conflict(cold, login):
    url = measure_url(cold, "measure_edit")
    fields = edit_data(cold.measure, means="Tankwagens")
    assert login(cold.aov).post(url, fields).status_code == 302
    assert login(cold.owner).post(url, fields).status_code == 409


# -- pages of measures ---------------------------------------------------------------------------


def test_sixty_measures_are_shown_fifty_at_a_time_and_page_two_keeps_the_filters(cold, login):
    created = services.measure_create_many(
        organisation=cold.organisation,
        actor=cold.aov,
        items=[
            services.MeasureInput(
                title=f"Maatregel {n}", theme="energie", phase="koude_fase", owner_function="IT"
            )
            for n in range(60)
        ],
    )
    client = login(cold.mayor)
    first = client.get(page_url(cold), {"theme": "energie"}).content.decode()
    on_first = shown_measures(first)
    assert len(on_first) == 50
    nav = part(r'<nav class="pagination".*?</nav>', first)
    assert 'href="?theme=energie&amp;pagina=2"' in nav and 'rel="next"' in nav
    assert 'rel="prev"' not in nav
    second = client.get(page_url(cold), {"theme": "energie", "pagina": "2"}).content.decode()
    on_second = shown_measures(second)
    assert len(on_second) == 10 and not on_first & on_second
    assert on_first | on_second == {m.pk for m in created}  # never the drinking water one
    assert 'href="?theme=energie&amp;pagina=1"' in part(r'<nav class="pagination".*?</nav>', second)


def test_wide_tables_of_the_programme_scroll_by_keyboard_and_are_named(cold, login):
    page = login(cold.mayor).get(page_url(cold)).content.decode()
    for caption in ("measures-caption", "coverage-caption"):
        wrapper = f'tabindex="0" role="region" aria-labelledby="{caption}"'
        assert wrapper in page and f'<caption id="{caption}"' in page
    assert 'aria-labelledby="timeline-heading"' in page
    detail = login(cold.mayor).get(measure_url(cold, "measure_detail")).content.decode()
    assert 'tabindex="0" role="region" aria-labelledby="revisions-caption"' in detail
    assert '<caption id="revisions-caption"' in detail
