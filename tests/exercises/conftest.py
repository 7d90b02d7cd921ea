"""The people and things of an exercise: a safety region with two member municipalities
(Aadorp from ``world`` and Cedam), the region's exercise leader and observer, a leader of
Aadorp's own, a published scenario with learning objectives and three injects, and a run of it
at Aadorp's table (``exercise``)."""

import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from crisisroom import services
from crisisroom.models import Organisation, RosterEntry
from crisisroom.roles import Role, TeamKind
from exercises import services as exercise_services
from exercises.models import (
    Exercise,
    Inject,
    LearningObjective,
    Publication,
    Scenario,
    ScenarioVersion,
)
from tests.conftest import FULL
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _dutch():
    """Every test starts in the site's language, whatever an earlier request chose."""
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        yield


@dataclass
class Exer:
    region: Organisation
    org_a: Organisation  # world.org_a, member of the region
    org_c: Organisation  # a second member municipality
    region_leader: AbstractBaseUser  # exercise leader of the region
    waarnemer: AbstractBaseUser  # observer of the region (no flags)
    a_leader: AbstractBaseUser  # Aadorp's own exercise leader
    c_leader: AbstractBaseUser  # Cedam's exercise leader
    region_admin: AbstractBaseUser  # administers the region, no exercise leader
    scenario: Scenario
    version: ScenarioVersion
    objectives: list[LearningObjective]
    injects: list[Inject]  # 1: at T+0 by telephone to the mayor; 2: at Oordeelsvorming; 3: by hand


def make_scenario(organisation, actor, *, title="Langdurige stroomuitval", team=TeamKind.GBT):
    scenario = Scenario.objects.create(organisation=organisation, created_by=actor)
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=1,
        title=title,
        background="Sinds 06:00 is de stroom uitgevallen in de hele regio.",
        team_kind=team,
        analysis=dict(FULL),
        created_by=actor,
    )
    objectives = [
        LearningObjective.objects.create(
            version=version, order=1, text="Beeldvorming en oordeelsvorming samen doorlopen"
        ),
        LearningObjective.objects.create(version=version, order=2, text="Besluiten met argumenten"),
    ]
    injects = [
        Inject.objects.create(
            version=version,
            number=1,
            offset_minutes=0,
            channel=Inject.Channel.TELEFOON,
            sender="Directeur zorgcentrum De Linde",
            addressee_role=Role.MAYOR,
            summary="Noodstroom zorgcentrum houdt nog 4 uur",
            text="Het aggregaat van De Linde heeft brandstof voor vier uur.",
            excon_note="GEHEIM-EXCON: kijk of de burgemeester dit doorzet naar de ROL",
            expected_response="Besluit over brandstofprioriteit",
        ),
        Inject.objects.create(
            version=version,
            number=2,
            trigger_phase="oordeelsvorming",
            channel=Inject.Channel.SOCIAL,
            sender="@bezorgdeburger",
            addressee_role=Role.TECHNICAL_CHAIR,
            summary="Gerucht: kraanwater niet meer drinkbaar",
            text="Op sociale media gaat rond dat het kraanwater vervuild is.",
            excon_note="Het gerucht is onjuist",
            expected_response="Communicatie met het drinkwaterbedrijf",
        ),
        Inject.objects.create(
            version=version,
            number=3,
            channel=Inject.Channel.PERS,
            sender="Omroep Regio",
            addressee_role=Role.MAYOR,
            summary="Pers vraagt om interview",
            text="Omroep Regio wil om 14:00 de burgemeester spreken.",
        ),
    ]
    return scenario, version, objectives, injects


@pytest.fixture
def exer(world) -> Exer:
    region = OrganisationFactory(name="Veiligheidsregio Testland", kind=Organisation.Kind.REGION)
    org_a = world.org_a
    org_a.region = region
    org_a.save(update_fields=["region"])
    org_c = OrganisationFactory(name="Gemeente Cedam", region=region)
    people = {
        name: UserFactory(username=name)
        for name in ["region_leader", "waarnemer", "a_leader", "c_leader", "region_admin"]
    }
    services.organisation_member_set(
        organisation=region, user=people["region_leader"], actor=None, is_exercise_leader=True
    )
    services.organisation_member_set(organisation=region, user=people["waarnemer"], actor=None)
    services.organisation_member_set(
        organisation=region, user=people["region_admin"], actor=None, is_administrator=True
    )
    services.organisation_member_set(
        organisation=org_a, user=people["a_leader"], actor=None, is_exercise_leader=True
    )
    services.organisation_member_set(
        organisation=org_c, user=people["c_leader"], actor=None, is_exercise_leader=True
    )
    # Aadorp's standing roster: the world's personas in their usual seats.
    for user, role in [
        (world.chair, Role.TECHNICAL_CHAIR),
        (world.mayor, Role.MAYOR),
        (world.rol, Role.ROL),
        (world.logger, Role.LOGGER),
        (world.adviser, Role.ADVISER),
    ]:
        RosterEntry.objects.create(organisation=org_a, role=role, user=user, rank=1)
    scenario, version, objectives, injects = make_scenario(region, people["region_leader"])
    Publication.objects.create(
        region=region,
        kind=Publication.Kind.SCENARIO,
        scenario_version=version,
        published_by=people["region_leader"],
    )
    return Exer(
        region=region,
        org_a=org_a,
        org_c=org_c,
        scenario=scenario,
        version=version,
        objectives=objectives,
        injects=injects,
        **people,
    )


@pytest.fixture
def exercise(exer) -> Exercise:
    """The scenario run at Aadorp's table: staffed from the roster, the region's leader as
    exercise leader and its observer; the clock not yet started."""
    return exercise_services.exercise_create(
        organisation=exer.org_a,
        version=exer.version,
        title="Oefening stroomuitval",
        actor=exer.region_leader,
        client_token=uuid.uuid4(),
        observers=[exer.waarnemer],
    )
