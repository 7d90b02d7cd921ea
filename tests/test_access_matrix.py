"""Every URL of the project × every persona × GET and POST, generated from the URL configuration.

The URL names come from ``django.urls.get_resolver()``, not from a list in this file, so a new
view fails this module by itself until someone decides who may use it:

* ``MATRIX`` (below) says, per URL name, which rule governs GET and which governs POST
  (``None``: the method is refused with 405). A URL name missing from it fails
  ``test_access_matrix[<name>]`` with "add your new view to the access matrix".
* Every URL keyword argument needs a builder in ``tests/access_fixtures.py`` (KWARG_BUILDERS)
  that points it at a real object of crisis A; an unknown one fails the test as well.

The rules follow README "How access works" and ``crisisroom/roles.py``: an anonymous visitor is
sent to the login page; a person who is no member of the crisis gets 404 (they do not learn it
exists); a member without the right gets 403; private things (someone else's personal logbook)
are 404; the method a view does not take is 405. Which members have a right is computed from
``ROLE_PERMISSIONS``, so changing a role's rights there changes the matrix with it.

Every request runs inside a savepoint that is rolled back, so the POSTs of allowed personas
(closing the meeting, ending a membership, revoking a share, logging out) never affect the next
case: every case sees the same fresh objects.

How to add a view to the matrix:

1. Give the URL a name and add it to ``MATRIX`` with the rule for GET and for POST; leave a
   method out (None) when the view refuses it with 405 (``require_GET`` / ``require_POST``).
   ``MEMBER`` is any member of the crisis; ``CrisisRight(<perm>, ...)`` the members whose role
   grants one of those rights (``crisisroom/roles.py``); ``Owner``, ``OrgAdministrator``,
   ``LoggedIn``, ``Public``, ``Admin`` as their docstrings say.
2. If a POST needs a body to succeed, give ``data``; a query string, ``query``; a state the
   view works in (a closed crisis), ``prepare``. Allowed personas must get 2xx/3xx.
3. A new URL keyword argument needs a builder in ``tests/access_fixtures.py`` (KWARG_BUILDERS)
   that points it at a real object of crisis A (made in ``build_objects``).
"""

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.views.generic import RedirectView

from crisisroom.roles import (
    APPROVE_MESSAGES,
    HANDLE_MESSAGES,
    INFORM_STAKEHOLDERS,
    MANAGE_MEMBERS,
    READ_AUDIT,
    RECORD_DECISION,
    RECORD_ENTRY,
    ROLE_PERMISSIONS,
    RUN_MEETING,
    SHARE_ANALYSIS,
    VIEW,
    WRITE_ANALYSIS,
    Role,
)
from formats import selectors as format_selectors
from formats import services as format_services
from formats.forms import CardsForm
from meetings.access import live_token_for
from tests.access_fixtures import (
    CRISIS_PERSONAS,
    ITEM_OWNER,
    KWARG_BUILDERS,
    PERSONAS,
    TOKEN_HOLDER,
    Objects,
    analysis_sections,
    build_objects,
)
from tests.conftest import PERSONA_ROLES

pytestmark = pytest.mark.django_db

METHODS = ("get", "post")


# -- the URL configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "crisis_home", "admin:crisisroom_crisis_change"
    route: str  # the pattern, for messages
    kwargs: tuple[str, ...]
    callback: Callable


def _kwarg_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):  # path()
        return list(pattern.converters)
    return list(pattern.regex.groupindex)  # re_path()


def _is_django_admin_internal(namespace: str, pattern: URLPattern) -> bool:
    """Unnamed patterns Django's admin adds for every model: ``<id>/`` redirects to the change
    page, and the final catch-all. They hold no access logic of ours."""
    callback = pattern.callback
    return namespace == "admin" and (
        getattr(callback, "view_class", None) is RedirectView
        or callback.__name__ == "catch_all_view"
    )


def discover() -> tuple[dict[str, Route], list[str]]:
    """All named URL patterns (namespaced like ``admin:index``) and the problems found."""
    routes: dict[str, Route] = {}
    problems: list[str] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str, kwargs: list[str]) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            names = kwargs + _kwarg_names(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, inner, names)
                continue
            if entry.name is None:
                if not _is_django_admin_internal(namespace, entry):
                    problems.append(f"{route!r} has no name: give it one so the matrix sees it")
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name in routes:
                problems.append(f"URL name {name!r} is used twice ({routes[name].route!r})")
                continue
            routes[name] = Route(name, route, tuple(names), entry.callback)

    walk(get_resolver(), "/", "", [])
    return routes, problems


ROUTES, ROUTE_PROBLEMS = discover()


# -- what each persona should get --------------------------------------------------------------

OK = "2xx/3xx"  # allowed: the page, or a redirect after a write; never back to a login page
ANY = "2xx/3xx (public)"  # public pages may send anyone anywhere, the login page included


def _perms(persona: str) -> frozenset[str]:
    role = PERSONA_ROLES.get(persona)
    return ROLE_PERMISSIONS[role] if role else frozenset()


class Rule:
    """Who may use one method of one URL. ``expect`` names the outcome for a persona."""

    def expect(self, persona: str):
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__


class Public(Rule):
    """Anyone, logged in or not (login, logout, language switch)."""

    def expect(self, persona):
        return ANY


class LoggedIn(Rule):
    """Any logged-in person (My crises, account pages). ``accepted``: further statuses that
    show the view was reached, for a POST whose body a test cannot make valid."""

    def __init__(self, accepted: tuple[int, ...] = ()):
        self.accepted = accepted

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        return (OK, *self.accepted) if self.accepted else OK


class CrisisRight(Rule):
    """Members of crisis A holding any of ``perms``; other members 403; everyone else 404.

    ``shared``: also the person the mayor shared the analysis with (reading it only).
    ``accepted``: further statuses that show an allowed member reached the view, for a POST the
    matrix's world refuses on its merits (a paper meeting while a meeting runs: 422).
    """

    def __init__(self, *perms: str, shared: bool = False, accepted: tuple[int, ...] = ()):
        self.perms, self.shared, self.accepted = frozenset(perms), shared, accepted

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        if persona in CRISIS_PERSONAS:
            allowed = (OK, *self.accepted) if self.accepted else OK
            return allowed if _perms(persona) & self.perms else 403
        if persona == "shared_reader" and self.shared:
            return OK
        return 404

    def describe(self):
        return f"CrisisRight({', '.join(sorted(self.perms))}{', shared' if self.shared else ''})"


class Owner(Rule):
    """A private line of ``owner``'s personal logbook: everyone else 404, the chair included."""

    def __init__(self, owner: str):
        self.owner = owner

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        return OK if persona == self.owner else 404


class OrgAdministrator(Rule):
    """Administrators of organisation A; anyone else logged in gets 404."""

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        return OK if persona == "org_admin" else 404


