"""Measures imported from a spreadsheet: every row checked first, a clear report of the rejected
rows, nothing half-saved."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from crisisroom.models import AuditEvent, Partner
from resilience import services
from resilience.models import Measure

HEADER = "titel;thema;fase;eigenaar;functie eigenaar;budget;start;deadline;status;scenario's"


def _nl(message: str) -> str:
    """A message as the Dutch user reads it."""
    with translation.override("nl"):
        return translation.gettext(message)


def _file_errors(response) -> list[str]:
    return response.context["form"].errors["file"]


def _url(cold, name="measure_import"):
    return reverse(name, args=[cold.organisation.pk])


def _csv(text: str, name: str = "maatregelen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + text).encode(), content_type="text/csv")


def _xlsx(rows: list[list[object]], name: str = "maatregelen.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _titles(cold) -> list[str]:
    return list(
        Measure.objects.filter(organisation=cold.organisation)
        .order_by("number")
        .values_list("title", flat=True)
    )


def _post(client, cold, upload, valid_only=False):
    data = {"file": upload}
    if valid_only:
        data["valid_only"] = "on"
    return client.post(_url(cold), data)


@pytest.fixture
def programme(cold):
    """Cold's programme with a measure that uses every column: partners, scenarios, budget,
    dates, a function and a partner as owner."""
    partner = services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name="Woonstede", kind="woningcorporatie"
    )
    services.partner_save(
        organisation=cold.organisation, actor=cold.aov, name="Rode Kruis", kind="vrijwilligers"
    )
    scenario = services.scenario_save(
        organisation=cold.organisation, actor=cold.aov, title="Stroomstoring", theme="vitale_infra"
    )
    today = timezone.localdate()
    services.measure_create(
        organisation=cold.organisation,
        actor=cold.aov,
        data=services.MeasureInput(
            title="Noodstroom gemeentehuis",
            description="Aggregaat voor 72 uur.\nMet brandstof.",
            theme="energie",
            phase="koude_fase",
            owner=cold.aov,
            owner_function="Facilitair manager",
            owner_partner=partner,
            partners=list(Partner.objects.filter(organisation=cold.organisation)),
            scenarios=[scenario],
            means="Offerte",
            budget=Decimal("1250.50"),
            starts_on=today - timedelta(days=10),
            due_on=today + timedelta(days=50),
            status="loopt",
        ),
    )
    return cold


# -- the round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["programme_csv", "programme_xlsx"])
def test_an_exported_programme_imports_back_as_new_measures(programme, login, kind):
    cold = programme
    client = login(cold.aov)
    exported = client.get(_url(cold, kind)).content
    before = list(Measure.objects.filter(organisation=cold.organisation).order_by("number"))
    upload = SimpleUploadedFile(f"programma.{kind.split('_')[1]}", exported)
    response = _post(client, cold, upload)
    assert response.status_code == 302
    assert response["Location"] == _url(cold, "programme_page")
    titles = [m.title for m in before]
    assert _titles(cold) == titles + titles
    copy = Measure.objects.get(organisation=cold.organisation, number=len(before) + 2)
    original = before[1]
    assert copy.title == "Noodstroom gemeentehuis"
    for name in (
        "description",
        "theme",
        "phase",
        "owner",
        "owner_function",
        "owner_partner",
        "means",
        "budget",
        "starts_on",
        "due_on",
        "status",
    ):
        assert getattr(copy, name) == getattr(original, name), name
    assert {p.name for p in copy.partners.all()} == {"Woonstede", "Rode Kruis"}
    assert [s.title for s in copy.scenarios.all()] == ["Stroomstoring"]


def test_an_import_is_audited_once_with_the_count(cold, login):
    upload = _csv(
        "titel;thema;fase;functie eigenaar\n"
        "Noodwater;drinkwater;koude_fase;AOV\n"
        "Noodradio;communicatie;eerste_72_uur;Communicatieadviseur\n"
    )
    assert _post(login(cold.aov), cold, upload).status_code == 302
    events = AuditEvent.objects.filter(action=AuditEvent.Action.MEASURES_IMPORTED)
    assert events.count() == 1
    assert events.get().detail["count"] == 2
    assert events.get().actor == cold.aov


def test_dutch_spellings_of_labels_dates_amounts_and_names_are_understood(cold, login):
    upload = _csv(
        f"{HEADER}\n"
        "Noodstroom;energie;Koude fase;Otto Eigenaar;;1.234,56;01-03-2025;2025-06-30;gepland;\n"
        "Radio;Communication without internet;first 72 hours;aov-a;;12.500;1/3/2025;;LOOPT;\n"
    )
    assert _post(login(cold.aov), cold, upload).status_code == 302
    first, second = Measure.objects.filter(organisation=cold.organisation).order_by("number")[1:]
    assert first.owner == cold.owner
    assert first.phase == "koude_fase"
    assert first.budget == Decimal("1234.56")
    assert (first.starts_on, first.due_on) == (date(2025, 3, 1), date(2025, 6, 30))
    assert second.theme == "communicatie" and second.phase == "eerste_72_uur"
    assert second.owner == cold.aov and second.status == "loopt"
    assert second.budget == Decimal("12500")


def test_an_xlsx_with_real_dates_and_numbers_imports(cold, login):
    upload = _xlsx(
        [
            ["Titel", "Thema", "Fase", "Functie eigenaar", "Budget", "Start", "Deadline", "Extra"],
            ["Aggregaat", "energie", "koude_fase", "AOV", 2500.75, date(2025, 1, 6), None, "x"],
        ]
    )
    assert _post(login(cold.aov), cold, upload).status_code == 302
    measure = Measure.objects.get(organisation=cold.organisation, title="Aggregaat")
    assert measure.budget == Decimal("2500.75")
    assert measure.starts_on == date(2025, 1, 6)


# -- rejected rows --------------------------------------------------------------------------------

ONE_BAD_ROW = (
    "titel;thema;fase;functie eigenaar;start;deadline\n"
    "Noodwater;drinkwater;koude_fase;AOV;;\n"
    "Verkeerd om;voedsel;koude_fase;AOV;10-05-2025;01-05-2025\n"
    "Noodradio;communicatie;eerste_72_uur;Woordvoerder;;\n"
)


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(cold, login):
    response = _post(login(cold.aov), cold, _csv(ONE_BAD_ROW))
    assert response.status_code == 422
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.MEASURES_IMPORTED).exists()
    check = response.context["check"]
    assert [(r.row, r.title) for r in check.rejected] == [(3, "Verkeerd om")]
    assert check.rejected[0].errors == [_nl("The due date lies before the start date.")]
    page = response.content.decode()
    assert "Verkeerd om" in page
    assert '<th scope="row">3</th>' in page
    # The report scrolls sideways by keyboard on a phone, named by its caption.
    assert 'tabindex="0" role="region" aria-labelledby="rejected-caption"' in page
    assert '<caption id="rejected-caption"' in page


def test_ticking_the_box_imports_the_valid_rows_together(cold, login):
    response = _post(login(cold.aov), cold, _csv(ONE_BAD_ROW), valid_only=True)
    assert response.status_code == 302
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen", "Noodwater", "Noodradio"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.MEASURES_IMPORTED)
    assert event.detail["count"] == 2 and event.detail["rejected"] == 1


def test_every_problem_of_a_row_is_reported(cold, login):
    upload = _csv(
        f"{HEADER}\n;onbekend;koude_fase;Niemand Bekend;;veel;31-02-2025;morgen;klaar;Buitenaards\n"
    )
    response = _post(login(cold.aov), cold, upload, valid_only=True)
    assert response.status_code == 422
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen"]
    not_a_choice = _nl("%(column)s: “%(value)s” is not one of the choices.")
    not_a_date = _nl("%(column)s: “%(value)s” is not a date; write it as dd-mm-yyyy.")
    assert response.context["check"].rejected[0].errors == [
        _nl("%(column)s: empty, and it is required.") % {"column": "titel"},
        not_a_choice % {"column": "thema", "value": "onbekend"},
        not_a_choice % {"column": "status", "value": "klaar"},
        _nl("eigenaar: nobody of the organisation has the username or name “%(value)s”.")
        % {"value": "Niemand Bekend"},
        _nl("scenario's: no current threat scenario is called “%(value)s”.")
        % {"value": "Buitenaards"},
        _nl("budget: “%(value)s” is not an amount in euros, such as 12500 or 1.250,50.")
        % {"value": "veel"},
        not_a_date % {"column": "start", "value": "31-02-2025"},
        not_a_date % {"column": "deadline", "value": "morgen"},
    ]


def test_a_row_without_an_owner_is_rejected_by_the_same_rule_as_the_form(cold, login):
    response = _post(login(cold.aov), cold, _csv("titel;thema;fase\nZonder eigenaar;zorg;nafase\n"))
    assert response.status_code == 422
    assert response.context["check"].rejected[0].errors == [
        _nl("Name an owner: a person, a function or a partner.")
    ]


def test_a_person_of_another_organisation_cannot_own_an_imported_measure(cold, login):
    upload = _csv(f"titel;thema;fase;eigenaar\nVan buiten;zorg;nafase;{cold.outsider.username}\n")
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert response.context["check"].rejected[0].errors == [
        _nl("eigenaar: nobody of the organisation has the username or name “%(value)s”.")
        % {"value": cold.outsider.username}
    ]


def test_a_title_that_is_too_long_is_rejected_with_its_column(cold, login):
    upload = _csv(f"titel;thema;fase;functie eigenaar\n{'x' * 201};zorg;nafase;AOV\n")
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert response.context["check"].rejected[0].errors[0].startswith("titel: ")


# -- files that are not what they say ------------------------------------------------------------


def test_garbage_bytes_as_xlsx_get_a_clear_message(cold, login):
    upload = SimpleUploadedFile("maatregelen.xlsx", b"\x00\x01garbage\xff" * 100)
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl(
            "This file is not an Excel workbook (.xlsx). Save it from your spreadsheet "
            "program as .xlsx or as CSV UTF-8."
        )
    ]
    assert _file_errors(response)[0] in response.content.decode()
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen"]


def test_a_broken_zip_as_xlsx_gets_a_clear_message(cold, login):
    upload = SimpleUploadedFile("maatregelen.xlsx", b"PK\x03\x04" + b"kapot" * 100)
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl("This Excel workbook cannot be read. Save it again as .xlsx or as CSV UTF-8.")
    ]


def test_a_workbook_that_unpacks_to_a_huge_size_is_refused(cold, login):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "a" * (70 * 1024 * 1024))
    response = _post(login(cold.aov), cold, SimpleUploadedFile("bom.xlsx", packed.getvalue()))
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl("This Excel workbook is too large to read. Save it as CSV UTF-8.")
    ]


def test_binary_garbage_as_csv_gets_a_clear_message(cold, login):
    upload = SimpleUploadedFile("maatregelen.csv", bytes(range(256)) * 20)
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl(
            "This file is not a readable CSV file: its characters are not UTF-8 text. "
            "Save it from your spreadsheet program as CSV UTF-8 or as an Excel workbook "
            "(.xlsx)."
        )
    ]


def test_a_windows_1252_csv_from_excel_is_read(cold, login):
    content = "titel;thema;fase;functie eigenaar\nCrisiscommunicatie café;zorg;nafase;AOV\n"
    upload = SimpleUploadedFile("maatregelen.csv", content.encode("cp1252"))
    assert _post(login(cold.aov), cold, upload).status_code == 302
    assert "Crisiscommunicatie café" in _titles(cold)


def test_a_file_without_a_header_row_gets_a_clear_message(cold, login):
    response = _post(login(cold.aov), cold, _csv("Noodwater;drinkwater;koude_fase\n"))
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl(
            "The first row of the file does not name the columns. It needs at least "
            "the columns titel, thema and fase, as in the exported programme plan."
        )
    ]


def test_a_file_missing_a_required_column_says_which(cold, login):
    response = _post(login(cold.aov), cold, _csv("titel;thema\nNoodwater;drinkwater\n"))
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl("The file misses the column(s) %(columns)s.") % {"columns": "fase"}
    ]


def test_another_kind_of_file_is_refused(cold, login):
    upload = SimpleUploadedFile("maatregelen.ods", b"whatever")
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert _file_errors(response) == [_nl("Choose a .csv or .xlsx file.")]


def test_a_file_over_2_mb_is_refused(cold, login):
    upload = _csv("titel;thema;fase\n" + "x" * (2 * 1024 * 1024))
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert _file_errors(response) == [_nl("The file is larger than 2 MB.")]


def test_more_than_2000_rows_are_refused(cold, login):
    rows = "".join(f"Maatregel {n};zorg;nafase;AOV\n" for n in range(2001))
    response = _post(login(cold.aov), cold, _csv("titel;thema;fase;functie eigenaar\n" + rows))
    assert response.status_code == 422
    assert _file_errors(response) == [
        _nl("The file has more than %(max)s measures: split it up.") % {"max": "2.000"}
    ]
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen"]


def test_a_neutralised_formula_imports_back_as_typed(cold, login):
    upload = _csv("titel;thema;fase;functie eigenaar\n'=1+1;zorg;nafase;'-AOV\n")
    assert _post(login(cold.aov), cold, upload).status_code == 302
    measure = Measure.objects.get(organisation=cold.organisation, number=2)
    assert (measure.title, measure.owner_function) == ("=1+1", "-AOV")


# -- who may import -------------------------------------------------------------------------------


def test_the_adviser_sees_the_import_form(cold, login):
    response = login(cold.aov).get(_url(cold))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_mayor_may_read_but_not_import(cold, login):
    client = login(cold.mayor)
    assert client.get(_url(cold)).status_code == 403
    response = _post(client, cold, _csv("titel;thema;fase;functie eigenaar\nX;zorg;nafase;AOV\n"))
    assert response.status_code == 403
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen"]


def test_people_without_a_role_and_outsiders_get_404(cold, login):
    for person in (cold.member, cold.owner, cold.outsider):
        assert login(person).get(_url(cold)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(cold, client):
    response = client.get(_url(cold))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_import_answers_only_get_and_post(cold, login):
    assert login(cold.aov).put(_url(cold)).status_code == 405


# -- the same file twice ---------------------------------------------------------------------------

TWO_MEASURES = (
    "titel;thema;fase;functie eigenaar\n"
    "Noodwater;drinkwater;koude_fase;AOV\n"
    "Noodradio;communicatie;eerste_72_uur;Communicatieadviseur\n"
)


def test_the_same_file_sent_twice_in_a_row_is_imported_once_with_a_clear_message(cold, login):
    client = login(cold.aov)
    assert _post(client, cold, _csv(TWO_MEASURES)).status_code == 302
    again = _post(client, cold, _csv(TWO_MEASURES))
    assert again.status_code == 409
    message = _nl(
        "This file has just been imported (%(first)s to %(last)s). It is not imported a "
        "second time: the measures are in the programme plan."
    ) % {"first": "M2", "last": "M3"}
    page = again.content.decode()
    assert message in page and 'role="alert"' in page
    assert _nl("Rejected rows") not in page  # no report inviting to import the rows again
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen", "Noodwater", "Noodradio"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.MEASURES_IMPORTED)
    assert len(event.detail["sha256"]) == 64


def test_the_same_file_imports_again_after_ten_minutes_or_by_someone_else(cold, login):
    client = login(cold.aov)
    assert _post(client, cold, _csv(TWO_MEASURES)).status_code == 302
    AuditEvent.objects.filter(action=AuditEvent.Action.MEASURES_IMPORTED).update(
        at=timezone.now() - timedelta(minutes=11)
    )
    assert _post(client, cold, _csv(TWO_MEASURES)).status_code == 302
    assert len(_titles(cold)) == 5
    other = services.measures_import(
        organisation=cold.organisation,
        actor=cold.mayor,
        measures=[
            services.MeasureInput(
                title="Noodwater", theme="drinkwater", phase="koude_fase", owner_function="AOV"
            )
        ],
        filename="maatregelen.csv",
        digest=AuditEvent.objects.latest("at").detail["sha256"],
    )
    assert [m.title for m in other] == ["Noodwater"]


def test_another_file_right_after_an_import_is_imported(cold, login):
    client = login(cold.aov)
    assert _post(client, cold, _csv(TWO_MEASURES)).status_code == 302
    changed = TWO_MEASURES.replace("Noodradio", "Noodradio op batterijen")
    assert _post(client, cold, _csv(changed)).status_code == 302
    assert len(_titles(cold)) == 5


@pytest.mark.parametrize("budget", ["1.2.3,4", "1..5,0", "12.34.5,6", ".,5"])
def test_a_budget_with_dots_out_of_place_is_rejected_not_guessed(cold, login, budget):
    upload = _csv(
        f"titel;thema;fase;functie eigenaar;budget\nNoodwater;drinkwater;koude_fase;AOV;{budget}\n"
    )
    response = _post(login(cold.aov), cold, upload)
    assert response.status_code == 422
    assert _titles(cold) == ["Noodwatervoorraad voor verpleeghuizen"]
    [row] = response.context["check"].rejected
    assert row.errors == [
        _nl("budget: “%(value)s” is not an amount in euros, such as 12500 or 1.250,50.")
        % {"value": budget}
    ]


@pytest.mark.parametrize(
    "budget,amount", [("1.250,50", "1250.50"), ("0,5", "0.5"), ("12.500", "12500")]
)
def test_a_dutch_budget_is_read_as_written(cold, login, budget, amount):
    upload = _csv(
        f"titel;thema;fase;functie eigenaar;budget\nNoodwater;drinkwater;koude_fase;AOV;{budget}\n"
    )
    assert _post(login(cold.aov), cold, upload).status_code == 302
    assert Measure.objects.get(title="Noodwater").budget == Decimal(amount)
