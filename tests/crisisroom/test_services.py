import pytest
from django.core.exceptions import ValidationError

from crisisroom import services
from crisisroom.models import AuditEvent, Membership, RosterEntry
from crisisroom.roles import Role, TeamKind
from crisisroom.selectors import crises_for_user, organisations_administered_by
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_membership_grants_what_the_role_may_do(world):
    assert world.chair.has_perm("crisisroom.run_meeting", world.crisis_a)
    assert world.chair.has_perm("crisisroom.manage_members", world.crisis_a)
    assert world.logger.has_perm("crisisroom.record_entry", world.crisis_a)
    assert not world.logger.has_perm("crisisroom.run_meeting", world.crisis_a)
    assert world.mayor.has_perm("crisisroom.record_decision", world.crisis_a)
    assert not world.mayor.has_perm("crisisroom.record_entry", world.crisis_a)
    assert world.rol.has_perm("crisisroom.write_analysis", world.crisis_a)
    assert world.adviser.has_perm("crisisroom.view_crisis", world.crisis_a)
    assert not world.adviser.has_perm("crisisroom.record_entry", world.crisis_a)
    assert not world.outsider.has_perm("crisisroom.view_crisis", world.crisis_a)


def test_ending_a_membership_revokes_access_and_keeps_the_record(world):
    membership = Membership.objects.get(crisis=world.crisis_a, user=world.logger)
    services.membership_end(membership=membership, actor=world.chair)

    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert membership.ended_by == world.chair
    assert not world.logger.has_perm("crisisroom.view_crisis", world.crisis_a)
    assert not crises_for_user(user=world.logger).exists()
    assert AuditEvent.objects.filter(
        crisis=world.crisis_a, action=AuditEvent.Action.MEMBER_REMOVED, subject=world.logger
    ).exists()


def test_ending_one_of_two_roles_keeps_the_other_roles_rights(world):
    services.membership_add(
        crisis=world.crisis_a, user=world.logger, role=Role.ADVISER, actor=world.chair
    )
    logger_seat = Membership.objects.get(crisis=world.crisis_a, user=world.logger, role="logger")
    services.membership_end(membership=logger_seat, actor=world.chair)

    assert world.logger.has_perm("crisisroom.view_crisis", world.crisis_a)
    assert not world.logger.has_perm("crisisroom.record_entry", world.crisis_a)


def test_ending_twice_changes_nothing(world):
    membership = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    first = services.membership_end(membership=membership, actor=world.chair)
    second = services.membership_end(membership=membership, actor=world.mayor)
    assert second.ended_at == first.ended_at
    assert second.ended_by == world.chair
    assert AuditEvent.objects.filter(action="member_removed", subject=world.adviser).count() == 1


def test_the_same_role_twice_is_refused(world):
    with pytest.raises(ValidationError, match="heeft deze rol al"):
        services.membership_add(
            crisis=world.crisis_a, user=world.logger, role=Role.LOGGER, actor=world.chair
        )
    assert Membership.objects.filter(crisis=world.crisis_a, user=world.logger).count() == 1


def test_a_role_the_team_does_not_have_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            crisis=world.crisis_a, user=world.adviser, role=Role.MESSAGE_MANAGER, actor=None
        )
    assert "role" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.membership_add(
            crisis=world.crisis_b, user=world.outsider, role=Role.MAYOR, actor=None
        )


def test_only_people_of_the_organisation_can_join(world):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            crisis=world.crisis_a, user=world.outsider, role=Role.ADVISER, actor=world.chair
        )
    assert "user" in error.value.error_dict
    assert not world.outsider.has_perm("crisisroom.view_crisis", world.crisis_a)


def test_a_closed_crisis_team_cannot_change_but_members_keep_reading(world):
    services.crisis_close(crisis=world.crisis_a, actor=world.chair)
    newcomer = UserFactory()
    services.organisation_member_set(organisation=world.org_a, user=newcomer, actor=None)
    with pytest.raises(ValidationError, match="afgesloten"):
        services.membership_add(
            crisis=world.crisis_a, user=newcomer, role=Role.ADVISER, actor=world.chair
        )
    world.crisis_a.refresh_from_db()
    assert world.crisis_a.closed_at is not None
    assert world.mayor.has_perm("crisisroom.view_crisis", world.crisis_a)


def test_a_new_crisis_is_staffed_from_the_roster_in_one_step():
    org = OrganisationFactory()
    chair, mayor, loco, logger, secretary = (UserFactory() for _ in range(5))
    for user in (chair, mayor, loco, logger, secretary):
        services.organisation_member_set(organisation=org, user=user, actor=None)
    RosterEntry.objects.create(organisation=org, role=Role.TECHNICAL_CHAIR, user=chair)
    RosterEntry.objects.create(organisation=org, role=Role.MAYOR, user=mayor, rank=1)
    RosterEntry.objects.create(organisation=org, role=Role.MAYOR, user=loco, rank=2)
    RosterEntry.objects.create(organisation=org, role=Role.LOGGER, user=logger)
    RosterEntry.objects.create(
        organisation=org, role=Role.ADVISER, function_title="Gemeentesecretaris", user=secretary
    )
    # A CMT-only role on a municipality's roster is skipped for a GBT.
    RosterEntry.objects.create(organisation=org, role=Role.MESSAGE_MANAGER, user=logger)

    crisis = services.crisis_open(
        organisation=org, title="Overstroming", team_kind=TeamKind.GBT, actor=chair
    )

    seats = {(m.user, m.role, m.function_title) for m in Membership.objects.filter(crisis=crisis)}
    assert seats == {
        (chair, Role.TECHNICAL_CHAIR, ""),
        (mayor, Role.MAYOR, ""),
        (logger, Role.LOGGER, ""),
        (secretary, Role.ADVISER, "Gemeentesecretaris"),
    }
    assert secretary.has_perm("crisisroom.view_crisis", crisis)
    assert not loco.has_perm("crisisroom.view_crisis", crisis)
    assert AuditEvent.objects.filter(crisis=crisis, action="member_added").count() == 4