class LiveToken(Rule):
    """The live poll: only the member the token was handed to gets an answer (200/204)."""

    def __init__(self, holder: str):
        self.holder = holder

    def expect(self, persona):
        return "poll-answer" if persona == self.holder else "no-poll-answer"


class StreamUnderWsgi(Rule):
    """The live stream needs an ASGI server; the matrix's test client is WSGI, where every
    request is told "no stream here" (204) and the screen polls. Who may hold a stream is
    tested under ASGI in tests/meetings/test_live_stream.py."""

    def expect(self, persona):
        return 204


class Admin(Rule):
    """Django admin: anonymous and non-staff are sent to the admin login; the organisation
    administrator (staff, no Django model permissions) gets ``staff``: OK, 403 or 404 as
    crisisroom/admin.py decides (scoped to their organisation, nothing deleted)."""

    def __init__(self, staff, others="admin-login"):
        self.staff, self.others = staff, others

    def expect(self, persona):
        if persona == "org_admin":
            return "admin-ok" if self.staff == OK else self.staff
        return self.others

    def describe(self):
        return f"Admin(staff→{self.staff})"


class Cold(Rule):
    """Organisation A's cold phase (resilience/access.py). Readers: the AOV, the mayor (role
    "bestuur") and the administrator; ``need`` narrows it: "maintain" the AOV, "decide" the
    mayor and the administrator, "manage_roles" the administrator. A reader without that right
    gets 403; everyone else of organisation A (crisis members, a measure's owner) and the
    outsider 404."""

    ALLOWED = {
        "read": {"aov", "mayor", "org_admin"},
        "maintain": {"aov"},
        "decide": {"mayor", "org_admin"},
        "manage_roles": {"org_admin"},
        # An allocation rule: the AOV records what the college decided, or the mayor does.
        "record_rule": {"aov", "mayor", "org_admin"},
    }

    def __init__(self, need: str = "read", accepted: tuple[int, ...] = ()):
        self.need, self.accepted = need, accepted

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        if persona in self.ALLOWED[self.need]:
            return (OK, *self.accepted) if self.accepted else OK
        return 403 if persona in self.ALLOWED["read"] else 404

    def describe(self):
        return f"Cold({self.need})"


class ColdMeasure(Rule):
    """One measure: its owner reads and updates it without a role; readers read it; only the
    AOV and the owner change it."""

    def __init__(self, update: bool = False):
        self.update = update

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        if persona in (
            {"aov", "measure_owner"}
            if self.update
            else {"aov", "mayor", "org_admin", "measure_owner"}
        ):
            return OK
        return 403 if persona in Cold.ALLOWED["read"] else 404

    def describe(self):
        return f"ColdMeasure({'update' if self.update else 'read'})"


class ExerciseArea(Rule):
    """An organisation's exercise area (exercises/access.py). For organisation A: its
    administrator and its exercise leader (the AOV) read, the AOV prepares, the administrator
    adopts the region's format and cards. For the region (``region=True``): its exercise
    leader reads, prepares and publishes. Anyone else 404; a reader without the right 403."""

    # The matrix's publication is the region's format: every real crisis of organisation A
    # uses it, so only its administrator adopts it (an exercise leader adopts scenarios).
    A = {"read": {"org_admin", "aov"}, "prepare": {"aov"}, "adopt": {"org_admin"}}
    REGION = {"read": {"region_leader"}, "prepare": {"region_leader"}, "adopt": set()}

    def __init__(self, need: str = "read", region: bool = False, accepted: tuple[int, ...] = ()):
        self.need, self.region, self.accepted = need, region, accepted

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        allowed = self.REGION if self.region else self.A
        if persona in allowed[self.need]:
            return (OK, *self.accepted) if self.accepted else OK
        return 403 if persona in allowed["read"] else 404

    def describe(self):
        return f"ExerciseArea({self.need}{', region' if self.region else ''})"


class ExerciseRole(Rule):
    """Exercise X (a crisis of organisation A marked OEFENING): every member sees it (the crisis
    personas as players and the observer, the region's exercise leader as oefenleider); "lead"
    is the oefenleider's, "observe" EXCON's (oefenleider and observer). A member without the
    right 403; everyone else 404."""

    EXCON = {"lead": {"region_leader"}, "observe": {"region_leader", "observer"}}

    def __init__(self, need: str = "view", accepted: tuple[int, ...] = ()):
        self.need, self.accepted = need, accepted

    def expect(self, persona):
        if persona == "anonymous":
            return "login"
        members = {*CRISIS_PERSONAS, "region_leader"}
        if persona not in members:
            return 404
        if self.need == "view" or persona in self.EXCON[self.need]:
            return (OK, *self.accepted) if self.accepted else OK
        return 403

    def describe(self):
        return f"ExerciseRole({self.need})"


def expected(rule: Rule | None, persona: str):
    return 405 if rule is None else rule.expect(persona)


def _location(response) -> str:
    return response.get("Location", "")


def problem_with(expectation, persona: str, response) -> str | None:
    """None if the response is what ``expectation`` says, else what is wrong."""
    status = response.status_code
    if status >= 500:
        exc = getattr(response, "exc_info", None)
        return f"server error {status}" + (f": {exc[1]!r}" if exc else "")
    login = reverse("login")
    if isinstance(expectation, tuple):  # OK, or one of some further statuses
        if status in expectation[1:]:
            return None
        expectation = expectation[0]
    if expectation == ANY:
        return None if 200 <= status < 400 else f"expected {ANY}, got {status}"
    if expectation == "login":
        if status != 302 or not _location(response).startswith(login + "?next="):
            return f"expected a redirect to the login page, got {status} {_location(response)}"
        return None
    if expectation == "admin-ok":  # the admin sends a missing object's page to its index
        if status in (301, 302) and _location(response) == reverse("admin:index"):
            return "expected the admin page, got a redirect to the admin index (no such object?)"
        expectation = OK
    if expectation == OK:
        if not 200 <= status < 400:
            return f"expected {OK} (allowed), got {status}"
        if (
            persona != "anonymous"
            and status in (301, 302)
            and _location(response).startswith((login, reverse("admin:login")))
        ):
            return f"allowed, but sent to log in again: {_location(response)}"
        return None
    if expectation == "admin-login":
        if status != 302 or not _location(response).startswith(reverse("admin:login")):
            return f"expected a redirect to the admin login, got {status} {_location(response)}"
        return None
    if expectation == "admin-index":
        if status != 302 or _location(response) != reverse("admin:index"):
            return f"expected a redirect to the admin index, got {status} {_location(response)}"
        return None
    if expectation == "poll-answer":
        return None if status in (200, 204) else f"expected 200/204 for the holder, got {status}"
    if expectation == "no-poll-answer":
        if status in (200, 204) or not (300 <= status < 500 or status == 286):
            return f"another person's token must not be answered, got {status}"
        return None
    if status != expectation:
        return f"expected {expectation}, got {status}"
    return None


