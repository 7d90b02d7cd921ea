"""The admin respects the same access rules: an administrator sees only their organisations."""

import pytest
from django.urls import reverse

from crisisroom.models import Membership
from crisisroom.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_sees_only_their_own_organisations_crises(world, login):
    client = login(world.org_admin)
    page = client.get(reverse("admin:crisisroom_crisis_changelist")).content.decode()
    assert "Stroomstoring Aadorp" in page
    assert "Oefening datalek" not in page
    other = client.get(reverse("admin:crisisroom_crisis_change", args=[world.crisis_b.pk]))
    assert other.status_code in (302, 404)


def test_memberships_of_other_organisations_stay_hidden_in_the_admin(world, login):
    page = login(world.org_admin).get(reverse("admin:crisisroom_membership_changelist"))
    assert world.outsider.username not in page.content.decode()


def test_a_membership_added_in_the_admin_grants_access(world, login):
    newcomer = UserFactory(username="newcomer")
    world.org_a.members.create(user=newcomer)
    response = login(world.org_admin).post(
        reverse("admin:crisisroom_membership_add"),
        {
            "crisis": world.crisis_a.pk,
            "user": newcomer.pk,
            "role": Role.OBSERVER,
            "function_title": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert newcomer.has_perm("crisisroom.view_crisis", world.crisis_a)
    assert Membership.objects.get(user=newcomer).added_by == world.org_admin


def test_the_admin_refuses_a_person_from_another_organisation(world, login):
    response = login(world.org_admin).post(
        reverse("admin:crisisroom_membership_add"),
        {"crisis": world.crisis_a.pk, "user": world.outsider.pk, "role": Role.OBSERVER},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(crisis=world.crisis_a, user=world.outsider).exists()


def test_nothing_can_be_deleted_through_the_admin(world, login):
    seat = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    client = login(world.org_admin)
    response = client.post(
        reverse("admin:crisisroom_membership_delete", args=[seat.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=seat.pk).exists()


def test_ending_a_membership_in_the_admin_revokes_access(world, login):
    seat = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    login(world.org_admin).post(
        reverse("admin:crisisroom_membership_changelist"),
        {"action": "end", "_selected_action": [seat.pk]},
    )
    seat.refresh_from_db()
    assert seat.ended_by == world.org_admin
    assert not world.adviser.has_perm("crisisroom.view_crisis", world.crisis_a)


def test_crisis_members_without_admin_right_cannot_use_the_admin(world, login):
    response = login(world.chair).get(reverse("admin:crisisroom_crisis_changelist"))
    assert response.status_code == 302
