"""Personas shared by the whole suite (STYLE.md): the people of crisis A and outsiders, and the
builders every app's tests use: crisis A's running meeting (``meeting``), a log entry recorded
in it (``record``), and the strategic analysis handed over (``analysis``, ``hand_over``)."""

import os
import subprocess
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import timezone

from crisisroom import services
from crisisroom.models import Crisis, Organisation
from crisisroom.roles import Role, TeamKind
from formats import services as format_services
from meetings import services as meeting_services
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

# pytest-playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# usable there for live_server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``pytest -n 2`` (``--dist loadgroup`` in addopts, ``make test``): every real-browser journey
    (tests/browser) runs on one worker, one Chromium at a time, first; the other worker takes the
    rest test by test. Two Chromiums at once on two cores would eat the two seconds in which a
    screen must follow the table. Decided by path here, because pytest-xdist 3.8's own grouping
    by the xdist_group mark does nothing on pytest 9.2 (pytest-dev/pytest-xdist#1386)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class BrowsersOnOneWorker(LoadGroupScheduling):
        # Groups go out largest first (--loadscope-reorder): the browsers' is the largest.
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "browser"
            return super()._split_scope(nodeid)

    return BrowsersOnOneWorker(config, log)


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    crisis_a: Crisis
    crisis_b: Crisis
    chair: AbstractBaseUser
    mayor: AbstractBaseUser
    rol: AbstractBaseUser
    logger: AbstractBaseUser
    adviser: AbstractBaseUser
    observer: AbstractBaseUser
    outsider: AbstractBaseUser  # member of organisation B's crisis only
    org_admin: AbstractBaseUser  # administers organisation A, member of no crisis


PERSONA_ROLES = {
    "chair": Role.TECHNICAL_CHAIR,
    "mayor": Role.MAYOR,
    "rol": Role.ROL,
    "logger": Role.LOGGER,
    "adviser": Role.ADVISER,
    "observer": Role.OBSERVER,
}


def seat(crisis: Crisis, user, role: str, function_title: str = "") -> None:
    services.organisation_member_set(organisation=crisis.organisation, user=user, actor=None)
    services.membership_add(
        crisis=crisis, user=user, role=role, actor=None, function_title=function_title
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered regions are cached by ids and revision; ids come round again between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    org_a = OrganisationFactory(name="Gemeente Aadorp")
    org_b = OrganisationFactory(name="Bedrijf Bee B.V.", kind=Organisation.Kind.COMPANY)
    crisis_a = services.crisis_open(
        organisation=org_a,
        title="Stroomstoring Aadorp",
        team_kind=TeamKind.GBT,
        scaling_label="GRIP 3",
        actor=None,
        staff_from_roster=False,
    )
    crisis_b = services.crisis_open(
        organisation=org_b,
        title="Oefening datalek",
        team_kind=TeamKind.CMT,
        is_exercise=True,
        actor=None,
        staff_from_roster=False,
    )
    people = {name: UserFactory(username=name) for name in [*PERSONA_ROLES, "outsider", "admin"]}
    for name, role in PERSONA_ROLES.items():
        seat(crisis_a, people[name], role)
    seat(crisis_b, people["outsider"], Role.ADVISER)
    services.organisation_member_set(
        organisation=org_a, user=people["admin"], actor=None, is_administrator=True
    )
    people["admin"].is_staff = True
    people["admin"].save()
    return World(
        org_a=org_a,
        org_b=org_b,
        crisis_a=crisis_a,
        crisis_b=crisis_b,
        outsider=people["outsider"],
        org_admin=people["admin"],
        **{name: people[name] for name in PERSONA_ROLES},
    )


@pytest.fixture
def login():
    """A logged-in test client for a user, through the real authentication backend."""

    def _login(user) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


# -- builders: a running meeting, log entries, a handed-over analysis -----------------------------

# A complete analysis: every required section of the default format filled in.
FULL = {
    "aanleiding": "Stroomstoring in Aadorp-Noord sinds 05:10.",
    "weten": "Weten: 12.000 huishoudens zonder stroom. Niet: hersteltijd.",
    "impact": "Zorg aan huis, telecom, koelcellen supermarkten.",
    "advies": "Noodstroom voor het verpleeghuis regelen.",
}


@pytest.fixture
def meeting(world):
    """Crisis A with a running meeting (number 1), started by the chair."""
    return meeting_services.meeting_start(crisis=world.crisis_a, actor=world.chair)


@pytest.fixture
def record(world, meeting):
    """Record an entry in crisis A's running meeting as the logger, with sensible defaults.

    ``meeting=`` records in another meeting (of any crisis; pass its ``actor`` too); any other
    keyword goes to ``meetings.services.entry_record`` as it is.
    """
    running = meeting

    def _record(kind="beeld", text="Rookpluim trekt naar het noorden", *, meeting=None, **fields):
        target = meeting or running
        fields.setdefault("actor", world.logger)
        fields.setdefault("client_token", uuid.uuid4())
        if kind == "opdracht":
            fields.setdefault("owner_function", "communicatieadviseur")
            fields.setdefault("deadline", timezone.now() + timedelta(hours=2))
        if kind == "besluit":
            fields.setdefault("reasoning", "Gezondheid gaat voor")
        return meeting_services.entry_record(
            crisis=target.crisis, meeting=target, kind=kind, text=text, **fields
        )

    return _record


@pytest.fixture
def analysis(world):
    """Crisis A's strategic analysis (started, nothing handed over yet)."""
    return format_services.analysis_get_or_start(crisis=world.crisis_a)


@pytest.fixture
def hand_over(world, analysis):
    """Save sections (``FULL`` with the given ones over it) as the ROL and hand them over;
    returns the new version. ``analysis=`` and ``actor=`` hand over another analysis (of another
    crisis) as someone else."""
    default = analysis

    def _hand_over(*, analysis=None, actor=None, **sections):
        target = analysis or default
        current = type(target).objects.get(pk=target.pk)
        saved = format_services.analysis_save_draft(
            analysis=current,
            actor=actor or world.rol,
            sections={**FULL, **sections},
            base_revision=current.draft_revision,
        )
        return format_services.analysis_hand_over(analysis=saved, actor=actor or world.rol)

    return _hand_over


def pdf_text(content: bytes) -> str:
    """A PDF's text as a reader would copy it (poppler-utils, installed by make test)."""
    assert content.startswith(b"%PDF-")
    return subprocess.run(  # noqa: S603 - a fixed program on our own PDF
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


# -- the cold phase of organisation A ------------------------------------------------------------


@dataclass
class Cold:
    """Organisation A's cold phase and its people: the adviser who maintains it (AOV), the mayor
    who decides (role "bestuur"), the administrator (reads and decides without a role), a
    measure's owner without a role, someone of the organisation without any (the logger), and
    the outsider of organisation B. ``measure`` is owned by ``owner``."""

    organisation: Organisation
    aov: AbstractBaseUser
    mayor: AbstractBaseUser
    org_admin: AbstractBaseUser
    owner: AbstractBaseUser
    member: AbstractBaseUser
    outsider: AbstractBaseUser
    measure: object  # resilience.models.Measure


@pytest.fixture
def cold(world) -> Cold:
    from resilience import services as resilience_services
    from resilience.models import ResilienceRole

    org = world.org_a
    aov = UserFactory(username="aov-a", first_name="Anke", last_name="Adviseur")
    owner = UserFactory(username="eigenaar-a", first_name="Otto", last_name="Eigenaar")
    for user in (aov, owner):
        services.organisation_member_set(organisation=org, user=user, actor=None)
    resilience_services.resilience_role_set(
        organisation=org, actor=world.org_admin, user=aov, kind=ResilienceRole.Kind.AOV
    )
    resilience_services.resilience_role_set(
        organisation=org, actor=world.org_admin, user=world.mayor, kind=ResilienceRole.Kind.BESTUUR
    )
    measure = resilience_services.measure_create(
        organisation=org,
        actor=aov,
        data=resilience_services.MeasureInput(
            title="Noodwatervoorraad voor verpleeghuizen",
            theme="drinkwater",
            phase="koude_fase",
            owner=owner,
            due_on=timezone.localdate() + timedelta(days=30),
        ),
    )
    return Cold(
        organisation=org,
        aov=aov,
        mayor=world.mayor,
        org_admin=world.org_admin,
        owner=owner,
        member=world.logger,
        outsider=world.outsider,
        measure=measure,
    )


def cold_score(cold: Cold, scenario, *, impact: int, likelihood: int | None = None) -> None:
    """Score ``scenario`` on every criterion of the current framework with ``impact`` (as the
    AOV), and on its likelihood when given: without it, the scenario stays unranked."""
    from resilience import selectors as resilience_selectors
    from resilience import services as resilience_services
    from resilience.models import LIKELIHOOD

    framework = resilience_selectors.framework_current(organisation=cold.organisation)
    aspects = [(c.code, impact) for c in framework.criteria.all()]
    if likelihood is not None:
        aspects.append((LIKELIHOOD, likelihood))
    for aspect, value in aspects:
        resilience_services.assessment_record(
            scenario=scenario,
            actor=cold.aov,
            aspect=aspect,
            value=value,
            reasoning=f"Klasse {value}",
        )