# -- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One URL name: the rule for GET and for POST (None: 405 for everyone), plus what a real
    request needs. ``data(objects, persona)`` is the POST body; ``query(objects)`` the query
    string; ``prepare(objects, monkeypatch)`` puts the world in the state the view works in."""

    get: Rule | None = None
    post: Rule | None = None
    query: Callable[[Objects], dict] | None = None
    data: Callable[[Objects, str], dict] | None = None
    prepare: Callable[[Objects, pytest.MonkeyPatch], None] | None = None


MEMBER = CrisisRight(VIEW)
MEMBER_OR_SHARED = CrisisRight(VIEW, shared=True)
CHAIR = CrisisRight(RUN_MEETING)
RECORDER = CrisisRight(RECORD_ENTRY)


def _token() -> dict:
    return {"client_token": str(uuid.uuid4())}


def _local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def _analysis_form(o: Objects, persona: str) -> dict:
    sections = analysis_sections(o.analysis, f"Door {persona}")
    return {
        **{f"section-{key}": text for key, text in sections.items()},
        "base_revision": o.analysis.draft_revision,
    }


def _format_form(o: Objects, persona: str) -> dict:
    sections = list(format_selectors.format_current(organisation=o.organisation).sections.all())
    data = {
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 40,
        "note": "matrix",
    }
    for i, section in enumerate(sections):
        data.update(
            {
                f"sections-{i}-key": section.key,
                f"sections-{i}-title": section.title,
                f"sections-{i}-help_text": section.help_text,
                f"sections-{i}-ORDER": i + 1,
            }
        )
        if section.required:
            data[f"sections-{i}-required"] = "on"
        if section.in_kernbeeld:
            data[f"sections-{i}-in_kernbeeld"] = "on"
    return data


def _cards_form(o: Objects, persona: str) -> dict:
    form = CardsForm(card_set=format_selectors.cards_current(organisation=o.organisation))
    return {name: field.initial or "" for name, field in form.fields.items()} | {"note": "x"}


def _render_paper_pack_once(o: Objects, monkeypatch) -> None:
    """The pack depends on the crisis, not on who asks: render it for real once, then reuse."""
    import meetings.views.cards

    render, packs = meetings.views.cards.render_paper_pack, {}

    def once(**kwargs):
        key = tuple(sorted((k, getattr(v, "pk", v)) for k, v in kwargs.items()))
        if key not in packs:
            packs[key] = render(**kwargs)
        return packs[key]

    monkeypatch.setattr(meetings.views.cards, "render_paper_pack", once)


def _close_meeting(o: Objects, monkeypatch=None) -> None:
    from meetings import services

    services.meeting_close(meeting=o.meeting, actor=o.users["chair"])


def _render_pdf_once(o: Objects, monkeypatch) -> None:
    format_services.analysis_pdf(version=o.version_latest)  # kept with the version


def _close_crisis(o: Objects, monkeypatch) -> None:
    """Only a closed crisis is archived (an active one redirects to its audit trail)."""
    from crisisroom import services

    _close_meeting(o)
    services.crisis_close(crisis=o.crisis, actor=o.users["chair"])
    for version in (o.version_first, o.version_latest):
        format_services.analysis_pdf(version=version)


# Django admin: per model, what the organisation administrator gets on each page (GET, POST).
# crisisroom/admin.py: every model scoped to the administered organisation, nothing deleted
# (except roster seats), no organisation added (superuser only), the audit trail read-only;
# no Django model permissions, so the auth models are refused.
_ADMIN_PAGES = ("changelist", "add", "change", "history", "delete")
_ADMIN_STAFF: dict[str, dict[str, tuple]] = {
    "auth_group": dict.fromkeys(_ADMIN_PAGES, (403, 403)),
    "auth_user": dict.fromkeys(_ADMIN_PAGES, (403, 403)),
    "crisisroom_organisation": {
        "changelist": (OK, OK),
        "add": (403, 403),
        "change": (OK, OK),
        "history": (OK, OK),
        "delete": (403, 403),
    },
    "crisisroom_organisationmember": {
        **dict.fromkeys(("changelist", "add", "change", "history"), (OK, OK)),
        "delete": (403, 403),
    },
    "crisisroom_rosterentry": dict.fromkeys(_ADMIN_PAGES, (OK, OK)),
    "crisisroom_partner": {
        **dict.fromkeys(("changelist", "add", "change", "history"), (OK, OK)),
        "delete": (403, 403),
    },
    "crisisroom_crisis": {
        **dict.fromkeys(("changelist", "add", "change", "history"), (OK, OK)),
        "delete": (403, 403),
    },
    "crisisroom_membership": {
        **dict.fromkeys(("changelist", "add", "change", "history"), (OK, OK)),
        "delete": (403, 403),
    },
    "crisisroom_auditevent": {
        "changelist": (OK, OK),
        "add": (403, 403),
        "change": (OK, 403),  # read-only: the page shows, a save is refused
        "history": (OK, OK),
        "delete": (403, 403),
    },
}


def _admin(get, post) -> Row:
    return Row(get=Admin(get), post=Admin(post))


ADMIN_ROWS: dict[str, Row] = {
    f"admin:{model}_{page}": _admin(*outcome)
    for model, pages in _ADMIN_STAFF.items()
    for page, outcome in pages.items()
} | {
    "admin:index": _admin(OK, OK),
    "admin:app_list": _admin(OK, OK),
    "admin:password_change": _admin(OK, OK),
    "admin:password_change_done": _admin(OK, 405),
    "admin:jsi18n": _admin(OK, 405),
    "admin:autocomplete": _admin(403, 405),  # no model has autocomplete fields
    "admin:view_on_site": _admin(404, 404),  # no model has get_absolute_url
    "admin:auth_user_password_change": _admin(403, 403),
    # The admin's own login form is never served: urls.py's admin_login_redirect, on the same
    # path, sends everyone to our login (throttling and the code step).
    "admin:login": Row(get=Public(), post=Public()),
    # Logging out of the admin is a POST; anyone not staff is sent to the admin index.
    "admin:logout": Row(
        get=Admin(405, others="admin-index"), post=Admin(ANY, others="admin-index")
    ),
}

# -- the wall screen (meetings/views/wall.py) ----------------------------------------------------
# The chair sets it up (RUN_MEETING). A wall computer's own pages are public and read only the
# wall cookie, which no persona here has: the code page is open to anyone (a right code pairs
# and redirects), the wall itself sends a browser without the cookie to the code page, and a
# paired wall's poll token is not answered without its cookie (tests/meetings/test_wall.py
# covers the wall that has it).


class WallCookieOnly(Rule):
    """Only a paired wall computer (its cookie); everyone else is sent to the code page."""

    def expect(self, persona):
        return 302


def _wall_code(o: Objects, persona: str) -> dict:
    from tests.access_fixtures import wall_pairing

    return {"code": wall_pairing(o)[1]}


WALL_ROWS: dict[str, Row] = {
    "wall_setup": Row(get=CHAIR),
    "wall_settings": Row(
        post=CHAIR, data=lambda o, p: {"show_decisions": "on", "show_kernbeeld": "on"}
    ),
    "wall_pair": Row(post=CHAIR, data=lambda o, p: {"label": f"Scherm van {p}"}),
    "wall_revoke": Row(post=CHAIR),
    "wall_enter": Row(get=Public(), post=Public(), data=_wall_code),
    "wall_screen": Row(get=WallCookieOnly()),
    "wall_live": Row(get=LiveToken("a paired wall")),
    "wall_stream": Row(get=StreamUnderWsgi()),
}

COLD_READ = Cold()
COLD_AOV = Cold("maintain")


def _framework_form(o: Objects, persona: str) -> dict:
    from resilience.services.defaults import DEFAULT_CRITERIA

    data = {
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "40",
        "note": f"Weging van {persona}",
        "based_on_version": "1",
    }
    for i, (code, name, _interest) in enumerate(DEFAULT_CRITERIA[:2]):
        data |= {f"criteria-{i}-code": code, f"criteria-{i}-name": name}
        data[f"criteria-{i}-weight"] = "60" if i == 0 else "40"
    return data


def _decision_form(o: Objects, persona: str) -> dict:
    today = timezone.localdate()
    return {
        "decided_by": "college",
        "decided_on": today.isoformat(),
        "review_on": (today + timedelta(days=180)).isoformat(),
        "reasons": f"Besluit van {persona}",
        f"position-{o.cold.scenario.pk}": "1",
    }


def _measure_form(o: Objects, persona: str) -> dict:
    return {
        "title": f"Maatregel van {persona}",
        "theme": "energie",
        "phase": "koude_fase",
        "owner_function": "teamleider",
        "status": "gepland",
        "revision": o.cold.measure.revision,
    }


def _point_form(o: Objects, persona: str) -> dict:
    return {
        "name": f"Noodsteunpunt van {persona}",
        "kind": "gemeenschapshuis",
        "address": "Markt 2",
        "latitude": "52.1",
        "longitude": "5.1",
        "capacity": "80",
        "services": ["informatie", "water"],
        "key_holder": "Beheerder, 06-12345678",
        "is_active": "on",
    }


def _location_form(o: Objects, persona: str) -> dict:
    return {
        "name": f"School van {persona}",
        "kind": "school",
        "address": "Schoolstraat 1",
        "district": o.cold.first72.district.pk,
        "people": "200",
        "dependencies": ["verwarming"],
        "is_active": "on",
    }


def _stock_form(o: Objects, persona: str) -> dict:
    return {"place": f"Magazijn van {persona}", "quantity": "50", "as_of": _today()}


def _rule_form(o: Objects, persona: str) -> dict:
    return {
        "priority_order": "Verpleeghuizen\nScholen",
        "decided_by": "college van B en W",
        "decided_on": _today(),
        "reasons": f"Besluit vastgelegd door {persona}",
    }


def _today() -> str:
    return timezone.localdate().isoformat()


COLD_RULES = Cold("record_rule")

COLD_ROWS: dict[str, Row] = {
    "scenario_create": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"title": f"Scenario van {p}", "theme": "cyber"},
    ),
    "scenario_edit": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"title": f"Scenario van {p}", "theme": "cyber"},
    ),
    "scenario_archive": Row(post=COLD_AOV),
    "scenario_score": Row(
        post=COLD_AOV,
        data=lambda o, p: {
            "aspect": "waarschijnlijkheid",
            "score-waarschijnlijkheid-value": "4",
            "score-waarschijnlijkheid-reasoning": f"Inschatting van {p}",
        },
    ),
    "framework_edit": Row(get=COLD_AOV, post=COLD_AOV, data=_framework_form),
    "priority_decide": Row(get=Cold("decide"), post=Cold("decide"), data=_decision_form),
    "measure_create": Row(get=COLD_AOV, post=COLD_AOV, data=_measure_form),
    "measure_edit": Row(
        get=ColdMeasure(update=True), post=ColdMeasure(update=True), data=_measure_form
    ),
    "measure_progress": Row(
        post=ColdMeasure(update=True),
        data=lambda o, p: {
            "on": timezone.localdate().isoformat(),
            "text": f"Voortgang van {p}",
            "status": "loopt",
        },
    ),
    "process_create": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {
            "name": f"Proces van {p}",
            "max_outage_hours": "24",
            "fallback": "Op papier",
        },
    ),
    "process_edit": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {
            "name": "Uitbetaling uitkeringen",
            "max_outage_hours": "48",
            "fallback": "Handmatig",
            "revision": o.cold.process.revision,
        },
    ),
    "partner_create": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"name": f"Partner van {p}", "kind": "anders", "is_active": "on"},
    ),
    "partner_edit": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {
            "name": o.spare_partner.name,
            "kind": o.spare_partner.kind,
            "is_active": "on",
        },
    ),
    # Without a file the adviser gets the form back with its message (422): the view was reached.
    "measure_import": Row(get=COLD_AOV, post=Cold("maintain", accepted=(422,))),
    "resilience_role_set": Row(
        post=Cold("manage_roles"), data=lambda o, p: {"user": o.users["logger"].pk, "kind": "lezer"}
    ),
    "resilience_home": Row(get=COLD_READ),
    "scenario_list": Row(get=COLD_READ),
    "scenario_detail": Row(get=COLD_READ),
    "weighing_page": Row(get=COLD_READ),
    "framework_version": Row(get=COLD_READ),
    "priority_decision": Row(get=COLD_READ),
    "programme_page": Row(get=COLD_READ),
    "measure_detail": Row(get=ColdMeasure()),
    "measure_revision": Row(get=ColdMeasure()),
    "process_list": Row(get=COLD_READ),
    "partner_list": Row(get=COLD_READ),
    "resilience_roles": Row(get=Cold("manage_roles")),
    "programme_pdf": Row(get=COLD_READ),
    "weighing_pdf": Row(get=COLD_READ),
    "programme_csv": Row(get=COLD_READ),
    "programme_xlsx": Row(get=COLD_READ),
    "weighing_csv": Row(get=COLD_READ),
    "weighing_xlsx": Row(get=COLD_READ),
    # The first 72 hours: registers, map, scarce goods and their allocation rules
    "first72_points": Row(get=COLD_READ),
    "first72_point_detail": Row(get=COLD_READ),
    "first72_locations": Row(get=COLD_READ),
    "first72_groups": Row(get=COLD_READ),
    "first72_districts": Row(get=COLD_READ),
    "first72_map": Row(get=COLD_READ),
    "first72_print": Row(get=COLD_READ),
    "first72_point_create": Row(get=COLD_AOV, post=COLD_AOV, data=_point_form),
    "first72_point_edit": Row(get=COLD_AOV, post=COLD_AOV, data=_point_form),
    "first72_point_status": Row(post=COLD_AOV, data=lambda o, p: {"status": "gaat_open"}),
    "first72_point_retire": Row(post=COLD_AOV),
    "first72_location_create": Row(get=COLD_AOV, post=COLD_AOV, data=_location_form),
    "first72_location_edit": Row(get=COLD_AOV, post=COLD_AOV, data=_location_form),
    "first72_group_create": Row(post=COLD_AOV, data=lambda o, p: {"name": f"Groep van {p}"}),
    "first72_count_set": Row(
        post=COLD_AOV,
        data=lambda o, p: {
            "group": o.cold.first72.group.pk,
            "district": o.cold.first72.district.pk,
            "count": "12",
            "source": "CBS",
            "as_of": timezone.localdate().isoformat(),
        },
    ),
    "first72_district_create": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"code": "WK099902", "name": f"Wijk van {p}", "level": "wijk"},
    ),
    "first72_district_edit": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"code": "WK099901", "name": "Centrum-Noord", "level": "wijk"},
    ),
    # Without a file the adviser gets the form back with its message (422): the view was reached.
    "first72_districts_import": Row(get=COLD_AOV, post=Cold("maintain", accepted=(422,))),
    "scarce_goods": Row(get=COLD_READ),
    "scarce_good_create": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"name": f"Aggregaten van {p}", "kind": "aggregaten", "unit": "stuks"},
    ),
    "scarce_good_edit": Row(
        get=COLD_AOV,
        post=COLD_AOV,
        data=lambda o, p: {"name": "Drinkwater", "kind": "drinkwater", "unit": "liter"},
    ),
    "scarce_stock_create": Row(get=COLD_AOV, post=COLD_AOV, data=_stock_form),
    "scarce_stock_edit": Row(get=COLD_AOV, post=COLD_AOV, data=_stock_form),
    "scarce_stock_remove": Row(post=COLD_AOV),
    "allocation_rule": Row(get=COLD_READ),
    "allocation_rule_version": Row(get=COLD_READ),
    "allocation_rule_create": Row(
        get=COLD_RULES,
        post=COLD_RULES,
        data=lambda o, p: {"title": f"Regel van {p}", **_rule_form(o, p)},
    ),
    "allocation_rule_decide": Row(
        get=COLD_RULES, post=COLD_RULES, data=lambda o, p: {**_rule_form(o, p), "based_on": 1}
    ),
    "allocation_rule_retire": Row(post=COLD_RULES),
    "samenloop": Row(get=COLD_READ),
}

# The first 72 hours in crisis A: its page is every member's; who writes what follows the roles.
FIRST72_DESK = CrisisRight(RUN_MEETING, RECORD_ENTRY, HANDLE_MESSAGES)
CRISIS_FIRST72_ROWS: dict[str, Row] = {
    "crisis_first72": Row(get=MEMBER),
    "crisis_first72_area": Row(
        get=CrisisRight(RUN_MEETING, RECORD_ENTRY),
        post=CrisisRight(RUN_MEETING, RECORD_ENTRY),
        data=lambda o, p: {"districts": [], "shown": [o.cold.first72.district.pk]},
    ),
    "crisis_first72_point_status": Row(post=FIRST72_DESK, data=lambda o, p: {"status": "open"}),
    "crisis_first72_request": Row(
        post=FIRST72_DESK,
        data=lambda o, p: {
            **_token(),
            "good": o.cold.first72.good.pk,
            "quantity": "100",
            "requester": f"Verzoek van {p}",
            "description": "Water voor de bewoners",
        },
    ),
    "crisis_first72_decide": Row(
        post=CrisisRight(RECORD_DECISION),
        data=lambda o, p: {
            **_token(),
            "good": o.cold.first72.good.pk,
            "quantity": "100",
            "recipient": "Buurthuis Centrum",
            "requests": [o.cold.first72.request.pk],
            "rule_version": o.cold.first72.rule.versions.get().pk,
            "how": "volgt",
            "reasons": f"Besluit van {p}",
            "decided_by": o.users["mayor"].pk,
        },
    ),
    "crisis_first72_refuse": Row(
        get=CrisisRight(RECORD_DECISION),
        post=CrisisRight(RECORD_DECISION),
        data=lambda o, p: {**_token(), "reasons": f"Afgewezen door {p}: voorraad op"},
    ),
    "crisis_first72_to_analysis": Row(post=CrisisRight(WRITE_ANALYSIS)),
}


def _end_exercise(o: Objects, monkeypatch=None) -> None:
    """Exercise X's play is over: the evaluation is open."""
    from exercises import services as exercise_services

    exercise_services.exercise_end(exercise=o.exercises.exercise, actor=o.users["region_leader"])
    o.exercises.exercise.refresh_from_db()