def test_an_unavailable_person_is_replaced_by_the_first_deputy():
    org = OrganisationFactory()
    mayor, loco = UserFactory(), UserFactory()
    for user in (mayor, loco):
        services.organisation_member_set(organisation=org, user=user, actor=None)
    RosterEntry.objects.create(organisation=org, role=Role.MAYOR, user=mayor, rank=1)
    RosterEntry.objects.create(organisation=org, role=Role.MAYOR, user=loco, rank=2)

    crisis = services.crisis_open(
        organisation=org,
        title="Stormschade",
        team_kind=TeamKind.GBT,
        actor=None,
        unavailable=[mayor],
    )

    assert list(crisis.memberships.values_list("user", flat=True)) == [loco.pk]


def test_staffing_again_adds_nobody_twice(world):
    RosterEntry.objects.create(organisation=world.org_a, role=Role.LOGGER, user=world.logger)
    added = services.crisis_staff_from_roster(crisis=world.crisis_a, actor=world.chair)
    assert added == []
    assert Membership.objects.filter(crisis=world.crisis_a, user=world.logger).count() == 1


def test_organisation_administrator_right_follows_the_flag(world):
    assert list(organisations_administered_by(user=world.org_admin)) == [world.org_a]
    services.organisation_member_set(
        organisation=world.org_a, user=world.org_admin, actor=None, is_administrator=False
    )
    assert not organisations_administered_by(user=world.org_admin).exists()


def test_crisis_list_holds_only_the_users_own_crises(world):
    assert list(crises_for_user(user=world.chair)) == [world.crisis_a]
    assert list(crises_for_user(user=world.outsider)) == [world.crisis_b]
    assert not crises_for_user(user=world.org_admin).exists()


def test_a_superuser_who_is_no_member_sees_no_crisis(world):
    boss = UserFactory(is_superuser=True, is_staff=True)
    assert not crises_for_user(user=boss).exists()


def test_a_crisis_opening_is_recorded(world):
    event = AuditEvent.objects.get(crisis=world.crisis_b, action="crisis_opened")
    assert event.detail == {"title": "Oefening datalek", "exercise": True}


def test_the_team_is_listed_in_table_order_chair_and_mayor_first(world):
    from crisisroom.selectors import crisis_team

    roles = [m.role for m in crisis_team(crisis=world.crisis_a)]
    assert roles == [
        "technisch_voorzitter",
        "burgemeester",
        "rol",
        "logger",
        "adviseur",
        "waarnemer",
    ]


def test_ending_a_membership_of_a_closed_crisis_is_refused_and_reading_stays(world):
    services.crisis_close(crisis=world.crisis_a, actor=world.chair)
    seat = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    with pytest.raises(ValidationError, match="afgesloten"):
        services.membership_end(membership=seat, actor=world.chair)
    assert world.adviser.has_perm("crisisroom.view_crisis", world.crisis_a)


def test_nobody_gives_themselves_a_role(world):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            crisis=world.crisis_a, user=world.mayor, role=Role.TECHNICAL_CHAIR, actor=world.mayor
        )
    assert "user" in error.value.error_dict
    assert not world.mayor.has_perm("crisisroom.run_meeting", world.crisis_a)


def test_an_administrator_may_seat_themselves(world):
    services.membership_add(
        crisis=world.crisis_a, user=world.org_admin, role=Role.OBSERVER, actor=world.org_admin
    )
    assert world.org_admin.has_perm("crisisroom.view_crisis", world.crisis_a)


def test_someone_on_the_roster_who_left_the_organisation_is_not_called():
    from crisisroom.models import OrganisationMember

    org = OrganisationFactory()
    leaver, deputy = UserFactory(), UserFactory()
    for user in (leaver, deputy):
        services.organisation_member_set(organisation=org, user=user, actor=None)
    RosterEntry.objects.create(organisation=org, role=Role.LOGGER, user=leaver, rank=1)
    RosterEntry.objects.create(organisation=org, role=Role.LOGGER, user=deputy, rank=2)
    OrganisationMember.objects.filter(organisation=org, user=leaver).delete()

    crisis = services.crisis_open(
        organisation=org, title="Uitval ICT", team_kind=TeamKind.GBT, actor=None
    )
    assert list(crisis.memberships.values_list("user", flat=True)) == [deputy.pk]


def test_two_active_crises_with_one_title_are_refused(world):
    with pytest.raises(ValidationError):
        services.crisis_open(
            organisation=world.org_a,
            title="Stroomstoring Aadorp",
            team_kind=TeamKind.GBT,
            actor=None,
            staff_from_roster=False,
        )
