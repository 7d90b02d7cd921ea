"""Hostile input into the crisis team form, logging in and the language switch, and the sweeps
over every app's endpoints that exercise the project layer (crisisroom/middleware.py,
crisisroom/text.py): ids in URLs, query strings, raw bodies and charsets, NUL, edge numbers,
every free-text field at its limit (hypothesis; tests/bad_input.py says how it runs)."""

import json
import uuid
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from crisisroom.roles import ROLES_FOR_TEAM, Role
from tests import bad_input
from tests.bad_input import (
    FORM,
    REGIONS,
    check_url,
    correct_url,
    crisis_page,
    fuzz,
    live_token,
    meeting_page,
    meeting_url,
    mutate,
    org_page,
    people,
    rolled_back,
    send,
    sweep,
    valid_cards,
    valid_check,
    valid_correction,
    valid_entry,
    valid_format,
    valid_kernbeeld,
    valid_next,
    valid_sections,
)
from tests.strategies import (
    assert_echoed,
    assert_safe,
    choice_text,
    controls,
    free_text,
    int_text,
    ints,
    payloads,
    sized_text,
)

pytestmark = pytest.mark.django_db

scene = bad_input.scene  # the shared fixture: crisis A with a meeting, log, analysis, proposal


# -- the team ---------------------------------------------------------------------------------


@fuzz(15)
@given(data=st.data())
def test_adding_a_team_member_survives_any_input(world, scene, login, data):
    roles = sorted(ROLES_FOR_TEAM[world.crisis_a.team_kind])
    fields = mutate(
        data,
        {
            "user": str(world.org_admin.pk),
            "role": data.draw(st.sampled_from(roles), label="role"),
            "function_title": data.draw(free_text(), label="function_title"),
        },
        {"user": choice_text(people(world)) | int_text(), "role": choice_text(Role.values)},
    )
    with rolled_back():
        client = login(data.draw(st.sampled_from([world.chair, world.mayor]), label="who"))
        response = client.post(reverse("crisis_member_add", args=[world.crisis_a.pk]), fields)
        body = assert_safe(response, fields)
        if response.status_code == 422:
            assert_echoed(body, fields.get("function_title"))
        else:
            assert response.status_code == 302
            team = client.get(reverse("crisis_team", args=[world.crisis_a.pk]))
            assert_echoed(assert_safe(team, fields), fields["function_title"])


# -- logging in, language ---------------------------------------------------------------------


@fuzz(20)
@given(data=st.data())
def test_the_login_form_survives_any_input(world, data):
    fields = mutate(
        data,
        {"username": data.draw(free_text(), label="username"), "password": "wrong"},
        {"password": free_text(), "next": free_text()},
    )
    query = data.draw(st.fixed_dictionaries({}, optional={"next": free_text()}), label="query")
    with rolled_back():
        client = Client()
        url = reverse("login") + ("?" + urlencode(query) if query else "")
        assert_safe(client.get(url), query)
        response = client.post(url, fields)
        body = assert_safe(response, fields, query)
        assert response.status_code == 200  # never a valid login: the form again
        assert_echoed(body, fields["username"])


@pytest.fixture
def two_factor_urls():
    try:
        return reverse("two_factor_verify"), reverse("two_factor_setup")
    except NoReverseMatch:
        pytest.skip("no two-factor pages in this version")


@fuzz(10)
@given(data=st.data())
def test_the_two_factor_forms_survive_any_input(world, login, two_factor_urls, data):
    verify, setup = two_factor_urls
    fields = data.draw(
        st.fixed_dictionaries(
            {}, optional={"code": int_text(), "next": free_text(), "secret": free_text()}
        )
    )
    with rolled_back():
        # The code page without a pending login, and the set-up page of a logged-in member.
        for client, url in ((Client(), verify), (login(world.adviser), setup)):
            assert_safe(client.get(url + "?" + urlencode(fields)), fields)
            assert_safe(client.post(url, fields), fields)