def _exercise_new_form(o: Objects, persona: str) -> dict:
    return {
        **_token(),
        "version": o.exercises.version.pk,
        "organisation": o.organisation.pk,
        "title": f"Oefening van {persona}",
    }


def _observation_form(o: Objects, persona: str) -> dict:
    return {**_token(), "text": f"Waarneming van {persona}", "phase": "beeldvorming"}


def _lesson_form(o: Objects, persona: str) -> dict:
    return {
        "text": f"Leerpunt van {persona}",
        "owner": o.users["chair"].pk,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }


def _rating_form(o: Objects, persona: str) -> dict:
    objective = o.exercises.version.objectives.first()
    return {f"level_{objective.pk}": "s", f"note_{objective.pk}": "Redelijk"}


def _publish_form(o: Objects, persona: str) -> dict:
    return {
        "kind": "cards",
        "target": format_selectors.cards_current(organisation=o.exercises.region).pk,
        "note": "Nieuwe kaarten",
    }


EXERCISE_ROWS: dict[str, Row] = {
    # The organisation's area: organisation A as a member of the region.
    "exercise_runs": Row(get=ExerciseArea()),
    "exercise_new": Row(
        get=ExerciseArea("prepare"),
        post=ExerciseArea("prepare", accepted=(422,)),
        data=_exercise_new_form,
    ),
    "exercise_region": Row(get=ExerciseArea()),
    # Organisation A's own scenario library (a draft scenario with one inject).
    "exercise_library": Row(get=ExerciseArea()),
    "scenario_new": Row(
        get=ExerciseArea("prepare"),
        post=ExerciseArea("prepare", accepted=(422,)),
        data=lambda o, p: {"title": f"Scenario van {p}", "team_kind": "gbt"},
    ),
    "scenario_page": Row(get=ExerciseArea()),
    "scenario_change": Row(
        get=ExerciseArea("prepare"),
        post=ExerciseArea("prepare", accepted=(422,)),
        data=lambda o, p: {"title": f"Scenario van {p}", "team_kind": "gbt"},
    ),
    "scenario_new_version": Row(
        post=ExerciseArea("prepare", accepted=(422,)),
        data=lambda o, p: {"note": f"Aangepast door {p}"},
    ),
    "inject_new": Row(
        get=ExerciseArea("prepare"),
        post=ExerciseArea("prepare", accepted=(422,)),
        data=lambda o, p: {"summary": f"Inject van {p}", "channel": "telefoon"},
    ),
    "inject_edit": Row(
        get=ExerciseArea("prepare"),
        post=ExerciseArea("prepare", accepted=(422,)),
        data=lambda o, p: {"summary": f"Inject van {p}", "channel": "telefoon"},
    ),
    "inject_delete": Row(post=ExerciseArea("prepare")),
    "adopt": Row(post=ExerciseArea("adopt")),
    # The region's side (org_pk is the region's).
    "publish": Row(post=ExerciseArea("prepare", region=True), data=_publish_form),
    "exercise_compare": Row(get=ExerciseArea(region=True)),
    # Exercise X.
    "exercise_overview": Row(get=ExerciseRole()),
    "exercise_control": Row(get=ExerciseRole("lead")),
    "exercise_control_region": Row(get=ExerciseRole("lead")),
    "exercise_clock": Row(post=ExerciseRole("lead")),
    "exercise_end_view": Row(post=ExerciseRole("lead")),
    "inject_release_view": Row(post=ExerciseRole("lead")),
    "exercise_observe": Row(
        get=ExerciseRole("observe"),
        post=ExerciseRole("observe", accepted=(422,)),
        data=_observation_form,
    ),
    "exercise_evaluation": Row(get=ExerciseRole(), prepare=_end_exercise),
    "exercise_feedback": Row(
        post=ExerciseRole(accepted=(422,)),
        data=lambda o, p: {"went_well": f"Goed, zegt {p}", "to_improve": ""},
        prepare=_end_exercise,
    ),
    "exercise_rate": Row(
        post=ExerciseRole("lead", accepted=(422,)), data=_rating_form, prepare=_end_exercise
    ),
    "exercise_lesson": Row(
        post=ExerciseRole("lead", accepted=(422,)), data=_lesson_form, prepare=_end_exercise
    ),
    "exercise_evaluation_close": Row(post=ExerciseRole("lead"), prepare=_end_exercise),
    # EXCON reads the report at any time; the players once the evaluation is closed.
    "exercise_report": Row(get=ExerciseRole("observe"), prepare=_end_exercise),
}


