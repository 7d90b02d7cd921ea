"""Who sees and does what in exercises. Views call one of these helpers on their first line.

- The exercise area of an organisation (its scenario library, its runs, what its region
  published): its exercise leaders and administrators. Anyone else: 404.
- A run is a crisis marked OEFENING: its members see it (404 for anyone else). The exercise
  control (EXCON: the exercise leader and the observers) also sees the injects' notes and
  expected responses and the observations; the players see the observations only once the
  evaluation is closed, and never the notes.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.models import Organisation, OrganisationMember
from crisisroom.roles import EXCON_ROLES, Role
from crisisroom.selectors import crisis_roles_of

from .models import Exercise, Publication, Scenario, ScenarioVersion

NEEDS = ("read", "prepare", "adopt")


@dataclass(frozen=True)
class ExerciseOrgAccess:
    organisation: Organisation
    is_leader: bool
    is_administrator: bool

    @property
    def can_read(self) -> bool:
        return self.is_leader or self.is_administrator

    @property
    def can_prepare(self) -> bool:
        """Writes scenarios and injects, runs exercises; in a region also publishes."""
        return self.is_leader

    @property
    def can_adopt(self) -> bool:
        """A member organisation takes over what its region published."""
        return (self.is_leader or self.is_administrator) and not self.organisation.is_region

    @property
    def can_publish(self) -> bool:
        return self.is_leader and self.organisation.is_region


def _org_access(user: User, organisation: Organisation) -> ExerciseOrgAccess:
    member = (
        OrganisationMember.objects.filter(organisation=organisation, user=user)
        .only("is_exercise_leader", "is_administrator")
        .first()
    )
    return ExerciseOrgAccess(
        organisation=organisation,
        is_leader=bool(member and member.is_exercise_leader),
        is_administrator=bool(member and member.is_administrator),
    )


def organisation_for_exercises(
    request: HttpRequest, org_pk: int, need: str = "read"
) -> ExerciseOrgAccess:
    """The exercise area of organisation ``org_pk`` for its leaders and administrators."""
    assert need in NEEDS  # nosec B101 - a programming error, not input
    if not request.user.is_authenticated:
        raise PermissionDenied
    organisation = Organisation.objects.select_related("region").filter(pk=org_pk).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    user = request.user
    assert isinstance(user, User)  # nosec B101 - authenticated above
    access = _org_access(user, organisation)
    if not access.can_read:
        raise Http404(_("No such organisation."))
    allowed = {"read": True, "prepare": access.can_prepare, "adopt": access.can_adopt}[need]
    if not allowed:
        raise PermissionDenied(_("Only the organisation's exercise leaders may do this."))
    return access


def versions_visible_to(organisation: Organisation):
    """Scenario versions an organisation may read and run: its own, and those its region
    published to it."""
    own = ScenarioVersion.objects.filter(scenario__organisation=organisation)
    if organisation.region_id is None:
        return own
    published = ScenarioVersion.objects.filter(
        publications__region_id=organisation.region_id,
        publications__kind=Publication.Kind.SCENARIO,
    )
    return (own | published).distinct()


@dataclass(frozen=True)
class ScenarioAccess(ExerciseOrgAccess):
    scenario: Scenario

    @property
    def is_own(self) -> bool:
        return self.scenario.organisation_id == self.organisation.pk

    @property
    def can_edit(self) -> bool:
        return self.can_prepare and self.is_own

    @property
    def can_see_excon_notes(self) -> bool:
        """The injects' notes and expected responses: exercise leaders only. An administrator
        reads the library too, but may sit at the table as a player."""
        return self.is_leader


def scenario_for_user(
    request: HttpRequest, org_pk: int, scenario_pk: int, need: str = "read"
) -> ScenarioAccess:
    """A scenario of the organisation's library, or one its region published to it (read
    only). Writes need ``prepare`` and a scenario of the organisation's own."""
    base = organisation_for_exercises(request, org_pk, need)
    scenario = Scenario.objects.filter(pk=scenario_pk).first()
    if scenario is None:
        raise Http404(_("No such scenario."))
    access = ScenarioAccess(
        organisation=base.organisation,
        is_leader=base.is_leader,
        is_administrator=base.is_administrator,
        scenario=scenario,
    )
    if (
        not access.is_own
        and not versions_visible_to(base.organisation).filter(scenario=scenario).exists()
    ):
        raise Http404(_("No such scenario."))
    if need == "prepare" and not access.is_own:
        raise PermissionDenied(_("This scenario belongs to the region: adopt it to adapt it."))
    return access


@dataclass(frozen=True)
class ExerciseAccess:
    exercise: Exercise
    crisis_access: CrisisAccess
    roles: frozenset[str]

    @property
    def is_leader(self) -> bool:
        return Role.EXERCISE_LEADER in self.roles

    @property
    def is_excon(self) -> bool:
        return not self.roles.isdisjoint(EXCON_ROLES)

    @property
    def is_player(self) -> bool:
        return bool(self.roles - EXCON_ROLES)

    @property
    def can_see_excon_notes(self) -> bool:
        return self.is_excon

    @property
    def can_see_observations(self) -> bool:
        return self.is_excon or self.exercise.is_evaluated

    @property
    def can_observe(self) -> bool:
        return self.is_excon

    @property
    def can_lead(self) -> bool:
        return self.is_leader


EXERCISE_NEEDS = ("view", "lead", "observe")


def exercise_for_user(request: HttpRequest, pk: int, need: str = "view") -> ExerciseAccess:
    """The exercise of crisis ``pk`` for a member of its team. 404 for anyone else and for a
    crisis that is no exercise; 403 for a member without the right."""
    assert need in EXERCISE_NEEDS  # nosec B101 - a programming error, not input
    crisis_access = crisis_for_user(request, pk)
    user = request.user
    assert isinstance(user, User)  # nosec B101 - crisis_for_user refused anyone else
    exercise = (
        Exercise.objects.select_related("crisis__organisation", "scenario_version__scenario")
        .filter(crisis=crisis_access.crisis)
        .first()
    )
    if exercise is None:
        raise Http404(_("This crisis is no exercise."))
    roles = frozenset(crisis_roles_of(crisis=crisis_access.crisis, user=user))
    access = ExerciseAccess(exercise=exercise, crisis_access=crisis_access, roles=roles)
    allowed = {"view": True, "lead": access.can_lead, "observe": access.can_observe}[need]
    if not allowed:
        raise PermissionDenied(_("Only the exercise control may do this."))
    return access