@fuzz(8)
@given(data=st.data())
def test_choosing_a_language_survives_any_input(world, login, data):
    fields = data.draw(
        st.fixed_dictionaries(
            {}, optional={"language": choice_text(["nl", "en", "de"]), "next": free_text()}
        )
    )
    with rolled_back():
        client = login(world.adviser)
        response = client.post(reverse("set_language"), fields)
        assert_safe(response, fields)
        assert response.status_code in (200, 204, 302)


# -- ids in URLs ------------------------------------------------------------------------------


ID_URLS = (
    ("get", "/crises/{a}/"),
    ("get", "/crises/{a}/team/"),
    ("get", "/crises/{a}/audit/?pagina={c}"),
    ("post", "/crises/{a}/archief/"),
    ("post", "/crises/{a}/team/add/"),
    ("post", "/crises/{a}/team/{b}/end/"),
    ("get", "/crises/{a}/overleg/"),
    ("post", "/crises/{a}/overleg/start/"),
    ("get", "/crises/{a}/overleg/{b}/"),
    ("get", "/crises/{a}/overleg/{b}/projectie/"),
    ("get", "/crises/{a}/overleg/{b}/logboek/eerder/?before={c}"),
    ("get", "/crises/{a}/overleg/{b}/opdrachten/meer/?offset={c}"),
    ("post", "/crises/{a}/overleg/{b}/kernbeeld/"),
    ("post", "/crises/{a}/overleg/{b}/fase/"),
    ("post", "/crises/{a}/overleg/{b}/reflectie/"),
    ("post", "/crises/{a}/overleg/{b}/aanwezigheid/"),
    ("post", "/crises/{a}/overleg/{b}/volgende/"),
    ("post", "/crises/{a}/overleg/{b}/sluiten/"),
    ("post", "/crises/{a}/overleg/{b}/regels/"),
    ("post", "/crises/{a}/overleg/{b}/kaart/"),
    ("get", "/crises/{a}/logboek/{b}/corrigeren/"),
    ("post", "/crises/{a}/logboek/{b}/corrigeren/"),
    ("get", "/crises/{a}/opdrachten/{b}/controle/"),
    ("post", "/crises/{a}/opdrachten/{b}/controle/"),
    ("get", "/crises/{a}/besluitenlijst/?meeting={b}"),
    ("post", "/crises/{a}/voorstellen/{b}/"),
    ("post", "/crises/{a}/mijn-logboek/{b}/voorstellen/"),
    ("get", "/crises/{a}/analyse/?versie={b}"),
    ("post", "/crises/{a}/analyse/concept/"),
    ("post", "/crises/{a}/analyse/overdragen/"),
    ("get", "/crises/{a}/analyse/versies/{b}/pdf/"),
    ("get", "/crises/{a}/analyse/verschil/?van={b}&naar={c}"),
    ("get", "/crises/{a}/analyse/delen/"),
    ("post", "/crises/{a}/analyse/delen/nieuw/"),
    ("post", "/crises/{a}/analyse/delen/{b}/intrekken/"),
    ("get", "/crises/{a}/taken/"),
    ("post", "/crises/{a}/taken/"),
    ("get", "/crises/{a}/mijn-logboek/"),
    ("post", "/crises/{a}/mijn-logboek/"),
    ("get", "/organisaties/{a}/format/"),
    ("post", "/organisaties/{a}/format/"),
    ("get", "/organisaties/{a}/kaarten/"),
    ("post", "/organisaties/{a}/kaarten/"),
)


@fuzz(40)
@given(data=st.data())
def test_any_id_in_a_url_is_a_clean_answer(world, scene, login, data):
    method, template = data.draw(st.sampled_from(ID_URLS), label="url")
    real = st.sampled_from([world.crisis_a.pk, world.crisis_b.pk, world.org_a.pk, 1, 2, 3])
    ids = {
        "a": data.draw(real | ints, label="a"),
        "b": data.draw(real | ints, label="b"),
        "c": data.draw(int_text(), label="c"),
    }
    ids["c"] = quote(str(ids["c"]), safe="")
    url = template.format(**ids)
    who = data.draw(
        st.sampled_from([world.chair, world.logger, world.adviser, world.org_admin]), label="who"
    )
    with rolled_back():
        response = getattr(login(who), method)(url)
        assert_safe(response)


# -- partial fetches --------------------------------------------------------------------------