MATRIX: dict[str, Row] = (
    {
        # crisisroom
        "crisis_list": Row(get=LoggedIn()),
        "crisis_home": Row(get=MEMBER),
        "crisis_member_availability": Row(
            post=CrisisRight(MANAGE_MEMBERS), data=lambda o, p: {"available": "0", "note": "Ziek"}
        ),
        # Calling in a deputy needs an unavailable member with one on the roster: the matrix's
        # observer has none, so the allowed personas get the message and the team page (302).
        "crisis_call_deputy": Row(post=CrisisRight(MANAGE_MEMBERS)),
        "crisis_start": Row(
            get=CHAIR,
            post=CHAIR,
            data=lambda o, p: {"scope": "centraal", "response": "bijeenroepen"},
        ),
        "crisis_team": Row(get=MEMBER),
        "crisis_member_add": Row(
            post=CrisisRight(MANAGE_MEMBERS),
            data=lambda o, p: {"user": o.users["shared_reader"].pk, "role": Role.OBSERVER},
        ),
        "crisis_member_end": Row(post=CrisisRight(MANAGE_MEMBERS)),
        "crisis_audit": Row(get=CrisisRight(*READ_AUDIT)),
        "crisis_archive": Row(post=CrisisRight(*READ_AUDIT), prepare=_close_crisis),
        # meetings
        "meeting_list": Row(get=MEMBER),
        "meeting_start": Row(
            post=CHAIR, data=lambda o, p: {"planned_minutes": 45}, prepare=_close_meeting
        ),
        "meeting_detail": Row(get=MEMBER),
        "meeting_projection": Row(get=MEMBER),
        "meeting_log_older": Row(get=MEMBER, query=lambda o: {"before": o.entry.seq + 1}),
        "meeting_assignments_more": Row(get=MEMBER, query=lambda o: {"offset": 0}),
        "meeting_kernbeeld": Row(
            post=CrisisRight(RUN_MEETING, RECORD_ENTRY),
            data=lambda o, p: {
                "kernbeeld": f"Kernbeeld van {p}",
                "kernbeeld_revision": o.meeting.kernbeeld_revision,
            },
        ),
        "meeting_phase": Row(post=CHAIR, data=lambda o, p: {"phase": "oordeelsvorming"}),
        "meeting_reflection": Row(post=CHAIR, data=lambda o, p: {"note": "Even stilstaan"}),
        "meeting_attendance": Row(
            post=CHAIR,
            data=lambda o, p: {
                "user": o.users["adviser"].pk,
                "present": "0",
                "delegate": o.users["observer"].pk,
            },
        ),
        "meeting_next": Row(
            post=CHAIR,
            data=lambda o, p: {
                "next_at": _local(timedelta(days=1)),
                "minutes": 30,
                "input_due_at": _local(timedelta(hours=20)),
            },
        ),
        "meeting_close": Row(post=CHAIR),
        "entry_create": Row(
            post=CrisisRight(RECORD_ENTRY, RECORD_DECISION),
            data=lambda o, p: (
                _token()
                | {
                    "kind": "besluit",
                    "text": f"Besluit van {p}",
                    "reasoning": "Veiligheid eerst",
                    "decided_by": o.users["mayor"].pk,
                }
            ),
        ),
        "entry_correct": Row(
            get=RECORDER,
            post=RECORDER,
            data=lambda o, p: _token() | {"kind": "beeld", "text": "Stroom valt uit in Zuid"},
        ),
        "assignment_check": Row(
            get=RECORDER,
            post=RECORDER,
            data=lambda o, p: _token() | {"outcome": "done", "remark": "Geregeld"},
        ),
        "decision_list": Row(get=MEMBER),
        "entry_between": Row(
            get=CrisisRight(RECORD_ENTRY, RECORD_DECISION),
            post=CrisisRight(RECORD_ENTRY, RECORD_DECISION),
            data=lambda o, p: (
                _token()
                | {
                    "kind": "besluit",
                    "text": f"Telefonisch besluit van {p}",
                    "reasoning": "Spoed",
                    "decided_by": o.users["mayor"].pk,
                }
            ),
        ),
        "meeting_kernbeeld_history": Row(get=MEMBER),
        # A meeting runs in crisis A, so a paper meeting is refused (422) for those who may.
        "meeting_on_paper": Row(
            get=CrisisRight(RUN_MEETING, RECORD_ENTRY),
            post=CrisisRight(RUN_MEETING, RECORD_ENTRY, accepted=(422,)),
            data=lambda o, p: {
                "started_at": _local(timedelta(hours=-3)),
                "ended_at": _local(timedelta(hours=-2)),
                "planned_minutes": 30,
            },
        ),
        "meeting_card_tick": Row(post=CHAIR, data=lambda o, p: {"key": "agenda:1"}),
        "proposal_decide": Row(post=RECORDER, data=lambda o, p: _token() | {"decision": "accept"}),
        "personal_item_propose": Row(post=Owner(ITEM_OWNER)),
        "live_poll": Row(get=LiveToken(TOKEN_HOLDER)),
        "live_stream": Row(get=StreamUnderWsgi()),
        # meetings: the message desk and who informs whom
        "desk": Row(get=MEMBER),
        "message_create": Row(
            post=CrisisRight(HANDLE_MESSAGES),
            data=lambda o, p: (
                _token()
                | {
                    "direction": "in",
                    "channel": "telefoon",
                    "counterpart": "Netbeheerder",
                    "summary": f"Bericht van {p}",
                    "priority": "normaal",
                }
            ),
        ),
        "message_detail": Row(get=MEMBER),
        "message_handle": Row(
            post=CrisisRight(HANDLE_MESSAGES), data=lambda o, p: {"outcome": "afgehandeld"}
        ),
        "message_to_log": Row(
            post=CrisisRight(HANDLE_MESSAGES, RECORD_ENTRY),
            data=lambda o, p: _token() | {"kind": "beeld"},
        ),
        "message_route": Row(
            post=CrisisRight(HANDLE_MESSAGES), data=lambda o, p: {"routed_to": o.users["logger"].pk}
        ),
        "message_approve": Row(post=CrisisRight(APPROVE_MESSAGES)),
        "message_correct": Row(
            get=CrisisRight(HANDLE_MESSAGES),
            post=CrisisRight(HANDLE_MESSAGES),
            data=lambda o, p: (
                _token()
                | {
                    "direction": "in",
                    "channel": "pers",
                    "counterpart": "Omroep Aadorp",
                    "summary": "Vraagt naar de hersteltijd in Noord",
                    "priority": "normaal",
                }
            ),
        ),
        "stakeholders": Row(get=MEMBER),
        "stakeholder_add": Row(
            post=CrisisRight(RUN_MEETING, HANDLE_MESSAGES),
            data=lambda o, p: {"partner": o.spare_partner.pk},
        ),
        "stakeholder_keeper": Row(
            post=CrisisRight(RUN_MEETING, HANDLE_MESSAGES),
            data=lambda o, p: {"keeper": o.users["chair"].pk},
        ),
        "stakeholder_inform": Row(
            post=CrisisRight(INFORM_STAKEHOLDERS),
            data=lambda o, p: {
                f"s{o.stakeholder.pk}-client_token": str(uuid.uuid4()),
                f"s{o.stakeholder.pk}-channel": "telefoon",
                f"s{o.stakeholder.pk}-core_message": f"Informatie van {p}",
            },
        ),
        "stakeholder_scheme": Row(get=MEMBER),
        # formats: the strategic analysis
        "analysis_page": Row(get=MEMBER_OR_SHARED),
        "analysis_save": Row(post=CrisisRight(WRITE_ANALYSIS), data=_analysis_form),
        "analysis_hand_over": Row(post=CrisisRight(WRITE_ANALYSIS), data=_analysis_form),
        "analysis_pdf": Row(get=MEMBER_OR_SHARED, prepare=_render_pdf_once),
        "analysis_diff": Row(
            get=MEMBER_OR_SHARED,
            query=lambda o: {"van": o.version_first.number, "naar": o.version_latest.number},
        ),
        "analysis_sharing": Row(get=CrisisRight(SHARE_ANALYSIS)),
        "analysis_share": Row(
            post=CrisisRight(SHARE_ANALYSIS), data=lambda o, p: {"user": o.users["org_admin"].pk}
        ),
        "analysis_share_revoke": Row(post=CrisisRight(SHARE_ANALYSIS)),
        # formats: organisation content (administrators)
        "format_edit": Row(get=OrgAdministrator(), post=OrgAdministrator(), data=_format_form),
        "cards_edit": Row(get=OrgAdministrator(), post=OrgAdministrator(), data=_cards_form),
        "paper_pack_organisation": Row(get=OrgAdministrator(), prepare=_render_paper_pack_once),
        # formats: cards, personal logbook, paper
        "task_cards": Row(
            get=MEMBER,
            post=MEMBER,
            data=lambda o, p: {"role": PERSONA_ROLES.get(p, ""), "number": 1, "done": "1"},
        ),
        "personal_logbook": Row(
            get=MEMBER,
            post=MEMBER,
            data=lambda o, p: {"kind": "actie", "text": f"Notitie van {p}", "priority": "normaal"},
        ),
        "paper_pack_crisis": Row(get=MEMBER, prepare=_render_paper_pack_once),
        # accounts and the rest of the project
        "login": Row(
            get=Public(), post=Public(), data=lambda o, p: {"username": "chair", "password": "fout"}
        ),
        "logout": Row(post=Public()),
        "set_language": Row(
            get=Public(), post=Public(), data=lambda o, p: {"language": "nl", "next": "/"}
        ),
        # account_views.two_factor_verify: public (second step of a login); without a pending
        # login or an authenticator app it sends the visitor back to the login page.
        "two_factor_verify": Row(get=Public(), post=Public(), data=lambda o, p: {"code": "000000"}),
        # account_views.two_factor_setup: login_required. The code can only be right for the secret
        # the GET put in the session, so the POST's wrong code (422) shows the page was reached.
        "two_factor_setup": Row(
            get=LoggedIn(), post=LoggedIn(accepted=(422,)), data=lambda o, p: {"code": "000000"}
        ),
        "admin_login_redirect": Row(get=Public(), post=Public()),
    }
    | ADMIN_ROWS
    | WALL_ROWS
    | COLD_ROWS
    | CRISIS_FIRST72_ROWS
    | EXERCISE_ROWS
)


