"""Threat scenarios and the afwegingskader in the browser: the AOV describes and scores, the
framework is versioned, the mayor decides, and every old record stays readable."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from resilience import selectors, services
from resilience.models import (
    LIKELIHOOD,
    Assessment,
    Framework,
    PriorityDecision,
    RiskTheme,
    ThreatScenario,
)

pytestmark = pytest.mark.django_db


def url(name: str, cold, **kwargs) -> str:
    return reverse(name, kwargs={"pk": cold.organisation.pk, **kwargs})


def make_scenario(cold, title: str) -> ThreatScenario:
    return services.scenario_save(
        organisation=cold.organisation, actor=cold.aov, title=title, theme=RiskTheme.CYBER
    )


def current_framework(cold) -> Framework:
    framework = selectors.framework_current(organisation=cold.organisation)
    assert framework is not None
    return framework


def score_fully(cold, scenario: ThreatScenario, impact: int, likelihood: int) -> None:
    framework = current_framework(cold)
    for criterion in framework.criteria.all():
        services.assessment_record(
            scenario=scenario,
            actor=cold.aov,
            aspect=criterion.code,
            value=impact,
            reasoning=f"Impact {impact}",
        )
    services.assessment_record(
        scenario=scenario,
        actor=cold.aov,
        aspect=LIKELIHOOD,
        value=likelihood,
        reasoning=f"Kans {likelihood}",
    )


def ranking_table(html: str) -> str:
    match = re.search(r'<table class="table ranking-table">.*?</table>', html, re.S)
    assert match, "the page has a ranking table"
    return match.group(0)


def framework_post(rows: list[tuple[str, str, str]], note: str, based_on: int | None) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(len(rows)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "note": note,
        "based_on_version": "" if based_on is None else str(based_on),
    }
    for i, (code, name, weight) in enumerate(rows):
        data |= {
            f"criteria-{i}-code": code,
            f"criteria-{i}-name": name,
            f"criteria-{i}-description": "",
            f"criteria-{i}-weight": weight,
        }
    return data


# -- scenarios -----------------------------------------------------------------------------------


def test_aov_creates_a_scenario_and_finds_it_in_the_list(cold, login):
    client = login(cold.aov)
    response = client.post(
        url("scenario_create", cold),
        {
            "title": "Uitval van de telefooncentrale",
            "description": "112 en het KCC zijn onbereikbaar.",
            "theme": RiskTheme.VITALE_INFRA,
            "sources": "Regionaal risicoprofiel 2024",
        },
    )
    scenario = ThreatScenario.objects.get(title="Uitval van de telefooncentrale")
    assert response.status_code == 302
    assert response["Location"] == url("scenario_detail", cold, scenario_pk=scenario.pk)
    page = client.get(url("scenario_list", cold)).content.decode()
    assert "Uitval van de telefooncentrale" in page
    detail = client.get(response["Location"]).content.decode()
    assert (
        "112 en het KCC zijn onbereikbaar." in detail and "Regionaal risicoprofiel 2024" in detail
    )


def test_a_scenario_without_a_title_is_refused_and_nothing_is_saved(cold, login):
    before = ThreatScenario.objects.count()
    response = login(cold.aov).post(
        url("scenario_create", cold), {"title": "", "theme": RiskTheme.CYBER}
    )
    assert response.status_code == 422
    assert ThreatScenario.objects.count() == before


def test_the_shipped_examples_are_labelled_with_their_source(cold, login):
    shipped = ThreatScenario.objects.filter(organisation=cold.organisation).first()
    assert shipped is not None
    page = login(cold.mayor).get(url("scenario_list", cold)).content.decode()
    assert shipped.shipped_source and escape(shipped.shipped_source) in page


def test_aov_edits_a_shipped_example_and_it_becomes_the_organisations_own(cold, login):
    shipped = ThreatScenario.objects.filter(organisation=cold.organisation, title="Pandemie").get()
    response = login(cold.aov).post(
        url("scenario_edit", cold, scenario_pk=shipped.pk),
        {"title": "Pandemie met uitval van zorgpersoneel", "theme": RiskTheme.INFECTIEZIEKTEN},
    )
    assert response.status_code == 302
    shipped.refresh_from_db()
    assert shipped.title == "Pandemie met uitval van zorgpersoneel"
    assert shipped.shipped_source == ""


def test_aov_archives_a_scenario_and_restores_it(cold, login):
    client = login(cold.aov)
    scenario = make_scenario(cold, "Hittegolf")
    client.post(url("scenario_archive", cold, scenario_pk=scenario.pk), {"archived": "1"})
    scenario.refresh_from_db()
    assert scenario.is_archived
    weighing = client.get(url("weighing_page", cold)).content.decode()
    assert "Hittegolf" not in ranking_table(weighing)
    client.post(url("scenario_archive", cold, scenario_pk=scenario.pk), {"archived": "0"})
    scenario.refresh_from_db()
    assert not scenario.is_archived


# -- scores ------------------------------------------------------------------------------------


def test_aov_scores_a_scenario_and_the_history_keeps_the_old_score(cold, login):
    client = login(cold.aov)
    scenario = make_scenario(cold, "Drinkwater verontreinigd")
    score = url("scenario_score", cold, scenario_pk=scenario.pk)
    prefix = "score-doden-"
    client.post(
        score,
        {"aspect": "doden", prefix + "value": "2", prefix + "reasoning": "Enkele doden verwacht"},
    )
    response = client.post(
        score,
        {
            "aspect": "doden",
            prefix + "value": "4",
            prefix + "reasoning": "Kwetsbare ouderen zonder water",
            prefix + "source": "GGD-advies",
        },
    )
    assert response.status_code == 302
    scores = Assessment.objects.filter(scenario=scenario, aspect="doden")
    assert sorted(scores.values_list("value", flat=True)) == [2, 4]
    page = client.get(url("scenario_detail", cold, scenario_pk=scenario.pk)).content.decode()
    assert "Kwetsbare ouderen zonder water" in page and "GGD-advies" in page
    assert "Enkele doden verwacht" in page  # the old score, in the history


def test_a_score_without_reasoning_is_refused_and_nothing_is_recorded(cold, login):
    scenario = make_scenario(cold, "Overstroming")
    response = login(cold.aov).post(
        url("scenario_score", cold, scenario_pk=scenario.pk),
        {"aspect": LIKELIHOOD, "score-waarschijnlijkheid-value": "3"},
    )
    assert response.status_code == 422
    assert not Assessment.objects.filter(scenario=scenario).exists()


def test_a_score_out_of_range_is_refused(cold, login):
    scenario = make_scenario(cold, "Overstroming")
    response = login(cold.aov).post(
        url("scenario_score", cold, scenario_pk=scenario.pk),
        {"aspect": "doden", "score-doden-value": "9", "score-doden-reasoning": "Veel"},
    )
    assert response.status_code == 422
    assert not Assessment.objects.filter(scenario=scenario).exists()


def test_submitting_the_same_score_twice_records_it_once(cold, login):
    client = login(cold.aov)
    scenario = make_scenario(cold, "Overstroming")
    data = {
        "aspect": LIKELIHOOD,
        "score-waarschijnlijkheid-value": "3",
        "score-waarschijnlijkheid-reasoning": "Eens per eeuw",
    }
    client.post(url("scenario_score", cold, scenario_pk=scenario.pk), data)
    again = client.post(url("scenario_score", cold, scenario_pk=scenario.pk), data, follow=True)
    assert Assessment.objects.filter(scenario=scenario).count() == 1
    assert gettext("Nothing changed: this score was already recorded.") in again.content.decode()


def test_after_a_score_the_page_opens_at_the_next_aspect_to_score(cold, login):
    scenario = make_scenario(cold, "Overstroming")
    response = login(cold.aov).post(
        url("scenario_score", cold, scenario_pk=scenario.pk),
        {"aspect": "doden", "score-doden-value": "3", "score-doden-reasoning": "Enkele"},
    )
    assert response["Location"].endswith("#score-gewonden")


def test_the_ranking_on_the_weighing_page_changes_after_a_score(cold, login):
    client = login(cold.aov)
    dam = make_scenario(cold, "Dijkdoorbraak")
    heat = make_scenario(cold, "Hittegolf")
    score_fully(cold, dam, impact=3, likelihood=3)  # risk 9
    score_fully(cold, heat, impact=2, likelihood=3)  # risk 6
    table = ranking_table(client.get(url("weighing_page", cold)).content.decode())
    assert table.index("Dijkdoorbraak") < table.index("Hittegolf")
    client.post(
        url("scenario_score", cold, scenario_pk=heat.pk),
        {
            "aspect": LIKELIHOOD,
            "score-waarschijnlijkheid-value": "5",
            "score-waarschijnlijkheid-reasoning": "Elke zomer",
        },
    )  # risk 10
    table = ranking_table(client.get(url("weighing_page", cold)).content.decode())
    assert table.index("Hittegolf") < table.index("Dijkdoorbraak")


def test_a_changed_weight_that_swaps_two_scenarios_is_shown(cold, login):
    # Two criteria, 52/48: A leads on the first, B on the second.
    services.framework_revise(
        organisation=cold.organisation,
        actor=cold.aov,
        criteria=[
            services.CriterionInput(code="doden", name="Doden", description="", weight=Decimal(52)),
            services.CriterionInput(
                code="kosten", name="Kosten", description="", weight=Decimal(48)
            ),
        ],
        note="Twee criteria voor de test",
        based_on_version=1,
    )
    a, b = make_scenario(cold, "Alfa-scenario"), make_scenario(cold, "Beta-scenario")
    for scenario, doden, kosten in ((a, 5, 1), (b, 1, 5)):
        for aspect, value in (("doden", doden), ("kosten", kosten), (LIKELIHOOD, 3)):
            services.assessment_record(
                scenario=scenario, actor=cold.aov, aspect=aspect, value=value, reasoning="x"
            )
    # A: 52·5 + 48·1 → 3.08; B: 52·1 + 48·5 → 2.92. Doden −25 % (39): A 2.55 < B 3.45: swap.
    html = login(cold.mayor).get(url("weighing_page", cold)).content.decode()
    table = html[html.index('class="table sensitivity-table"') :].split("</table>")[0]
    doden_row = table[table.index("Doden") :].split("</tr>")[0]
    lower, higher = doden_row.split("</td>")[:2]
    assert "Beta-scenario" in lower and "Alfa-scenario" in lower
    assert gettext("order unchanged") in higher


# -- the framework -------------------------------------------------------------------------------


def test_weights_that_do_not_add_up_to_100_give_a_message_and_save_nothing(cold, login):
    response = login(cold.aov).post(
        url("framework_edit", cold),
        framework_post(
            [("doden", "Doden", "60"), ("kosten", "Kosten", "30")], "Minder criteria", 1
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "90" in html  # the total the user entered, in the message
    assert "Minder criteria" in html and 'value="Doden"' in html  # what was typed is kept
    assert Framework.objects.filter(organisation=cold.organisation).count() == 1


def test_aov_saves_a_new_framework_version_and_the_old_one_stays_readable(cold, login):
    client = login(cold.aov)
    response = client.post(
        url("framework_edit", cold),
        framework_post(
            [("doden", "Doden", "60"), ("kosten", "Kosten", "40,00")], "Alleen doden en kosten", 1
        ),
    )
    assert response.status_code == 302
    current = current_framework(cold)
    assert current.version == 2
    assert [c.weight for c in current.criteria.all()] == [Decimal(60), Decimal(40)]
    old = client.get(url("framework_version", cold, version=1)).content.decode()
    assert "Verstoring van het dagelijks leven" in old  # a default criterion of version 1
    new = client.get(url("framework_version", cold, version=2)).content.decode()
    assert "Alleen doden en kosten" in new


def test_a_criterion_can_be_removed_in_the_editor(cold, login):
    client = login(cold.aov)
    data = framework_post(
        [("doden", "Doden", "50"), ("kosten", "Kosten", "50"), ("milieu", "Milieu", "10")],
        "Milieu eruit",
        1,
    )
    data["criteria-2-DELETE"] = "on"
    assert client.post(url("framework_edit", cold), data).status_code == 302
    current = current_framework(cold)
    assert [c.code for c in current.criteria.all()] == ["doden", "kosten"]


def test_a_framework_edit_based_on_an_older_version_is_refused(cold, login):
    client = login(cold.aov)
    opened = client.get(url("framework_edit", cold)).content.decode()
    assert 'name="based_on_version" value="1"' in opened
    services.framework_revise(
        organisation=cold.organisation,
        actor=cold.aov,
        criteria=[services.CriterionInput("doden", "Doden", "", Decimal(100))],
        note="Intussen door een collega",
        based_on_version=1,
    )
    response = client.post(
        url("framework_edit", cold),
        framework_post([("kosten", "Kosten", "100")], "Mijn wijziging", 1),
    )
    assert response.status_code == 422
    assert "Mijn wijziging" in response.content.decode()
    assert Framework.objects.filter(organisation=cold.organisation).count() == 2
    current = current_framework(cold)
    assert [c.code for c in current.criteria.all()] == ["doden"]


# -- the priority decision -----------------------------------------------------------------------


def decision_post(order: dict[int, int | str], reasons: str, **extra) -> dict:
    today = timezone.localdate()
    data = {
        "decided_by": PriorityDecision.DecidedBy.MAYOR,
        "decided_on": today.isoformat(),
        "review_on": (today + timedelta(days=365)).isoformat(),
        "reasons": reasons,
        **extra,
    }
    for pk, position in order.items():
        data[f"position-{pk}"] = str(position)
    return data


def test_mayor_records_a_decision_and_a_second_keeps_the_first_readable(cold, login):
    client = login(cold.mayor)
    dam, heat = make_scenario(cold, "Dijkdoorbraak"), make_scenario(cold, "Hittegolf")
    score_fully(cold, dam, impact=3, likelihood=3)
    score_fully(cold, heat, impact=2, likelihood=3)
    form = client.get(url("weighing_page", cold)).content.decode()
    assert f'name="position-{dam.pk}" value="1"' in form  # prefilled from the ranking
    first = client.post(
        url("priority_decide", cold),
        decision_post({dam.pk: 1, heat.pk: 2}, "Dijken eerst: de meeste slachtoffers"),
    )
    assert first.status_code == 302
    second = client.post(
        url("priority_decide", cold),
        decision_post({heat.pk: 1}, "Na de droge zomer gaat hitte voor"),
    )
    assert second.status_code == 302
    decisions = list(PriorityDecision.objects.filter(organisation=cold.organisation))
    assert len(decisions) == 2
    old = client.get(url("priority_decision", cold, number=1)).content.decode()
    assert "Dijken eerst: de meeste slachtoffers" in old
    assert old.index("Dijkdoorbraak") < old.index("Hittegolf")
    page = client.get(url("weighing_page", cold)).content.decode()
    current = page[page.index('id="decision-heading"') : page.index('id="ranking-heading"')]
    assert "Na de droge zomer gaat hitte voor" in current
    assert url("priority_decision", cold, number=1) in current  # listed as earlier decision


def test_a_decision_keeps_the_ranking_it_was_based_on(cold, login):
    client = login(cold.mayor)
    dam = make_scenario(cold, "Dijkdoorbraak")
    score_fully(cold, dam, impact=3, likelihood=3)
    client.post(url("priority_decide", cold), decision_post({dam.pk: 1}, "Dijken eerst"))
    score_fully(cold, dam, impact=5, likelihood=5)  # later scores do not change the record
    page = client.get(url("priority_decision", cold, number=1)).content.decode()
    assert "9,00" in page or "9.00" in page
    assert "25,00" not in page and "25.00" not in page


def test_two_scenarios_with_the_same_priority_are_refused(cold, login):
    dam, heat = make_scenario(cold, "Dijkdoorbraak"), make_scenario(cold, "Hittegolf")
    response = login(cold.mayor).post(
        url("priority_decide", cold), decision_post({dam.pk: 1, heat.pk: 1}, "Allebei eerst")
    )
    assert response.status_code == 422
    assert "Allebei eerst" in response.content.decode()  # what was typed is kept
    assert not PriorityDecision.objects.exists()


def test_a_review_date_before_the_decision_is_refused(cold, login):
    dam = make_scenario(cold, "Dijkdoorbraak")
    today = timezone.localdate()
    response = login(cold.mayor).post(
        url("priority_decide", cold),
        decision_post({dam.pk: 1}, "Dijken eerst", review_on=today.isoformat()),
    )
    assert response.status_code == 422
    assert not PriorityDecision.objects.exists()


def test_an_overdue_review_stands_out_on_the_weighing_page(cold, login):
    dam = make_scenario(cold, "Dijkdoorbraak")
    long_ago = timezone.localdate() - timedelta(days=800)
    services.priority_decide(
        organisation=cold.organisation,
        actor=cold.mayor,
        decided_by=PriorityDecision.DecidedBy.COLLEGE,
        decided_on=long_ago,
        review_on=long_ago + timedelta(days=365),
        reasons="Oud besluit",
        scenario_ids=[dam.pk],
    )
    html = login(cold.mayor).get(url("weighing_page", cold)).content.decode()
    assert gettext("review overdue") in html


# -- who may do what ----------------------------------------------------------------------------


def test_a_member_without_a_cold_phase_role_gets_404(cold, login):
    client = login(cold.member)
    scenario = make_scenario(cold, "Hittegolf")
    for name, kwargs in [
        ("scenario_list", {}),
        ("scenario_detail", {"scenario_pk": scenario.pk}),
        ("weighing_page", {}),
        ("framework_version", {"version": 1}),
    ]:
        assert client.get(url(name, cold, **kwargs)).status_code == 404, name


def test_an_outsider_gets_404(cold, login):
    assert login(cold.outsider).get(url("weighing_page", cold)).status_code == 404


def test_the_mayor_reads_but_cannot_change_scenarios_or_the_framework(cold, login):
    client = login(cold.mayor)
    scenario = make_scenario(cold, "Hittegolf")
    assert client.get(url("scenario_detail", cold, scenario_pk=scenario.pk)).status_code == 200
    assert client.get(url("scenario_edit", cold, scenario_pk=scenario.pk)).status_code == 403
    assert client.post(url("scenario_create", cold), {"title": "x"}).status_code == 403
    score = {"aspect": "doden", "score-doden-value": "3", "score-doden-reasoning": "x"}
    assert (
        client.post(url("scenario_score", cold, scenario_pk=scenario.pk), score).status_code == 403
    )
    assert client.get(url("framework_edit", cold)).status_code == 403
    assert not Assessment.objects.filter(scenario=scenario).exists()


def test_the_aov_cannot_record_a_priority_decision(cold, login):
    dam = make_scenario(cold, "Dijkdoorbraak")
    response = login(cold.aov).post(
        url("priority_decide", cold), decision_post({dam.pk: 1}, "Zelf besloten")
    )
    assert response.status_code == 403
    assert not PriorityDecision.objects.exists()


def test_a_scenario_of_another_organisation_is_not_found(cold, login, world):
    other = ThreatScenario.objects.create(
        organisation=world.org_b, title="Datalek", theme=RiskTheme.CYBER
    )
    client = login(cold.aov)
    assert client.get(url("scenario_detail", cold, scenario_pk=other.pk)).status_code == 404
    response = client.post(url("scenario_archive", cold, scenario_pk=other.pk))
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.is_archived


# -- safety and speed ---------------------------------------------------------------------------


def test_a_scenario_title_with_markup_is_shown_as_text(cold, login):
    evil = make_scenario(cold, "<script>alert(1)</script>")
    score_fully(cold, evil, impact=3, likelihood=3)
    services.priority_decide(
        organisation=cold.organisation,
        actor=cold.mayor,
        decided_by=PriorityDecision.DecidedBy.MAYOR,
        decided_on=timezone.localdate(),
        review_on=timezone.localdate() + timedelta(days=30),
        reasons="<b>vet</b>",
        scenario_ids=[evil.pk],
    )
    client = login(cold.mayor)
    for page in (
        url("scenario_list", cold),
        url("scenario_detail", cold, scenario_pk=evil.pk),
        url("weighing_page", cold),
        url("priority_decision", cold, number=1),
    ):
        html = client.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, page
    assert "<b>vet</b>" not in html


def test_the_weighing_page_takes_as_many_queries_for_12_scenarios_as_for_3(cold, login):
    client = login(cold.org_admin)  # reads everything and sees the decision form
    page = url("weighing_page", cold)
    for shipped in selectors.scenarios_of(organisation=cold.organisation):
        services.scenario_archive(scenario=shipped, actor=cold.aov)

    def grow_to(count: int) -> CaptureQueriesContext:
        have = list(selectors.scenarios_of(organisation=cold.organisation))
        for i in range(len(have), count):
            scenario = make_scenario(cold, f"Scenario {i:02}")
            score_fully(cold, scenario, impact=1 + i % 5, likelihood=1 + (i * 2) % 5)
        services.priority_decide(
            organisation=cold.organisation,
            actor=cold.mayor,
            decided_by=PriorityDecision.DecidedBy.MAYOR,
            decided_on=timezone.localdate(),
            review_on=timezone.localdate() + timedelta(days=30),
            reasons=f"{count} scenario's",
            scenario_ids=[s.pk for s in selectors.scenarios_of(organisation=cold.organisation)],
        )
        client.get(page)  # anything cached per process is cached now
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page).content.decode()
        assert ranking_table(html).count("<tr") == count + 1  # the rows and the header
        return queries

    few, many = grow_to(3), grow_to(12)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_score_for_a_criterion_removed_meanwhile_is_refused_with_a_message(cold, login):
    client = login(cold.aov)
    scenario = make_scenario(cold, "Overstroming")
    services.framework_revise(
        organisation=cold.organisation,
        actor=cold.aov,
        criteria=[services.CriterionInput("kosten", "Kosten", "", Decimal(100))],
        note="Alleen kosten",
        based_on_version=1,
    )
    response = client.post(
        url("scenario_score", cold, scenario_pk=scenario.pk),
        {"aspect": "doden", "score-doden-value": "3", "score-doden-reasoning": "Enkele"},
    )
    assert response.status_code == 422
    assert gettext("This criterion is not in the current framework.") in response.content.decode()
    assert not Assessment.objects.filter(scenario=scenario).exists()


# -- a second look: double submits, no impact, ties, the diagram, the editor --------------------


def two_criteria(cold, doden: str = "50", kosten: str = "50") -> Framework:
    return services.framework_revise(
        organisation=cold.organisation,
        actor=cold.aov,
        criteria=[
            services.CriterionInput("doden", "Doden", "", Decimal(doden)),
            services.CriterionInput("kosten", "Kosten", "", Decimal(kosten)),
        ],
        note="Twee criteria voor de test",
        based_on_version=1,
    )


def score(cold, scenario: ThreatScenario, **values: int) -> None:
    for aspect, value in values.items():
        services.assessment_record(
            scenario=scenario,
            actor=cold.aov,
            aspect=LIKELIHOOD if aspect == "kans" else aspect,
            value=value,
            reasoning="Zo ingeschat",
        )


def test_the_same_priority_decision_sent_twice_is_recorded_once(cold, login):
    client = login(cold.mayor)
    dam = make_scenario(cold, "Dijkdoorbraak")
    score_fully(cold, dam, impact=3, likelihood=3)
    data = decision_post({dam.pk: 1}, "Dijken eerst")
    first = client.post(url("priority_decide", cold), data)
    again = client.post(url("priority_decide", cold), data, follow=True)
    assert PriorityDecision.objects.filter(organisation=cold.organisation).count() == 1
    assert first["Location"] == url("priority_decision", cold, number=1)
    assert again.redirect_chain[-1][0] == url("priority_decision", cold, number=1)
    page = again.content.decode()
    assert (
        escape(
            gettext(
                "Priority decision %(number)s was already recorded a moment ago; "
                "nothing new was recorded."
            )
            % {"number": 1}
        )
        in page
    )


def test_a_repeated_decision_is_new_when_changed_by_someone_else_or_later(cold):
    dam = make_scenario(cold, "Dijkdoorbraak")
    score_fully(cold, dam, impact=3, likelihood=3)
    today = timezone.localdate()
    same = {
        "organisation": cold.organisation,
        "decided_by": PriorityDecision.DecidedBy.MAYOR,
        "decided_on": today,
        "review_on": today + timedelta(days=365),
        "reasons": "Dijken eerst",
        "scenario_ids": [dam.pk],
    }
    first = services.priority_decide(actor=cold.mayor, **same)
    assert services.priority_decide(actor=cold.mayor, **same).pk == first.pk
    assert services.priority_decide(actor=cold.org_admin, **same).number == 2
    PriorityDecision.objects.filter(number=2).update(
        recorded_at=timezone.now() - timedelta(minutes=11)
    )
    assert services.priority_decide(actor=cold.org_admin, **same).number == 3
    changed = {**same, "reasons": "Dijken eerst, na de storm"}
    assert services.priority_decide(actor=cold.org_admin, **changed).number == 4


def test_the_same_framework_change_sent_twice_saves_one_version_and_no_conflict(cold, login):
    client = login(cold.aov)
    data = framework_post(
        [("doden", "Doden", "60"), ("kosten", "Kosten", "40")], "Alleen doden en kosten", 1
    )
    assert client.post(url("framework_edit", cold), data).status_code == 302
    again = client.post(url("framework_edit", cold), data, follow=True)
    assert Framework.objects.filter(organisation=cold.organisation).count() == 2
    page = again.content.decode()
    assert again.redirect_chain[-1][0] == url("weighing_page", cold)
    assert escape(CONFLICT % {"newest": 2, "mine": 1}) not in page
    assert (
        escape(
            gettext(
                "Version %(version)s of the weighing framework was already saved "
                "with these criteria a moment ago; nothing new was recorded."
            )
            % {"version": 2}
        )
        in page
    )


CONFLICT = (
    "Someone saved version %(newest)s of the framework while you were editing "
    "version %(mine)s. Open the framework again and make your change there."
)


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def test_a_colleagues_newer_framework_is_still_a_conflict(cold, world):
    two_criteria(cold)
    with pytest.raises(ValidationError) as refused:
        services.framework_revise(
            organisation=cold.organisation,
            actor=world.org_admin,
            criteria=[
                services.CriterionInput("doden", "Doden", "", Decimal(50)),
                services.CriterionInput("kosten", "Kosten", "", Decimal(50)),
            ],
            note="Twee criteria voor de test",
            based_on_version=1,
        )
    assert refusal(refused) == gettext(CONFLICT) % {"newest": 2, "mine": 1}


def test_an_impact_criterion_scored_no_impact_counts_as_zero(cold, login):
    two_criteria(cold)
    cyber = make_scenario(cold, "DDoS op de gemeente")
    client = login(cold.aov)
    page = client.get(url("scenario_detail", cold, scenario_pk=cyber.pk)).content.decode()
    no_impact = escape(gettext("0 — no impact (not applicable)"))
    doden_form = page[page.index('id="score-doden"') : page.index('id="score-kosten"')]
    likelihood_form = page[page.index(f'id="score-{LIKELIHOOD}"') :].split("</form>")[0]
    assert no_impact in doden_form and 'value="0"' in doden_form
    assert no_impact not in likelihood_form and 'value="0"' not in likelihood_form
    response = client.post(
        url("scenario_score", cold, scenario_pk=cyber.pk),
        {"aspect": "doden", "score-doden-value": "0", "score-doden-reasoning": "Geen doden"},
    )
    assert response.status_code == 302
    score(cold, cyber, kosten=4, kans=3)
    row = selectors.ranking(framework=current_framework(cold), scenarios=[cyber])[0]
    assert (row.impact, row.risk, row.rank) == (Decimal("2.00"), Decimal("6.00"), 1)


def test_a_likelihood_of_0_is_refused_with_a_message(cold, login):
    scenario = make_scenario(cold, "Overstroming")
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            scenario=scenario, actor=cold.aov, aspect=LIKELIHOOD, value=0, reasoning="Nooit"
        )
    assert refusal(refused) == gettext(
        "The likelihood is a class from A to E (1 to 5). “0 — no impact” is only for "
        "an impact criterion the scenario does not touch."
    )
    response = login(cold.aov).post(
        url("scenario_score", cold, scenario_pk=scenario.pk),
        {
            "aspect": LIKELIHOOD,
            "score-waarschijnlijkheid-value": "0",
            "score-waarschijnlijkheid-reasoning": "Nooit",
        },
    )
    assert response.status_code == 422
    assert not Assessment.objects.filter(scenario=scenario).exists()


def test_each_score_forms_class_legend_names_its_criterion(cold, login):
    scenario = make_scenario(cold, "Overstroming")
    client = login(cold.aov)
    page = client.get(url("scenario_detail", cold, scenario_pk=scenario.pk)).content.decode()
    legends = re.findall(r"<legend>(.*?)</legend>", page)
    assert escape(gettext("Class for %(criterion)s") % {"criterion": "Doden"}) in legends
    assert gettext("Likelihood class") in legends
    assert gettext("Class") not in legends
    refused = client.post(
        url("scenario_score", cold, scenario_pk=scenario.pk),
        {"aspect": "doden", "score-doden-value": "9", "score-doden-reasoning": "Veel"},
    )
    assert escape(gettext("Class for %(criterion)s") % {"criterion": "Doden"}) in re.findall(
        r"<legend>(.*?)</legend>", refused.content.decode()
    )


def test_the_likelihood_code_cannot_be_a_criterion(cold, login):
    message = gettext(
        "The code “%(code)s” is reserved for the likelihood, which every scenario is "
        "scored on besides the criteria. Give this criterion another code."
    ) % {"code": LIKELIHOOD}
    response = login(cold.aov).post(
        url("framework_edit", cold),
        framework_post([(LIKELIHOOD, "Kans", "50"), ("doden", "Doden", "50")], "Kans erbij", 1),
    )
    assert response.status_code == 422
    assert escape(message) in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.framework_revise(
            organisation=cold.organisation,
            actor=cold.aov,
            criteria=[services.CriterionInput(LIKELIHOOD, "Kans", "", Decimal(100))],
            note="Kans als criterium",
            based_on_version=1,
        )
    assert refusal(refused) == message
    assert Framework.objects.filter(organisation=cold.organisation).count() == 1


def test_an_edited_scenario_keeps_its_old_text_in_the_audit_trail(cold, login):
    from crisisroom.models import AuditEvent

    scenario = services.scenario_save(
        organisation=cold.organisation,
        actor=cold.aov,
        title="Hittegolf",
        description="Drie weken boven de 30 graden.",
        theme=RiskTheme.KLIMAAT,
        sources="KNMI",
    )
    client = login(cold.aov)
    client.post(
        url("scenario_edit", cold, scenario_pk=scenario.pk),
        {"title": "Hittegolf met droogte", "theme": RiskTheme.KLIMAAT, "description": "Nieuw"},
    )
    event = (
        AuditEvent.objects.filter(action=AuditEvent.Action.SCENARIO_CHANGED)
        .order_by("-at", "-pk")
        .first()
    )
    assert event is not None
    assert event.detail["before"] == {
        "title": "Hittegolf",
        "description": "Drie weken boven de 30 graden.",
        "theme": RiskTheme.KLIMAAT,
        "sources": "KNMI",
    }
    assert event.detail["title"] == "Hittegolf met droogte"
    page = login(cold.mayor).get(url("scenario_detail", cold, scenario_pk=scenario.pk))
    facts = page.content.decode().split('class="facts"')[1].split("</dl>")[0]
    assert gettext("Last changed") in facts and "Anke Adviseur" in facts


def test_equal_scenarios_share_a_rank_and_the_next_rank_skips(cold, login):
    for shipped in selectors.scenarios_of(organisation=cold.organisation):
        services.scenario_archive(scenario=shipped, actor=cold.aov)
    scenarios = {}
    for title, impact, likelihood in (
        ("Alfa", 4, 4),
        ("Beta", 3, 3),
        ("Gamma", 3, 3),
        ("Delta", 1, 1),
    ):
        scenarios[title] = make_scenario(cold, title)
        score_fully(cold, scenarios[title], impact=impact, likelihood=likelihood)
    rows = selectors.ranking(framework=current_framework(cold), scenarios=list(scenarios.values()))
    assert [(r.scenario.title, r.rank) for r in rows] == [
        ("Alfa", 1),
        ("Beta", 2),
        ("Gamma", 2),
        ("Delta", 4),
    ]
    # The decision form fills in a number each, so it can be sent as it is.
    client = login(cold.mayor)
    page = client.get(url("priority_decide", cold)).content.decode()
    order: dict[int, int | str] = {}
    for title, position in (("Alfa", 1), ("Beta", 2), ("Gamma", 3), ("Delta", 4)):
        assert f'name="position-{scenarios[title].pk}" value="{position}"' in page
        order[scenarios[title].pk] = position
    assert client.post(url("priority_decide", cold), decision_post(order, "Zo")).status_code == 302


def test_the_order_follows_the_unrounded_risk(cold):
    services.framework_revise(
        organisation=cold.organisation,
        actor=cold.aov,
        criteria=[
            services.CriterionInput("doden", "Doden", "", Decimal("33.33")),
            services.CriterionInput("gewonden", "Gewonden", "", Decimal("33.33")),
            services.CriterionInput("kosten", "Kosten", "", Decimal("33.34")),
        ],
        note="Drie gelijke criteria",
        based_on_version=1,
    )
    alfa, beta = make_scenario(cold, "Alfa"), make_scenario(cold, "Beta")
    score(cold, alfa, doden=3, gewonden=3, kosten=2, kans=3)  # impact 2.6666, risk 7.9998
    score(cold, beta, doden=2, gewonden=3, kosten=3, kans=3)  # impact 2.6667, risk 8.0001
    rows = selectors.ranking(framework=current_framework(cold), scenarios=[alfa, beta])
    assert [(r.scenario.title, r.rank, r.risk) for r in rows] == [
        ("Beta", 1, Decimal("8.00")),
        ("Alfa", 2, Decimal("8.00")),
    ]


def test_without_a_framework_a_likelihood_alone_ranks_nothing(cold):
    Framework.objects.filter(organisation=cold.organisation).delete()
    scenario = make_scenario(cold, "Hittegolf")
    score(cold, scenario, kans=4)
    row = selectors.ranking(framework=None, scenarios=[scenario])[0]
    assert row.rank is None and not row.is_complete and row.missing


def test_the_sensitivity_view_names_only_scenarios_that_really_move(cold, login):
    two_criteria(cold)
    alfa, beta = make_scenario(cold, "Alfa-scenario"), make_scenario(cold, "Beta-scenario")
    score(cold, alfa, doden=5, kosten=1, kans=2)  # impact 3
    score(cold, beta, doden=1, kosten=5, kans=2)  # impact 3: they share rank 1
    html = login(cold.mayor).get(url("weighing_page", cold)).content.decode()
    table = html[html.index('class="table sensitivity-table"') :].split("</table>")[0]
    doden_row = table[table.index("Doden") :].split("</tr>")[0]
    lower, higher = doden_row.split("</td>")[:2]
    # Doden 25 % lower: Alfa drops to 2; Beta stays at 1, so it is not named.
    assert (
        escape(
            gettext("%(title)s: down from %(before)s to %(after)s")
            % {"title": "Alfa-scenario", "before": 1, "after": 2}
        )
        in lower
    )
    assert "Beta-scenario" not in lower
    assert "Beta-scenario" in higher and "Alfa-scenario" not in higher


def test_a_title_with_markup_in_the_sensitivity_view_is_shown_as_text(cold, login):
    two_criteria(cold)
    evil, plain = make_scenario(cold, "<b>Vet</b>"), make_scenario(cold, "Gewoon")
    score(cold, evil, doden=5, kosten=1, kans=2)
    score(cold, plain, doden=1, kosten=5, kans=2)
    html = login(cold.mayor).get(url("weighing_page", cold)).content.decode()
    table = html[html.index('class="table sensitivity-table"') :].split("</table>")[0]
    assert "&lt;b&gt;Vet&lt;/b&gt;" in table and "<b>Vet</b>" not in table


def diagram_dots(svg: str) -> list[tuple[float, float, float]]:
    return [
        (float(x), float(y), float(r))
        for x, y, r in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    ]


def diagram_cells(svg: str) -> tuple[list[float], list[float], float]:
    """The x of each likelihood column (A first), the y of each impact row (A first, at the
    bottom) and the cell size, read from the shaded cells."""
    cells = re.findall(r'<rect x="(\d+)" y="(\d+)" width="(\d+)"', svg)
    xs = sorted({float(x) for x, _y, _w in cells})
    ys = sorted({float(y) for _x, y, _w in cells}, reverse=True)
    return xs, ys, float(cells[0][2])


def rank_row(title: str, rank: int, impact: str, likelihood: int):
    return selectors.RankRow(
        scenario=ThreatScenario(title=title),
        scores={},
        impact=Decimal(impact),
        likelihood=likelihood,
        risk=Decimal(impact) * likelihood,
        rank=rank,
    )


def test_dots_sharing_a_cell_stand_apart_inside_their_cell(cold):
    from resilience.charts import risk_diagram_svg

    rows = [rank_row(f"Scenario {i}", i, "2.50", 4) for i in range(1, 6)]  # C impact, D kans
    svg = str(risk_diagram_svg(rows))
    xs, ys, size = diagram_cells(svg)
    dots = diagram_dots(svg)
    assert len(dots) == 5
    left, top = xs[3], ys[2]  # likelihood D, impact C (2.50 rounds half up)
    for x, y, r in dots:
        assert left + r <= x <= left + size - r and top + r <= y <= top + size - r
    for i, (x1, y1, r1) in enumerate(dots):
        for x2, y2, r2 in dots[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2
    assert len({round(y) for _x, y, _r in dots}) == 2  # more than three: a second line


def test_a_scenario_with_no_impact_sits_in_class_as_row(cold):
    from resilience.charts import risk_diagram_svg

    svg = str(risk_diagram_svg([rank_row("Geen impact", 1, "0.00", 2)]))
    xs, ys, size = diagram_cells(svg)
    ((x, y, _r),) = diagram_dots(svg)
    assert ys[0] <= y <= ys[0] + size  # the bottom row: class A
    assert xs[1] <= x <= xs[1] + size


def test_many_dots_in_one_cell_still_do_not_overlap(cold):
    from resilience.charts import risk_diagram_svg

    svg = str(risk_diagram_svg([rank_row(f"S{i}", i, "5.00", 5) for i in range(1, 17)]))
    dots = diagram_dots(svg)
    assert len(dots) == 16
    for i, (x1, y1, r1) in enumerate(dots):
        for x2, y2, r2 in dots[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2


def test_the_weighing_page_explains_the_shading_and_the_ranking_rule(cold, login):
    page = login(cold.mayor).get(url("weighing_page", cold)).content.decode()
    legend = page[page.index('id="risk-diagram-legend"') :].split("</p>")[0]
    assert (
        gettext(
            "How to read the shading: the lighter a cell, the lower the risk (low impact and "
            "unlikely, bottom left); the darker, the higher the risk (high impact and likely, "
            "top right). Scenarios in the same cell stand side by side. The shading is a guide; "
            "the table above has the numbers."
        )
        in legend
    )
    rule = gettext(
        "Multiplying impact by likelihood is Crisisroom's own rule for putting the "
        "scenarios in an order to discuss; it is not the method of the national risk "
        "assessment. The regional risk profile shows impact against likelihood in a "
        "diagram, like the risk diagram below."
    )
    assert rule in page


def test_the_weighing_pdf_says_the_ranking_rule_is_crisisrooms_own(cold, login):
    from tests.conftest import pdf_text

    text = " ".join(pdf_text(login(cold.mayor).get(url("weighing_pdf", cold)).content).split())
    with translation.override("nl"):
        rule = gettext(
            "Multiplying impact by likelihood is Crisisroom's own rule for putting the "
            "scenarios in an order to discuss; it is not the method of the national risk "
            "assessment. The regional risk profile shows impact against likelihood in a "
            "diagram, like the risk diagram in this document."
        )
    assert " ".join(rule.split()[:4]) in text


def test_add_a_row_shows_one_more_empty_row_and_saves_nothing(cold, login):
    client = login(cold.aov)
    data = framework_post([("doden", "Doden", "60"), ("kosten", "Kosten", "40")], "Meer erbij", 1)
    data |= {
        "criteria-TOTAL_FORMS": "3",
        "criteria-2-code": "milieu",
        "criteria-2-name": "Milieu",
        "criteria-2-weight": "0",
        "add_row": "1",
    }
    response = client.post(url("framework_edit", cold), data)
    assert response.status_code == 200
    assert Framework.objects.filter(organisation=cold.organisation).count() == 1
    html = response.content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="4"' in html
    assert 'name="criteria-INITIAL_FORMS" value="2"' in html
    assert 'value="Milieu"' in html and "Meer erbij" in html
    assert 'name="criteria-3-name"' in html
    assert 'class="field-error"' not in html  # nothing was checked yet
    data.pop("add_row")
    data |= {
        "criteria-TOTAL_FORMS": "4",
        "criteria-3-code": "dieren",
        "criteria-3-name": "Dieren",
        "criteria-3-weight": "0",
    }
    assert client.post(url("framework_edit", cold), data).status_code == 302
    codes = [c.code for c in current_framework(cold).criteria.all()]
    assert codes == ["doden", "kosten", "milieu", "dieren"]


def test_a_decision_dated_in_the_future_is_refused(cold, login):
    dam = make_scenario(cold, "Dijkdoorbraak")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(cold.mayor).post(
        url("priority_decide", cold),
        decision_post({dam.pk: 1}, "Alvast besloten", decided_on=tomorrow.isoformat()),
    )
    assert response.status_code == 422
    message = gettext(
        "The date of the decision lies in the future. Record a decision on or after the day "
        "it was taken."
    )
    assert escape(message) in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.priority_decide(
            organisation=cold.organisation,
            actor=cold.mayor,
            decided_by=PriorityDecision.DecidedBy.MAYOR,
            decided_on=tomorrow,
            review_on=tomorrow + timedelta(days=365),
            reasons="Alvast besloten",
            scenario_ids=[dam.pk],
        )
    assert refusal(refused) == message
    assert not PriorityDecision.objects.exists()


def test_a_framework_form_without_the_version_it_was_opened_on_is_refused(cold, login):
    response = login(cold.aov).post(
        url("framework_edit", cold),
        framework_post([("doden", "Doden", "100")], "Zonder versie", None),
    )
    assert response.status_code == 422
    assert gettext("The form is incomplete; reload the page.") in response.content.decode()
    assert Framework.objects.filter(organisation=cold.organisation).count() == 1
