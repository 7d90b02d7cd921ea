"""For the council: the programme plan and the weighing as PDF, CSV and XLSX."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from crisisroom.models import Partner
from resilience import services
from resilience.models import LIKELIHOOD, Framework, ThreatScenario
from tests.conftest import pdf_text

EXPORTS = (
    "programme_pdf",
    "weighing_pdf",
    "programme_csv",
    "programme_xlsx",
    "weighing_csv",
    "weighing_xlsx",
)


@pytest.fixture
def plan(cold):
    """Cold's programme with a scored scenario, a partner, an overdue measure with a progress
    note that types markup, a decided priority and a critical process."""
    org = cold.organisation
    today = timezone.localdate()
    scenario = services.scenario_save(
        organisation=org,
        actor=cold.aov,
        title="Langdurige stroomstoring Aadorp",
        theme="vitale_infra",
    )
    framework = Framework.objects.filter(organisation=org).order_by("-version").first()
    for criterion in framework.criteria.all():
        services.assessment_record(
            scenario=scenario,
            actor=cold.aov,
            aspect=criterion.code,
            value=4,
            reasoning="Netbeheerder",
        )
    services.assessment_record(
        scenario=scenario, actor=cold.aov, aspect=LIKELIHOOD, value=3, reasoning="Regionaal profiel"
    )
    partner = services.partner_save(
        organisation=org, actor=cold.aov, name="Woonstede", kind=Partner.Kind.WONINGCORPORATIE
    )
    late = services.measure_create(
        organisation=org,
        actor=cold.aov,
        data=services.MeasureInput(
            title="Noodstroom voor het gemeentehuis",
            theme="energie",
            phase="koude_fase",
            owner_function="Facilitair manager",
            partners=[partner],
            scenarios=[scenario],
            budget=Decimal("12500.50"),
            starts_on=today - timedelta(days=60),
            due_on=today - timedelta(days=3),
            status="loopt",
        ),
    )
    services.measure_progress_record(
        measure=late, actor=cold.aov, on=today, text="Offerte <b>aangevraagd</b>", status="loopt"
    )
    decision = services.priority_decide(
        organisation=org,
        actor=cold.mayor,
        decided_by="burgemeester",
        decided_on=today,
        review_on=today + timedelta(days=365),
        reasons="Stroom is de basis van alles <i>anders</i>.",
        scenario_ids=[scenario.pk],
    )
    services.critical_process_save(
        organisation=org,
        actor=cold.aov,
        name="Uitkeringen",
        max_outage_hours=72,
        fallback="Voorschotten contant",
        measures=[late],
    )
    return {"scenario": scenario, "late": late, "partner": partner, "decision": decision}


def _url(name, cold):
    return reverse(name, args=[cold.organisation.pk])


# -- PDFs -----------------------------------------------------------------------------------------


def test_programme_pdf_shows_the_organisation_the_measures_and_the_decision(cold, plan, login):
    response = login(cold.mayor).get(_url("programme_pdf", cold))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "programmaplan-gemeente-aadorp-" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Gemeente Aadorp" in text
    assert "Noodwatervoorraad voor verpleeghuizen" in text
    assert "Noodstroom voor het gemeentehuis" in text
    assert "Langdurige stroomstoring Aadorp" in text  # the decided priority
    assert "Uitkeringen" in text  # the critical process
    assert "Woonstede" in text


def test_programme_pdf_marks_the_overdue_measure_in_words(cold, plan, login):
    text = pdf_text(login(cold.aov).get(_url("programme_pdf", cold)).content)
    due = plan["late"].due_on.strftime("%d-%m-%Y")
    with translation.override("nl"):
        marker = gettext("OVERDUE: due %(day)s") % {"day": due}
    assert marker in text


def test_markup_someone_typed_stays_literal_text_in_the_pdfs(cold, plan, login):
    client = login(cold.aov)
    programme = pdf_text(client.get(_url("programme_pdf", cold)).content)
    assert "<b>aangevraagd</b>" in programme  # the progress note
    assert "<i>anders</i>" in programme  # the decision's reasons
    weighing = pdf_text(client.get(_url("weighing_pdf", cold)).content)
    assert "<i>anders</i>" in weighing


def test_weighing_pdf_shows_framework_ranking_and_decision(cold, plan, login):
    response = login(cold.mayor).get(_url("weighing_pdf", cold))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Gemeente Aadorp" in text
    assert "Doden" in text  # a criterion of the shipped framework
    assert "Nationale Risicobeoordeling" in text  # its shipped-default label
    assert "Langdurige stroomstoring Aadorp" in text
    assert "Stroom is de basis van alles" in text  # the decision's reasons


def test_a_later_decision_keeps_the_earlier_one_in_the_weighing_pdf(cold, plan, login):
    today = timezone.localdate()
    services.priority_decide(
        organisation=cold.organisation,
        actor=cold.mayor,
        decided_by="college",
        decided_on=today,
        review_on=today + timedelta(days=200),
        reasons="Herzien na de oefening.",
        scenario_ids=[plan["scenario"].pk],
    )
    text = pdf_text(login(cold.mayor).get(_url("weighing_pdf", cold)).content)
    assert "Herzien na de oefening." in text
    assert "Stroom is de basis van alles" in text


def test_pdfs_of_an_empty_cold_phase_still_render(cold, login):
    client = login(cold.aov)
    for name in ("programme_pdf", "weighing_pdf"):
        response = client.get(_url(name, cold))
        assert response.status_code == 200
        assert "Gemeente Aadorp" in pdf_text(response.content)


# -- CSV and XLSX ---------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Dutch Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_programme_csv_has_a_dutch_header_and_a_row_per_measure(cold, plan, login):
    response = login(cold.mayor).get(_url("programme_csv", cold))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    header = rows[0]
    assert header[:3] == ["nummer", "titel", "omschrijving"]
    assert "te laat" in header and "laatste voortgang" in header
    late = dict(zip(header, rows[2], strict=True))
    assert late["titel"] == "Noodstroom voor het gemeentehuis"
    assert late["budget"] == "12500,50"
    assert late["deadline"] == (timezone.localdate() - timedelta(days=3)).strftime("%d-%m-%Y")
    assert late["te laat"] == "ja"
    assert late["partners"] == "Woonstede"
    assert late["scenario's"] == "Langdurige stroomstoring Aadorp"
    assert "Offerte <b>aangevraagd</b>" in late["laatste voortgang"]
    on_time = dict(zip(header, rows[1], strict=True))
    assert on_time["te laat"] == "nee"
    assert on_time["eigenaar"] == "eigenaar-a"


def test_programme_xlsx_has_dates_as_dates_and_the_budget_as_a_number(cold, plan, login):
    response = login(cold.mayor).get(_url("programme_xlsx", cold))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[1] == "titel"
    row = {h: c.value for h, c in zip(header, sheet[3], strict=True)}
    assert row["titel"] == "Noodstroom voor het gemeentehuis"
    assert row["budget"] == pytest.approx(12500.50)
    assert row["deadline"].date() == timezone.localdate() - timedelta(days=3)
    assert sheet.column_dimensions["B"].width > 10


def test_weighing_exports_have_a_column_per_criterion(cold, plan, login):
    client = login(cold.mayor)
    rows = _csv_rows(client.get(_url("weighing_csv", cold)).content)
    header = rows[0]
    assert header[:6] == ["rang", "scenario", "thema", "impact", "waarschijnlijkheid", "risico"]
    assert "Doden" in header and header[-1] == "ontbrekend"
    first = dict(zip(header, rows[1], strict=True))
    assert first["rang"] == "1"
    assert first["scenario"] == "Langdurige stroomstoring Aadorp"
    assert first["Doden"] == "4"
    assert first["risico"] == "12,00"
    sheet = load_workbook(io.BytesIO(client.get(_url("weighing_xlsx", cold)).content)).active
    assert sheet["B2"].value == "Langdurige stroomstoring Aadorp"
    assert sheet["F2"].value == 12


def test_a_cell_that_would_run_as_a_formula_is_neutralised(cold, login):
    services.measure_create(
        organisation=cold.organisation,
        actor=cold.aov,
        data=services.MeasureInput(
            title='=HYPERLINK("http://evil.example","klik")',
            description="+31 6 1234 5678",
            means="@SUM(A1)",
            theme="communicatie",
            phase="eerste_72_uur",
            owner_function="-Woordvoerder",
        ),
    )
    client = login(cold.aov)
    rows = _csv_rows(client.get(_url("programme_csv", cold)).content)
    row = dict(zip(rows[0], rows[2], strict=True))
    assert row["titel"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert row["omschrijving"] == "'+31 6 1234 5678"
    assert row["middelen"] == "'@SUM(A1)"
    assert row["functie eigenaar"] == "'-Woordvoerder"
    sheet = load_workbook(io.BytesIO(client.get(_url("programme_xlsx", cold)).content)).active
    title = sheet["B3"]
    assert title.data_type == "s"  # text, never a formula
    assert title.value == '=HYPERLINK("http://evil.example","klik")'


def test_a_scenario_title_typed_as_a_formula_is_neutralised_in_the_weighing(cold, login):
    ThreatScenario.objects.create(organisation=cold.organisation, title="=1+1", theme="lokaal")
    rows = _csv_rows(login(cold.aov).get(_url("weighing_csv", cold)).content)
    assert "'=1+1" in [row[1] for row in rows]


# -- who may download ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_every_reader_may_download(cold, login, name):
    for reader in (cold.mayor, cold.aov, cold.org_admin):
        assert login(reader).get(_url(name, cold)).status_code == 200


@pytest.mark.parametrize("name", EXPORTS)
def test_someone_of_the_organisation_without_a_role_gets_404(cold, login, name):
    for person in (cold.member, cold.owner):
        assert login(person).get(_url(name, cold)).status_code == 404


@pytest.mark.parametrize("name", EXPORTS)
def test_an_outsider_gets_404(cold, login, name):
    assert login(cold.outsider).get(_url(name, cold)).status_code == 404


@pytest.mark.parametrize("name", EXPORTS)
def test_an_anonymous_visitor_is_sent_to_log_in(cold, client, name):
    response = client.get(_url(name, cold))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_only_answer_get(cold, login, name):
    assert login(cold.aov).post(_url(name, cold)).status_code == 405


def test_the_filename_names_the_document_the_organisation_and_the_day(cold, login):
    response = login(cold.aov).get(_url("weighing_xlsx", cold))
    day = timezone.localdate().strftime("%Y-%m-%d")
    assert f'filename="afweging-gemeente-aadorp-{day}.xlsx"' in response["Content-Disposition"]