def url_for(route: Route, objects: Objects, query: dict | None = None) -> str:
    unknown = [k for k in route.kwargs if k not in KWARG_BUILDERS]
    if unknown:
        pytest.fail(
            f"URL {route.name!r} ({route.route}) takes {', '.join(map(repr, unknown))}, which "
            "the access matrix cannot build: add a builder to KWARG_BUILDERS in "
            "tests/access_fixtures.py that returns a real object of crisis A."
        )
    kwargs = {k: KWARG_BUILDERS[k](objects, route.name, route.callback) for k in route.kwargs}
    url = reverse(route.name, kwargs=kwargs)
    return f"{url}?{urlencode(query)}" if query else url


def _client(objects: Objects, persona: str, csrf: bool) -> Client:
    """One logged-in client per persona and test, logged in outside the rolled-back cases."""
    clients = objects.clients
    if (persona, csrf) not in clients:
        client = Client(raise_request_exception=False, enforce_csrf_checks=csrf)
        if persona != "anonymous":
            client.force_login(objects.users[persona])
        clients[persona, csrf] = client
    return clients[persona, csrf]


def _send(objects: Objects, persona: str, method: str, url: str, data=None, csrf=False):
    """One request as ``persona``; everything it changes is rolled back afterwards, the
    client's cookies (a logout, a message) included."""
    client = _client(objects, persona, csrf)
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