QUERY_PAGES = {
    "meeting": lambda w, s: meeting_url(w, "meeting_detail"),
    "projection": lambda w, s: meeting_url(w, "meeting_projection"),
    "older": lambda w, s: meeting_url(w, "meeting_log_older"),
    "more": lambda w, s: meeting_url(w, "meeting_assignments_more"),
    "decisions": lambda w, s: reverse("decision_list", args=[w.crisis_a.pk]),
    "analysis": lambda w, s: reverse("analysis_page", args=[w.crisis_a.pk]),
    "diff": lambda w, s: reverse("analysis_diff", args=[w.crisis_a.pk]),
    "sharing": lambda w, s: reverse("analysis_sharing", args=[w.crisis_a.pk]),
    "check": lambda w, s: reverse(
        "assignment_check", args=[w.crisis_a.pk, s.assignment_entry.assignment.pk]
    ),
    "correct": lambda w, s: reverse("entry_correct", args=[w.crisis_a.pk, s.decision.seq]),
    "home": lambda w, s: reverse("crisis_home", args=[w.crisis_a.pk]),
    "team": lambda w, s: reverse("crisis_team", args=[w.crisis_a.pk]),
    "audit": lambda w, s: reverse("crisis_audit", args=[w.crisis_a.pk]),
    "tasks": lambda w, s: reverse("task_cards", args=[w.crisis_a.pk]),
    "personal": lambda w, s: reverse("personal_logbook", args=[w.crisis_a.pk]),
    "meetings": lambda w, s: reverse("meeting_list", args=[w.crisis_a.pk]),
    "crises": lambda w, s: reverse("crisis_list"),
    "format": lambda w, s: reverse("format_edit", args=[w.org_a.pk]),
    "cards": lambda w, s: reverse("cards_edit", args=[w.org_a.pk]),
}
QUERY_NAMES = ("region", "before", "offset", "meeting", "versie", "van", "naar", "r", "next")
QUERY_NAMES += ("pagina", "actie")


@fuzz(50)
@given(data=st.data())
def test_partial_fetches_with_any_query_string_are_clean_answers(world, scene, login, data):
    page = data.draw(st.sampled_from(sorted(QUERY_PAGES)), label="page")
    region = st.sampled_from(REGIONS) | choice_text([*REGIONS, "entry-form", "draft-status"])
    query = data.draw(
        st.fixed_dictionaries(
            {},
            optional={"region": region, **{n: int_text() for n in QUERY_NAMES[1:]}},
        )
        | st.dictionaries(free_text(), free_text(), max_size=3),
        label="query",
    )
    raw = data.draw(st.none() | st.binary(max_size=40), label="raw query bytes")
    who = data.draw(
        st.sampled_from(
            [world.chair, world.logger, world.mayor, world.adviser, world.observer, world.org_admin]
        ),
        label="who",
    )
    url = QUERY_PAGES[page](world, scene)
    headers = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    with rolled_back():
        client = login(who)
        if raw is None:
            response = client.get(url, query, headers=headers)
        else:
            response = client.get(url, headers=headers, QUERY_STRING=raw.decode("latin-1"))
        assert_safe(response, query)


# -- raw request bodies -----------------------------------------------------------------------


RAW_POSTS = {
    "entry": ("logger", lambda w, s: meeting_url(w, "entry_create")),
    "kernbeeld": ("logger", lambda w, s: meeting_url(w, "meeting_kernbeeld")),
    "next": ("chair", lambda w, s: meeting_url(w, "meeting_next")),
    "phase": ("chair", lambda w, s: meeting_url(w, "meeting_phase")),
    "correct": (
        "logger",
        lambda w, s: reverse("entry_correct", args=[w.crisis_a.pk, s.decision.seq]),
    ),
    "check": (
        "logger",
        lambda w, s: reverse(
            "assignment_check", args=[w.crisis_a.pk, s.assignment_entry.assignment.pk]
        ),
    ),
    "analysis": ("rol", lambda w, s: reverse("analysis_save", args=[w.crisis_a.pk])),
    "hand_over": ("rol", lambda w, s: reverse("analysis_hand_over", args=[w.crisis_a.pk])),
    "personal": ("adviser", lambda w, s: reverse("personal_logbook", args=[w.crisis_a.pk])),
    "member": ("chair", lambda w, s: reverse("crisis_member_add", args=[w.crisis_a.pk])),
    "share": ("mayor", lambda w, s: reverse("analysis_share", args=[w.crisis_a.pk])),
    "cards": ("org_admin", lambda w, s: reverse("cards_edit", args=[w.org_a.pk])),
    "format": ("org_admin", lambda w, s: reverse("format_edit", args=[w.org_a.pk])),
    "login": (None, lambda w, s: reverse("login")),
}


