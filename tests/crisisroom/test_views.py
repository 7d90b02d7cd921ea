"""The crisis pages: what each person sees, the team, exercises, language, escaping.

Who may open which URL (member, wrong role 403, outsider 404, anonymous, wrong method) is
tests/test_access_matrix.py's; here only what it cannot see: other crises' objects, superusers."""

import pytest
from django.test import Client
from django.urls import reverse

from crisisroom.models import Crisis, Membership
from crisisroom.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _member_end_url(world) -> str:
    seat = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    return reverse("crisis_member_end", args=[world.crisis_a.pk, seat.pk])


def _member_add_data(world) -> dict:
    return {"user": world.org_admin.pk, "role": Role.OBSERVER, "function_title": "AOV"}


def test_a_crisis_that_does_not_exist_looks_the_same_as_one_of_another_team(world, login):
    client = login(world.chair)
    missing = client.get(reverse("crisis_home", args=[999999]))
    other = client.get(reverse("crisis_home", args=[world.crisis_b.pk]))
    assert missing.status_code == other.status_code == 404
    assert world.crisis_b.title not in other.content.decode()


def test_a_membership_of_another_crisis_cannot_be_ended_through_this_one(world, login):
    foreign = Membership.objects.get(crisis=world.crisis_b, user=world.outsider)
    url = reverse("crisis_member_end", args=[world.crisis_a.pk, foreign.pk])
    assert login(world.chair).post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.ended_at is None


def test_a_removed_member_no_longer_sees_the_crisis(world, login):
    client = login(world.adviser)
    assert client.get(reverse("crisis_home", args=[world.crisis_a.pk])).status_code == 200
    login(world.chair).post(_member_end_url(world))
    assert client.get(reverse("crisis_home", args=[world.crisis_a.pk])).status_code == 404
    assert "Stroomstoring Aadorp" not in client.get(reverse("crisis_list")).content.decode()


@pytest.mark.parametrize(
    "persona,home",
    [
        ("chair", "chair"),
        ("mayor", "mayor"),
        ("rol", "rol"),
        ("logger", "logger"),
        ("adviser", "adviser"),
        ("observer", "adviser"),
    ],
)
def test_each_role_lands_on_its_own_home(world, login, persona, home):
    response = login(getattr(world, persona)).get(reverse("crisis_home", args=[world.crisis_a.pk]))
    assert f'data-home="{home}"' in response.content.decode()


def test_my_crises_lists_exactly_the_users_crises(world, login):
    page = login(world.chair).get(reverse("crisis_list")).content.decode()
    assert "Stroomstoring Aadorp" in page
    assert "Oefening datalek" not in page
    page = login(world.outsider).get(reverse("crisis_list")).content.decode()
    assert "Oefening datalek" in page
    assert "Stroomstoring Aadorp" not in page


def test_the_chair_adds_a_member_who_then_sees_the_crisis(world, login):
    response = login(world.chair).post(
        reverse("crisis_member_add", args=[world.crisis_a.pk]), _member_add_data(world)
    )
    assert response.status_code == 302
    assert (
        login(world.org_admin).get(reverse("crisis_home", args=[world.crisis_a.pk])).status_code
        == 200
    )
    team = login(world.chair).get(reverse("crisis_team", args=[world.crisis_a.pk])).content.decode()
    assert "member added" in team.lower() or "lid toegevoegd" in team.lower()


def test_adding_someone_twice_explains_and_adds_nobody(world, login):
    client = login(world.chair)
    url = reverse("crisis_member_add", args=[world.crisis_a.pk])
    client.post(url, _member_add_data(world))
    response = client.post(url, _member_add_data(world))
    assert response.status_code == 422
    assert Membership.objects.filter(crisis=world.crisis_a, user=world.org_admin).count() == 1


def test_adding_someone_from_another_organisation_is_refused(world, login):
    response = login(world.chair).post(
        reverse("crisis_member_add", args=[world.crisis_a.pk]),
        {"user": world.outsider.pk, "role": Role.ADVISER},
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(crisis=world.crisis_a, user=world.outsider).exists()


def test_an_exercise_shows_oefening_on_every_page(world, login):
    client = login(world.outsider)
    for url in (
        reverse("crisis_home", args=[world.crisis_b.pk]),
        reverse("crisis_team", args=[world.crisis_b.pk]),
    ):
        page = client.get(url).content.decode()
        assert 'data-testid="exercise-banner"' in page
        assert page.count("OEFENING") >= 3  # title, banner, footer
    assert "OEFENING" in client.get(reverse("crisis_list")).content.decode()


def test_a_real_crisis_is_not_marked_as_exercise(world, login):
    page = login(world.chair).get(reverse("crisis_home", args=[world.crisis_a.pk])).content.decode()
    assert "OEFENING" not in page


def test_user_text_is_escaped(world, login):
    Crisis.objects.filter(pk=world.crisis_a.pk).update(
        title="<script>alert('x')</script> Brand & rook", summary="<img src=x onerror=alert(1)>"
    )
    client = login(world.chair)
    for url in (reverse("crisis_list"), reverse("crisis_home", args=[world.crisis_a.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Brand &amp; rook" in page
    assert (
        "<img src=x"
        not in client.get(reverse("crisis_home", args=[world.crisis_a.pk])).content.decode()
    )


def test_the_interface_is_dutch_even_when_the_browser_asks_for_english(db):
    page = Client(headers={"accept-language": "en-US,en"}).get(reverse("login"))
    assert "Inloggen bij Crisisroom" in page.content.decode()
    assert page["Content-Language"] == "nl"


def test_english_is_shown_once_chosen_with_the_switcher(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in to Crisisroom" in client.get(reverse("login")).content.decode()


def test_logging_in_lands_on_my_crises(world):
    response = Client().post(
        reverse("login"), {"username": "chair", "password": "correct horse battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("crisis_list")
    assert "Stroomstoring Aadorp" in response.content.decode()


def test_a_superuser_who_is_no_member_gets_404(world):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(boss)
    assert client.get(reverse("crisis_home", args=[world.crisis_a.pk])).status_code == 404


def test_a_superuser_who_only_observes_cannot_manage_members(world):
    world.observer.is_superuser = True
    world.observer.save()
    client = Client()
    client.force_login(world.observer)
    response = client.post(
        reverse("crisis_member_add", args=[world.crisis_a.pk]), _member_add_data(world)
    )
    assert response.status_code == 403
    assert client.post(_member_end_url(world)).status_code == 403


def test_the_mayor_cannot_make_himself_chair(world, login):
    response = login(world.mayor).post(
        reverse("crisis_member_add", args=[world.crisis_a.pk]),
        {"user": world.mayor.pk, "role": Role.TECHNICAL_CHAIR},
    )
    assert response.status_code == 422
    assert "geen rol geven" in response.content.decode()


def test_removing_a_member_of_a_closed_crisis_explains_and_keeps_them(world, login):
    from crisisroom import services

    services.crisis_close(crisis=world.crisis_a, actor=world.chair)
    response = login(world.chair).post(_member_end_url(world), follow=True)
    assert "afgesloten" in response.content.decode()
    assert (
        login(world.adviser).get(reverse("crisis_home", args=[world.crisis_a.pk])).status_code
        == 200
    )