# -- the tests ---------------------------------------------------------------------------------


def test_the_url_configuration_can_be_walked():
    assert not ROUTE_PROBLEMS, "\n".join(ROUTE_PROBLEMS)
    assert {"crisis_home", "meeting_detail", "analysis_page", "login", "admin:index"} <= set(ROUTES)


def test_the_matrix_has_no_rows_for_urls_that_are_gone():
    stale = sorted(set(MATRIX) - set(ROUTES))
    assert not stale, f"MATRIX has rows for URL names that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_access_matrix(world, monkeypatch, name):
    route = ROUTES[name]
    row = MATRIX.get(name)
    if row is None:
        pytest.fail(
            f"URL {name!r} ({route.route}, view {route.callback.__module__}."
            f"{route.callback.__name__}) is not in the access matrix: add your new view to "
            "MATRIX in tests/test_access_matrix.py with who may GET and who may POST it."
        )
    objects = build_objects(world)
    if row.prepare:
        row.prepare(objects, monkeypatch)
    url = url_for(route, objects, row.query(objects) if row.query else None)
    secret = objects.crisis.title.encode()
    failures = []
    for method in METHODS:
        rule = getattr(row, method)
        for persona in PERSONAS:
            data = row.data(objects, persona) if row.data and method == "post" else None
            response = _send(objects, persona, method, url, data)
            problem = problem_with(expected(rule, persona), persona, response)
            if not problem and response.status_code == 404 and secret in response.content:
                problem = "404, but the page names the crisis"
            if problem:
                rule_name = rule.describe() if rule else "None (405)"
                failures.append(f"{method.upper()} {url} as {persona} [{rule_name}]: {problem}")
    assert not failures, f"{name}: {len(failures)} wrong answers\n" + "\n".join(failures)


