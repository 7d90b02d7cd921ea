"""The admin respects the same access rules: an administrator sees only their organisations."""

import pytest
from django.urls import reverse
from django.utils.html import escape

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


OTHER_ORG = "Bee B.V."


@pytest.mark.parametrize(
    "model",
    ["crisis", "membership", "rosterentry", "auditevent", "organisationmember", "organisation"],
)
def test_no_changelist_names_another_organisation(world, login, model):
    page = login(world.org_admin).get(reverse(f"admin:crisisroom_{model}_changelist"))
    assert page.status_code == 200
    assert OTHER_ORG not in page.content.decode()


@pytest.mark.parametrize("model", ["membership", "rosterentry"])
def test_person_choices_hold_only_people_of_the_administered_organisation(world, login, model):
    page = login(world.org_admin).get(reverse(f"admin:crisisroom_{model}_add")).content.decode()
    assert world.chair.username in page or escape(world.chair.get_full_name()) in page
    assert world.outsider.username not in page
    assert escape(world.outsider.get_full_name()) not in page


def test_crafted_posts_for_another_organisation_are_refused(world, login):
    client = login(world.org_admin)
    client.post(
        reverse("admin:crisisroom_rosterentry_add"),
        {
            "organisation": world.org_b.pk,
            "role": Role.ADVISER,
            "user": world.outsider.pk,
            "rank": 1,
        },
    )
    client.post(
        reverse("admin:crisisroom_membership_add"),
        {"crisis": world.crisis_b.pk, "user": world.outsider.pk, "role": Role.OBSERVER},
    )
    client.post(
        reverse("admin:crisisroom_crisis_changelist"),
        {"action": "close", "_selected_action": [world.crisis_b.pk]},
    )
    assert not world.org_b.roster.exists()
    assert Membership.objects.filter(crisis=world.crisis_b).count() == 1
    world.crisis_b.refresh_from_db()
    assert world.crisis_b.is_active


def test_an_administrator_registers_an_existing_account_by_username(world, login):
    UserFactory(username="n.devries")
    response = login(world.org_admin).post(
        reverse("admin:crisisroom_organisationmember_add"),
        {"organisation": world.org_a.pk, "username": "n.devries", "function_title": "AOV"},
    )
    assert response.status_code == 302
    assert world.org_a.members.filter(user__username="n.devries", function_title="AOV").exists()


def test_an_unknown_username_is_refused_without_saying_more(world, login):
    response = login(world.org_admin).post(
        reverse("admin:crisisroom_organisationmember_add"),
        {"organisation": world.org_a.pk, "username": "niemand"},
    )
    assert response.status_code == 200
    assert "Geen actief account met deze gebruikersnaam" in response.content.decode()


def test_making_someone_administrator_opens_the_admin_for_them(world, login):
    member = world.org_a.members.get(user=world.adviser)
    login(world.org_admin).post(
        reverse("admin:crisisroom_organisationmember_change", args=[member.pk]),
        {"function_title": "Gemeentesecretaris", "is_administrator": "on"},
    )
    world.adviser.refresh_from_db()
    assert world.adviser.is_staff
    assert (
        login(world.adviser).get(reverse("admin:crisisroom_crisis_changelist")).status_code == 200
    )


def test_a_superuser_adds_an_organisation(world):
    from django.test import Client

    boss = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(boss)
    response = client.post(
        reverse("admin:crisisroom_organisation_add"),
        {"name": "Gemeente Ceedorp", "kind": "municipality"},
    )
    assert response.status_code == 302


def test_a_roster_seat_needs_someone_registered_with_the_organisation(world, login):
    stranger = UserFactory(username="stranger")
    response = login(world.org_admin).post(
        reverse("admin:crisisroom_rosterentry_add"),
        {"organisation": world.org_a.pk, "role": Role.ADVISER, "user": stranger.pk, "rank": 1},
    )
    assert response.status_code == 200
    assert not world.org_a.roster.exists()


def test_opening_a_crisis_in_the_admin_staffs_it_and_a_double_submit_opens_one(world, login):
    from crisisroom.models import Crisis, RosterEntry

    RosterEntry.objects.create(organisation=world.org_a, role=Role.LOGGER, user=world.logger)
    client = login(world.org_admin)
    data = {
        "organisation": world.org_a.pk,
        "title": "Hitte",
        "team_kind": "gbt",
        "scaling_label": "",
        "summary": "",
        "staff_from_roster": "on",
    }
    assert client.post(reverse("admin:crisisroom_crisis_add"), data).status_code == 302
    assert client.post(reverse("admin:crisisroom_crisis_add"), data).status_code == 200
    crisis = Crisis.objects.get(title="Hitte")
    assert list(crisis.memberships.values_list("user__username", flat=True)) == ["logger"]


def test_changing_a_crisis_in_the_admin_is_recorded(world, login):
    from crisisroom.models import AuditEvent

    login(world.org_admin).post(
        reverse("admin:crisisroom_crisis_change", args=[world.crisis_a.pk]),
        {"title": "Stroomstoring Aadorp en omgeving", "scaling_label": "GRIP 4", "summary": ""},
    )
    world.crisis_a.refresh_from_db()
    assert world.crisis_a.scaling_label == "GRIP 4"
    assert AuditEvent.objects.filter(crisis=world.crisis_a, action="crisis_updated").exists()


def test_a_staff_user_without_an_administered_organisation_gets_nothing(world, login):
    world.chair.is_staff = True
    world.chair.save()
    client = login(world.chair)
    assert client.get(reverse("admin:crisisroom_crisis_changelist")).status_code == 403
    assert client.get(reverse("admin:crisisroom_membership_changelist")).status_code == 403
