"""The cold phase on people's home page ("Mijn crises", "/") and the cold phase's own overview."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resilience import selectors, services
from resilience.models import Measure, PriorityDecision

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _overdue(measure: Measure, days: int = 3) -> None:
    Measure.objects.filter(pk=measure.pk).update(due_on=timezone.localdate() - timedelta(days=days))


def _measure(cold, title: str, **fields) -> Measure:
    return services.measure_create(
        organisation=cold.organisation,
        actor=cold.aov,
        data=services.MeasureInput(
            title=title, theme="energie", phase="koude_fase", owner_function="AOV", **fields
        ),
    )


def _decide(cold, *, decided_on=None, review_on=None) -> PriorityDecision:
    today = timezone.localdate()
    scenarios = list(selectors.scenarios_of(organisation=cold.organisation)[:3])
    return services.priority_decide(
        organisation=cold.organisation,
        actor=cold.mayor,
        decided_by="burgemeester",
        decided_on=decided_on or today,
        review_on=review_on or today + timedelta(days=365),
        reasons="Stroom en systemen eerst",
        scenario_ids=[s.pk for s in scenarios],
    )


# -- the home page "/" -------------------------------------------------------------------------


def test_an_owner_sees_their_measure_on_the_home_page_marked_overdue(cold, login):
    _overdue(cold.measure)
    page = english(login(cold.owner)).get("/").content.decode()
    assert "Noodwatervoorraad voor verpleeghuizen" in page
    assert reverse("measure_detail", args=[cold.organisation.pk, cold.measure.pk]) in page
    assert "data-overdue" in page
    assert "overdue" in page
    # The owner has no role: no programme card for the organisation.
    assert 'data-testid="cold-phase-panel"' not in page


def test_a_measure_not_yet_due_is_not_marked_overdue(cold, login):
    page = login(cold.owner).get("/").content.decode()
    assert "Noodwatervoorraad voor verpleeghuizen" in page
    assert "data-overdue" not in page


def test_a_finished_measure_leaves_the_owners_home_page(cold, login):
    services.measure_progress_record(
        measure=cold.measure,
        actor=cold.owner,
        on=timezone.localdate(),
        text="Voorraad staat",
        status="gereed",
    )
    page = login(cold.owner).get("/").content.decode()
    assert "Noodwatervoorraad voor verpleeghuizen" not in page


def test_the_mayor_sees_the_programmes_state_on_the_home_page(cold, login):
    _overdue(_measure(cold, "Noodstroom gemeentehuis"))
    done = _measure(cold, "Crisiskaart gemeenteraad")
    services.measure_progress_record(
        measure=done, actor=cold.aov, on=timezone.localdate(), text="Klaar", status="gereed"
    )
    decision = _decide(cold)
    page = english(login(cold.mayor)).get("/").content.decode()
    assert 'data-testid="cold-phase-panel"' in page
    assert reverse("resilience_home", args=[cold.organisation.pk]) in page
    programme = reverse("programme_page", args=[cold.organisation.pk])
    assert f'href="{programme}?overdue=on" data-overdue-count>1<' in page
    assert "33%" in page  # one of three measures done
    for item in decision.items.all():
        assert item.title in page


def test_the_administrator_sees_the_programme_without_a_role(cold, login):
    page = login(cold.org_admin).get("/").content.decode()
    assert reverse("resilience_home", args=[cold.organisation.pk]) in page


def test_a_member_without_a_role_sees_no_cold_phase_on_the_home_page(cold, login):
    page = login(cold.member).get("/").content.decode()
    assert 'data-testid="cold-phase-panel"' not in page
    assert 'data-testid="my-measures"' not in page
    assert reverse("resilience_home", args=[cold.organisation.pk]) not in page


def test_an_outsider_sees_nothing_of_the_organisations_cold_phase(cold, login):
    _decide(cold)
    page = login(cold.outsider).get("/").content.decode()
    assert cold.organisation.name not in page
    assert cold.measure.title not in page
    assert f"/weerbaarheid/{cold.organisation.pk}/" not in page


def test_the_home_page_panel_takes_as_many_queries_for_many_measures_as_for_one(cold, login):
    client = login(cold.mayor)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(12):
        _measure(cold, f"Maatregel {n}", owner=cold.mayor)
    _decide(cold)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    # One extra for the decision's items, now there is a decision.
    assert len(many) <= len(few) + 1


# -- the overview of the cold phase ------------------------------------------------------------


def test_the_overview_shows_the_programme_state_and_what_is_due_next(cold, login):
    _overdue(_measure(cold, "Noodstroom gemeentehuis"))
    client = english(login(cold.mayor))
    response = client.get(reverse("resilience_home", args=[cold.organisation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    programme = reverse("programme_page", args=[cold.organisation.pk])
    assert f'href="{programme}?overdue=on" data-overdue-count>1<' in page
    assert "Noodstroom gemeentehuis" in page
    assert page.index("Noodstroom gemeentehuis") < page.index(cold.measure.title)  # earliest due


def test_the_overview_shows_the_decision_and_says_when_its_review_is_overdue(cold, login):
    today = timezone.localdate()
    decision = _decide(cold, decided_on=today - timedelta(days=400), review_on=today - timedelta(1))
    page = (
        english(login(cold.aov))
        .get(reverse("resilience_home", args=[cold.organisation.pk]))
        .content.decode()
    )
    first = decision.items.order_by("position").first()
    assert first is not None and first.title in page
    assert "review overdue" in page
    assert "the mayor" in page


def test_the_overview_tells_the_adviser_where_to_start(cold, login):
    Measure.objects.all().delete()
    page = (
        english(login(cold.aov))
        .get(reverse("resilience_home", args=[cold.organisation.pk]))
        .content.decode()
    )
    assert 'data-testid="first-steps"' in page
    assert "The programme plan has no measures yet." in page
    assert reverse("measure_create", args=[cold.organisation.pk]) in page
    assert "No priority decided yet." in page


def test_the_overview_counts_scored_and_unscored_scenarios(cold, login):
    count = selectors.scenarios_of(organisation=cold.organisation).count()
    page = (
        login(cold.mayor)
        .get(reverse("resilience_home", args=[cold.organisation.pk]))
        .content.decode()
    )
    assert "data-scored>0<" in page
    assert f"data-unscored>{count}<" in page


@pytest.mark.parametrize("where", ["/", "overview"])
def test_following_the_overdue_link_lists_only_the_overdue_measures(cold, login, where):
    late = _measure(cold, "Noodstroom gemeentehuis")
    _overdue(late)
    done_late = _measure(cold, "Crisiskaart gemeenteraad")
    _overdue(done_late)
    Measure.objects.filter(pk=done_late.pk).update(status="gereed")  # done: not overdue
    client = login(cold.mayor)
    page_url = "/" if where == "/" else reverse("resilience_home", args=[cold.organisation.pk])
    page = client.get(page_url).content.decode()
    link = re.search(r'href="([^"]+)" data-overdue-count>1<', page)
    assert link is not None
    listed = client.get(unescape(link.group(1)))
    assert listed.status_code == 200
    shown = {int(pk) for pk in re.findall(r'<tr id="measure-(\d+)"', listed.content.decode())}
    assert shown == {late.pk}