def _poster(row: Row) -> str:
    """Someone allowed to POST, so a 403 can only come from the missing CSRF token."""
    allowed = (OK, ANY, "admin-ok", "poll-answer")
    return next((p for p in PERSONAS if expected(row.post, p) in allowed), "anonymous")


POSTABLE = sorted(name for name, row in MATRIX.items() if row.post is not None)


def test_every_post_without_a_csrf_token_is_refused(world):
    objects = build_objects(world)
    failures = []
    for name in POSTABLE:
        if name not in ROUTES:
            continue  # test_the_matrix_has_no_rows_for_urls_that_are_gone says so
        row, route = MATRIX[name], ROUTES[name]
        persona = _poster(row)
        url = url_for(route, objects)
        data = row.data(objects, persona) if row.data else None
        response = _send(objects, persona, "post", url, data, csrf=True)
        if response.status_code != 403 or b"CSRF" not in response.content:
            failures.append(f"POST {url} as {persona} without a CSRF token: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert len(POSTABLE) > 30


def test_nobody_ticks_someone_elses_personal_logbook_line(world):
    """The same URL as one's own logbook, with another person's line: private, so 404."""
    objects = build_objects(world)
    url = reverse("personal_logbook", args=[objects.crisis.pk])
    data = {"check": objects.personal_item.pk, "done": "1"}
    answers = {p: _send(objects, p, "post", url, data).status_code for p in CRISIS_PERSONAS}
    assert answers == {p: 302 if p == ITEM_OWNER else 404 for p in CRISIS_PERSONAS}


# Roles no persona plays, and why. A new role fails test_every_role_is_played until it gets a
# persona in tests/conftest.py (or a reason here).
ROLES_NOT_PLAYED = {
    Role.EXERCISE_LEADER: "Exercise only; crisis A is real. region_leader plays it in exercise X",
    Role.CMT_CHAIR: "CMT only; crisis A is a GBT. Its rights are the chair's plus sharing",
    Role.MESSAGE_MANAGER: "CMT only; crisis A is a GBT. Its rights (view) are the adviser's",
}


def test_every_role_is_played():
    played = set(PERSONA_ROLES.values())
    assert set(ROLE_PERMISSIONS) - played == set(ROLES_NOT_PLAYED)
    for role in ROLES_NOT_PLAYED:  # no right that no persona holds
        assert ROLE_PERMISSIONS[role] <= set().union(*(ROLE_PERMISSIONS[r] for r in played))


# -- the live poll -----------------------------------------------------------------------------


def _poll(objects: Objects, token: str, persona: str = "anonymous", seen: int | None = None):
    url = reverse("live_poll", args=[token]) + (f"?r={seen}" if seen is not None else "")
    return _send(objects, persona, "get", url)


def test_the_live_poll_answers_the_member_it_was_handed_to(world):
    from meetings.selectors import logbook_revision

    objects = build_objects(world)
    first = _poll(objects, objects.live_token, TOKEN_HOLDER)
    assert first.status_code == 200  # no revision seen yet: "something changed"
    assert "crisis-changed" in first.headers.get("HX-Trigger", "")
    revision = logbook_revision(crisis=objects.crisis)
    assert _poll(objects, objects.live_token, TOKEN_HOLDER, seen=revision).status_code == 204


def test_a_forged_live_token_gets_404(world):
    objects = build_objects(world)
    forged = objects.live_token[:-3] + ("AAA" if not objects.live_token.endswith("AAA") else "BBB")
    for persona in (TOKEN_HOLDER, "outsider", "anonymous"):
        assert _poll(objects, forged, persona).status_code == 404
    assert _poll(objects, "not-a-token", TOKEN_HOLDER).status_code == 404


def test_a_genuine_token_for_a_non_member_stops_polling(world):
    """Signed by us, but naming someone outside crisis A: no answer, only "stop polling"."""
    objects = build_objects(world)
    outsider = _client(objects, "outsider", csrf=False)
    token = live_token_for(
        crisis_pk=objects.crisis.pk,
        user_pk=objects.users["outsider"].pk,
        session_key=outsider.session.session_key,
    )
    for persona in ("outsider", "anonymous"):
        assert _poll(objects, token, persona).status_code == 286


def test_the_live_poll_stops_for_a_member_who_left(world):
    from crisisroom import services

    objects = build_objects(world)
    services.membership_end(
        membership=world.crisis_a.memberships.get(user=objects.users[TOKEN_HOLDER]), actor=None
    )
    assert _poll(objects, objects.live_token, TOKEN_HOLDER).status_code == 286  # stop polling


@pytest.mark.parametrize("persona", ["mayor", "outsider", "anonymous"])
def test_another_persons_live_token_is_not_answered(world, persona):
    """The token is "bound to the member" (README); presented by someone else it must not
    tell them whether crisis A's log changed."""
    objects = build_objects(world)
    response = _poll(objects, objects.live_token, persona)
    assert response.status_code not in (200, 204), (
        f"{persona} polled the {TOKEN_HOLDER}'s token and got {response.status_code}: "
        "live_poll must only answer the session the token was handed to"
    )