FIELD_NAMES = (
    b"text",
    b"kind",
    b"client_token",
    b"reasoning",
    b"deadline",
    b"kernbeeld",
    b"kernbeeld_revision",
    b"next_at",
    b"minutes",
    b"phase",
    b"remark",
    b"outcome",
    b"base_revision",
    b"section-aanleiding",
    b"priority",
    b"user",
    b"role",
    b"function_title",
    b"card_agenda",
    b"note",
    b"sections-TOTAL_FORMS",
    b"username",
    b"password",
)


CHARSETS = ("", "utf-8", "latin-1", "utf-16", "bogus", "rot13", "base64", "utf-8; x=\x00")


def _urlencoded(pairs) -> bytes:
    return b"&".join(name + b"=" + value for name, value in pairs)


def _multipart(pairs, boundary=b"fuzzboundary") -> bytes:
    parts = [
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="'
        + name
        + b'"\r\n\r\n'
        + value
        + b"\r\n"
        for name, value in pairs
    ]
    return b"".join(parts) + b"--" + boundary + b"--\r\n"


raw_values = st.one_of(
    st.binary(max_size=60),
    st.binary(max_size=60).map(lambda b: quote_from_bytes(b).encode()),
    st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"%ED%A0%80", b"%FF", b"%00"]),
    free_text().map(lambda s: s.encode("utf-8")),
)


@fuzz(40)
@given(data=st.data())
def test_raw_bodies_with_invalid_bytes_are_clean_answers(world, scene, login, data):
    name = data.draw(st.sampled_from(sorted(RAW_POSTS)), label="endpoint")
    who, url = RAW_POSTS[name]
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from(FIELD_NAMES) | st.binary(max_size=8), raw_values)),
        label="pairs",
    )
    kind = data.draw(st.sampled_from(["urlencoded", "multipart", "other"]), label="encoding")
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    params = f"; charset={charset}" if charset else ""
    if kind == "urlencoded":
        body, content_type = _urlencoded(pairs), FORM + params
    elif kind == "multipart":
        body, content_type = (
            _multipart(pairs),
            "multipart/form-data; boundary=fuzzboundary" + params,
        )
    else:
        body = _urlencoded(pairs)
        content_type = data.draw(
            st.sampled_from(["text/plain", "application/json", "multipart/form-data", ""]),
            label="content type",
        )
    with rolled_back():
        client = login(getattr(world, who)) if who else Client()
        response = client.generic("POST", url(world, scene), body, content_type=content_type)
        assert response.status_code < 500


# -- NUL: PostgreSQL cannot store it, so every form must refuse it ----------------------------


