"""Personas shared by the whole suite (STYLE.md): the people of crisis A and outsiders."""

import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from crisisroom import services
from crisisroom.models import Crisis, Organisation
from crisisroom.roles import Role, TeamKind
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

# pytest-playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# usable there for live_server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