def _nul_in_database() -> list[str]:
    """Text and JSON columns of the app's models holding a NUL character (SQLite stores it;
    PostgreSQL refuses the statement, which the request would have turned into a 500)."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in ("crisisroom", "meetings", "formats", "auth"):
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list("pk", *names):
            for name, value in zip(names, row[1:], strict=True):
                text = value if isinstance(value, str) else json.dumps(value)
                if "\x00" in text or "\\u0000" in text:
                    found.append(f"{model.__name__}.{name} (pk {row[0]})")
    return found


# name, persona, url, a valid form, the field that gets the NUL, whether a form error is due
# (False: the endpoint answers every post with a redirect and a message).
NUL_CASES = [
    ("entry-text", "logger", meeting_page("entry_create"), valid_entry, "text", True),
    ("entry-function", "logger", meeting_page("entry_create"), valid_entry, "owner_function", True),
    # Django's date parsing drops a trailing NUL: no error, but nothing with a NUL is stored.
    ("entry-deadline", "logger", meeting_page("entry_create"), valid_entry, "deadline", False),
    ("correction-text", "logger", correct_url, valid_correction, "text", True),
    ("correction-reasons", "logger", correct_url, valid_correction, "reasoning", True),
    ("check-remark", "logger", check_url, valid_check, "remark", True),
    ("kernbeeld", "logger", meeting_page("meeting_kernbeeld"), valid_kernbeeld, "kernbeeld", True),
    (
        "reflection",
        "chair",
        meeting_page("meeting_reflection"),
        lambda w, s: {"note": "Rust"},
        "note",
        False,
    ),
    (
        "analysis-draft",
        "rol",
        crisis_page("analysis_save"),
        valid_sections,
        "section-aanleiding",
        True,
    ),
    (
        "analysis-hand-over",
        "rol",
        crisis_page("analysis_hand_over"),
        valid_sections,
        "section-aanleiding",
        True,
    ),
    (
        "personal-line",
        "adviser",
        crisis_page("personal_logbook"),
        lambda w, s: {"kind": "actie", "text": "Bellen", "priority": "laag"},
        "text",
        True,
    ),
    (
        "member-function",
        "chair",
        crisis_page("crisis_member_add"),
        lambda w, s: {"user": str(w.org_admin.pk), "role": "adviseur", "function_title": "AOV"},
        "function_title",
        True,
    ),
    (
        "task-role",
        "logger",
        crisis_page("task_cards"),
        lambda w, s: {"role": "logger", "number": "1", "done": "1"},
        "role",
        False,
    ),
    ("format-title", "org_admin", org_page("format_edit"), valid_format, "sections-0-title", True),
    (
        "format-help",
        "org_admin",
        org_page("format_edit"),
        valid_format,
        "sections-0-help_text",
        True,
    ),
    ("format-note", "org_admin", org_page("format_edit"), valid_format, "note", True),
    ("cards-agenda", "org_admin", org_page("cards_edit"), valid_cards, "card_agenda", True),
    ("cards-note", "org_admin", org_page("cards_edit"), valid_cards, "note", True),
]


HTMX_AWARE = {"entry-text", "kernbeeld", "analysis-draft"}


def test_a_nul_character_is_a_form_error_not_a_server_error(world, scene, login):
    """PostgreSQL refuses NUL in text, so the app must refuse it first, on every database: a
    form error (or, where the endpoint answers everything with a redirect, nothing stored)."""
    failures = []
    for name, who, url, valid, field, form_error in NUL_CASES:
        for value in ("\x00", "Te\x00kst"):
            for how in ("form", "htmx") if name in HTMX_AWARE else ("form",):
                label = f"{name} {field}={value!r} ({how})"
                try:
                    with rolled_back():
                        fields = {**valid(world, scene), field: value}
                        status = send(login(getattr(world, who)), url(world, scene), fields, how)
                        status = status.status_code
                        stored = _nul_in_database()
                except Exception as error:  # the test client re-raises what the view raised
                    failures.append(f"{label}: {type(error).__name__}: {error}"[:300])
                    continue
                if status >= 500 or (form_error and not 400 <= status < 500) or stored:
                    failures.append(f"{label}: answered {status}, NUL stored in {stored}")
    assert not failures, "NUL not refused:\n" + "\n".join(failures)


def test_a_nul_in_the_login_form_is_refused(world):
    for fields in (
        {"username": "chair\x00", "password": "x"},
        {"username": "chair", "password": "\x00"},
    ):
        response = Client().post(reverse("login"), fields)
        assert response.status_code == 200
        assert "_auth_user_id" not in response.wsgi_request.session


# -- the sharp edges: numbers and charsets in every field -------------------------------------
# Hypothesis draws these values too, but only now and then; the sweeps below try each of them in
# each field (the rest of the form valid), so a known edge can never slip through a run.
EDGE_NUMBERS = (
    "-1",
    str(2**63),  # one past the largest integer SQLite and PostgreSQL's bigint hold
    str(10**30),
    str(-(2**63) - 1),
    "\u00b2",  # superscript two: str.isdigit() is True, int() refuses it
    "\u0661",  # Arabic-Indic one: int() accepts it
    "9" * 5000,  # more digits than int() accepts
    "1e3",
)


# A formset renders up to max_num + 1000 forms for a large TOTAL_FORMS: seconds per request.
CHEAP_FORM_COUNTS = ("-1", "41", "\u00b2", "9" * 5000)


NUMBER_FIELDS = [
    ("decision", "logger", meeting_page("entry_create"), valid_correction, ("decided_by",)),
    ("assignment", "logger", meeting_page("entry_create"), valid_entry, ("owner",)),
    (
        "kernbeeld",
        "logger",
        meeting_page("meeting_kernbeeld"),
        valid_kernbeeld,
        ("kernbeeld_revision",),
    ),
    ("next meeting", "chair", meeting_page("meeting_next"), valid_next, ("minutes",)),
    ("start", "chair", crisis_page("meeting_start"), lambda w, s: {}, ("planned_minutes",)),
    (
        "attendance",
        "chair",
        meeting_page("meeting_attendance"),
        lambda w, s: {"user": w.rol.pk, "present": "0", "delegate": w.adviser.pk},
        ("user", "delegate"),
    ),
    ("analysis", "rol", crisis_page("analysis_save"), valid_sections, ("base_revision",)),
    ("hand-over", "rol", crisis_page("analysis_hand_over"), valid_sections, ("base_revision",)),
    (
        "personal check",
        "adviser",
        crisis_page("personal_logbook"),
        lambda w, s: {"check": s.item.pk, "done": "1"},
        ("check",),
    ),
    (
        "task",
        "logger",
        crisis_page("task_cards"),
        lambda w, s: {"role": "logger", "number": "1", "done": "1"},
        ("number",),
    ),
    (
        "share",
        "mayor",
        crisis_page("analysis_share"),
        lambda w, s: {"user": w.org_admin.pk},
        ("user",),
    ),
    (
        "member",
        "chair",
        crisis_page("crisis_member_add"),
        lambda w, s: {"user": w.org_admin.pk, "role": "adviseur"},
        ("user",),
    ),
    (
        "format",
        "org_admin",
        org_page("format_edit"),
        valid_format,
        ("sections-0-ORDER", "sections-TOTAL_FORMS", "sections-INITIAL_FORMS"),
    ),
    ("card tick", "chair", meeting_page("meeting_card_tick"), lambda w, s: {}, ("key",)),
    (
        "proposal",
        "logger",
        lambda w, s: reverse("proposal_decide", args=[w.crisis_a.pk, s.proposal_pk]),
        lambda w, s: {"decision": "accept"},
        ("client_token",),
    ),
]


def test_edge_numbers_in_every_number_field(world, scene, login):
    def post(who, url, fields):
        return lambda: login(getattr(world, who)).post(url(world, scene), fields)

    def values_for(field):
        if field == "key":  # a card item is named "list:number"
            return [f"agenda:{number}" for number in EDGE_NUMBERS]
        return CHEAP_FORM_COUNTS if field == "sections-TOTAL_FORMS" else EDGE_NUMBERS

    sweep(
        (
            f"{name} {field}={value[:30]!r}",
            post(who, url, {**valid(world, scene), field: value}),
        )
        for name, who, url, valid, fields in NUMBER_FIELDS
        for field in fields
        for value in values_for(field)
    )


QUERY_NUMBERS = [
    ("meeting_log_older", "before", {}),
    ("meeting_assignments_more", "offset", {}),
    ("decision_list", "meeting", {}),
    ("analysis_page", "versie", {}),
    ("analysis_diff", "van", {"naar": "1"}),
    ("analysis_diff", "naar", {"van": "1"}),
    ("live_poll", "r", {}),
    ("crisis_audit", "pagina", {}),
    ("crisis_audit", "actie", {}),
]


def test_edge_numbers_in_every_query_parameter(world, scene, login):
    def get(name, query):
        def request():
            chair = login(world.chair)
            if name == "live_poll":  # the poll token works only with its own session
                url = reverse(name, args=[live_token(chair, world)])
            elif name.startswith("meeting_"):
                url = meeting_url(world, name)
            else:
                url = reverse(name, args=[world.crisis_a.pk])
            return chair.get(url, query)

        return request

    sweep(
        (f"{name}?{param}={value[:30]!r}", get(name, {**rest, param: value}))
        for name, param, rest in QUERY_NUMBERS
        for value in EDGE_NUMBERS
    )


CHARSET_POSTS = [
    (None, lambda w, s: reverse("login"), b"username=chair&password=x"),
    ("logger", meeting_page("entry_create"), b"kind=beeld&text=Rook&client_token=x"),
    ("rol", crisis_page("analysis_save"), b"section-aanleiding=Rook&base_revision=1"),
    ("adviser", crisis_page("personal_logbook"), b"kind=actie&text=Bellen&priority=laag"),
]


def test_every_charset_of_a_request_body(world, scene, login):
    """A charset Python cannot decode text with (rot13 and base64 are codecs, but not text
    encodings) is a bad request, not a crash; for urlencoded bodies Django refuses it itself."""

    def post(who, url, body, content_type):
        def request():
            client = login(getattr(world, who)) if who else Client()
            return client.generic("POST", url(world, scene), body, content_type=content_type)

        return request

    def multipart(urlencoded: bytes) -> bytes:
        return _multipart([tuple(pair.split(b"=", 1)) for pair in urlencoded.split(b"&")])

    sweep(
        (
            f"{url(world, scene)} as {who}, {kind}; charset={charset}",
            post(
                who,
                url,
                body if kind == "urlencoded" else multipart(body),
                (FORM if kind == "urlencoded" else "multipart/form-data; boundary=fuzzboundary")
                + f"; charset={charset}",
            ),
        )
        for who, url, body in CHARSET_POSTS
        for kind in ("urlencoded", "multipart")
        for charset in ("utf-8", "latin-1", "utf-16", "utf-32", "bogus", "rot13", "base64", "hex")
    )


# -- sizes ------------------------------------------------------------------------------------


@fuzz(12)
@given(
    text=sized_text().filter(lambda t: "\x00" not in t),  # NUL has its own test above
    control=controls.filter(lambda c: "\x00" not in c),
    payload=payloads(),
)
def test_every_free_text_field_at_and_beyond_its_limit(world, scene, login, text, control, payload):
    """One string (just under, at or over a max_length, with control characters and markup)
    into every free-text field at once; each form answers with an error or saves it."""
    value = control + text + payload
    with rolled_back():
        logger, chair = login(world.logger), login(world.chair)
        posts = [
            (
                logger,
                meeting_url(world, "entry_create"),
                {
                    "client_token": str(uuid.uuid4()),
                    "kind": "besluit",
                    "text": value,
                    "reasoning": value,
                    "decided_by": str(world.mayor.pk),
                },
            ),
            (
                logger,
                meeting_url(world, "meeting_kernbeeld"),
                {
                    "kernbeeld": value,
                    "kernbeeld_revision": "0",
                },
            ),
            (chair, meeting_url(world, "meeting_reflection"), {"note": value}),
            (
                logger,
                reverse(
                    "assignment_check",
                    args=[world.crisis_a.pk, scene.assignment_entry.assignment.pk],
                ),
                {"client_token": str(uuid.uuid4()), "outcome": "dropped", "remark": value},
            ),
            (
                login(world.adviser),
                reverse("personal_logbook", args=[world.crisis_a.pk]),
                {
                    "kind": "actie",
                    "text": value,
                    "priority": "laag",
                },
            ),
            (
                chair,
                reverse("crisis_member_add", args=[world.crisis_a.pk]),
                {
                    "user": str(world.org_admin.pk),
                    "role": "adviseur",
                    "function_title": value,
                },
            ),
            (
                login(world.rol),
                reverse("analysis_save", args=[world.crisis_a.pk]),
                {
                    f"section-{scene.section_keys[0]}": value,
                    "base_revision": "1",
                },
            ),
        ]
        for client, url, fields in posts:
            response = client.post(url, fields)
            assert_safe(response, fields)
            assert response.status_code in (302, 409, 422), url
