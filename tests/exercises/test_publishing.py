"""Regional publishing: the region publishes versions of its format, cards and scenarios; its
members adopt them as copies of their own; the region sees which member uses which version."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import resolve_url
from django.urls import reverse

from crisisroom import services as core
from crisisroom.models import AuditEvent, Organisation
from exercises import services
from exercises.models import Adoption, Publication, Scenario, ScenarioVersion
from exercises.selectors.publishing import adoption_overview, publications_for
from formats import services as format_services
from formats.models import CardSet
from formats.selectors import cards_current, format_current
from tests.exercises.conftest import make_scenario
from tests.factories import OrganisationFactory, UserFactory


def region_url(org) -> str:
    return reverse("exercise_region", args=[org.pk])


def publish_url(org) -> str:
    return reverse("publish", args=[org.pk])


def adopt_url(org, publication) -> str:
    return reverse("adopt", args=[org.pk, publication.pk])


def sections_of(fmt) -> list[dict]:
    return [
        {
            "key": s.key,
            "title": s.title,
            "help_text": s.help_text,
            "required": s.required,
            "in_kernbeeld": s.in_kernbeeld,
        }
        for s in fmt.sections.all()
    ]


def region_format_with_new_section(exer, title="Regionale afstemming"):
    """The region revises its format: one section more."""
    current = format_current(organisation=exer.region)
    return format_services.format_revise(
        organisation=exer.region,
        actor=exer.region_leader,
        sections=[*sections_of(current), {"key": "afstemming", "title": title}],
        note="Afstemming met buurgemeenten toegevoegd",
    )


def publish_format(exer, fmt=None, note=""):
    fmt = fmt or format_current(organisation=exer.region)
    return services.publication_create(
        region=exer.region, actor=exer.region_leader, target=fmt, note=note
    )


# -- access ------------------------------------------------------------------------------------


def test_region_leader_publishes_the_format_from_the_region_page(exer, login):
    client = login(exer.region_leader)
    page = client.get(region_url(exer.region))
    assert page.status_code == 200
    fmt = format_current(organisation=exer.region)
    assert f'name="target" value="{fmt.pk}"' in page.content.decode()
    response = client.post(
        publish_url(exer.region), {"kind": "format", "target": fmt.pk, "note": "Na de pilots"}
    )
    assert response.status_code == 302
    assert response["Location"] == region_url(exer.region)
    publication = Publication.objects.get(format=fmt)
    assert publication.region == exer.region
    assert publication.note == "Na de pilots"
    assert publication.published_by == exer.region_leader
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert event.organisation == exer.region
    assert event.detail["kind"] == "format"
    assert event.detail["version"] == fmt.version


def test_region_admin_reads_the_region_page_but_cannot_publish(exer, login):
    client = login(exer.region_admin)
    page = client.get(region_url(exer.region))
    assert page.status_code == 200
    assert 'name="target"' not in page.content.decode()
    fmt = format_current(organisation=exer.region)
    response = client.post(publish_url(exer.region), {"kind": "format", "target": fmt.pk})
    assert response.status_code == 403
    assert not Publication.objects.filter(format=fmt).exists()


@pytest.mark.parametrize("name", ["waarnemer", "c_leader", "a_leader"])
def test_others_do_not_find_the_region_page(exer, login, name):
    client = login(getattr(exer, name))
    fmt = format_current(organisation=exer.region)
    assert client.get(region_url(exer.region)).status_code == 404
    assert (
        client.post(publish_url(exer.region), {"kind": "format", "target": fmt.pk}).status_code
        == 404
    )


def test_outsider_finds_neither_the_region_nor_the_member(world, exer, login):
    client = login(world.outsider)
    assert client.get(region_url(exer.region)).status_code == 404
    assert client.get(region_url(exer.org_a)).status_code == 404
    publication = Publication.objects.get(scenario_version=exer.version)
    assert client.post(adopt_url(exer.org_a, publication)).status_code == 404


def test_anonymous_is_sent_to_log_in_and_wrong_methods_are_refused(exer, client, login):
    response = client.get(region_url(exer.region))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    leader = login(exer.region_leader)
    assert leader.get(publish_url(exer.region)).status_code == 405
    assert leader.post(region_url(exer.region)).status_code == 405
    publication = Publication.objects.get(scenario_version=exer.version)
    assert login(exer.a_leader).get(adopt_url(exer.org_a, publication)).status_code == 405


def test_a_member_cannot_publish_and_the_region_cannot_adopt(exer, login):
    fmt = format_current(organisation=exer.org_a)
    response = login(exer.a_leader).post(
        publish_url(exer.org_a), {"kind": "format", "target": fmt.pk}
    )
    assert response.status_code == 403
    publication = Publication.objects.get(scenario_version=exer.version)
    assert login(exer.region_leader).post(adopt_url(exer.region, publication)).status_code == 403
    assert not Publication.objects.filter(format=fmt).exists()
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("name", ["a_leader", "org_admin"])
def test_aadorps_leader_and_administrator_adopt_for_aadorp(world, exer, login, name):
    user = getattr(exer, name, None) or getattr(world, name)
    publication = Publication.objects.get(scenario_version=exer.version)
    client = login(user)
    page = client.get(region_url(exer.org_a))
    assert page.status_code == 200
    assert adopt_url(exer.org_a, publication) in page.content.decode()
    response = client.post(adopt_url(exer.org_a, publication))
    assert response.status_code == 302
    adoption = Adoption.objects.get(publication=publication)
    assert adoption.organisation == exer.org_a
    assert adoption.adopted_by == user


def test_waarnemer_and_cedams_leader_do_not_find_aadorps_page(exer, login):
    publication = Publication.objects.get(scenario_version=exer.version)
    for user in (exer.waarnemer, exer.c_leader):
        client = login(user)
        assert client.get(region_url(exer.org_a)).status_code == 404
        assert client.post(adopt_url(exer.org_a, publication)).status_code == 404
    assert not Adoption.objects.exists()


def test_a_member_of_another_region_does_not_find_the_publication(exer, login):
    other_region = OrganisationFactory(
        name="Veiligheidsregio Elders", kind=Organisation.Kind.REGION
    )
    elsewhere = OrganisationFactory(name="Gemeente Elders", region=other_region)
    leader = UserFactory(username="d_leader")
    core.organisation_member_set(
        organisation=elsewhere, user=leader, actor=None, is_exercise_leader=True
    )
    publication = Publication.objects.get(scenario_version=exer.version)
    client = login(leader)
    assert client.post(adopt_url(elsewhere, publication)).status_code == 404
    page = client.get(region_url(elsewhere))
    assert page.status_code == 200
    assert adopt_url(elsewhere, publication) not in page.content.decode()
    assert not Adoption.objects.exists()


def test_an_organisation_without_a_region_gets_an_empty_state(world, exer, login):
    admin = UserFactory(username="b_admin")
    core.organisation_member_set(
        organisation=world.org_b, user=admin, actor=None, is_administrator=True
    )
    client = login(admin)
    page = client.get(region_url(world.org_b))
    assert page.status_code == 200
    assert 'data-testid="no-region"' in page.content.decode()
    publication = Publication.objects.get(scenario_version=exer.version)
    assert client.post(adopt_url(world.org_b, publication)).status_code == 404


# -- publishing --------------------------------------------------------------------------------


def test_publishing_twice_is_one_publication(exer, login):
    client = login(exer.region_leader)
    cards = cards_current(organisation=exer.region)
    for _ in range(2):
        response = client.post(publish_url(exer.region), {"kind": "cards", "target": cards.pk})
        assert response.status_code == 302
    assert Publication.objects.filter(card_set=cards).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PUBLISHED).count() == 1


def test_publishing_a_foreign_object_is_not_found(exer, login):
    client = login(exer.region_leader)
    own_format = format_current(organisation=exer.org_a)
    _scenario, own_version, *_rest = make_scenario(exer.org_a, exer.a_leader)
    for kind, pk in (("format", own_format.pk), ("scenario", own_version.pk), ("cards", 999999)):
        response = client.post(publish_url(exer.region), {"kind": kind, "target": pk})
        assert response.status_code == 404
    assert not Publication.objects.exclude(scenario_version=exer.version).exists()
    with pytest.raises(ValidationError):
        services.publication_create(region=exer.region, actor=exer.region_leader, target=own_format)


def test_bad_publish_input_is_refused_with_a_message(exer, login):
    client = login(exer.region_leader)
    fmt = format_current(organisation=exer.region)
    response = client.post(publish_url(exer.region), {"kind": "nonsense", "target": fmt.pk})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    response = client.post(publish_url(exer.region), {"kind": "format", "target": "abc"})
    assert response.status_code == 422
    long_note = "x" * 501
    response = client.post(
        publish_url(exer.region), {"kind": "format", "target": fmt.pk, "note": long_note}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f'value="{long_note}"' in body  # what was typed is kept
    assert 'aria-invalid="true"' in body
    assert not Publication.objects.filter(format=fmt).exists()


def test_publishing_a_scenario_version_freezes_it(exer, login):
    _scenario, version, *_rest = make_scenario(
        exer.region, exer.region_leader, title="Overstroming"
    )
    assert not version.is_frozen
    response = login(exer.region_leader).post(
        publish_url(exer.region), {"kind": "scenario", "target": version.pk}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.is_frozen
    assert Publication.objects.get(scenario_version=version).kind == Publication.Kind.SCENARIO


# -- adopting ----------------------------------------------------------------------------------


def test_adopting_the_format_makes_a_new_aadorp_version_with_the_regions_sections(
    world, exer, login
):
    region_fmt = region_format_with_new_section(exer)
    publication = publish_format(exer, region_fmt)
    before = format_current(organisation=exer.org_a)
    # The exercise leader may not: every real crisis uses the format (the administrator's).
    assert login(exer.a_leader).post(adopt_url(exer.org_a, publication)).status_code == 403
    response = login(world.org_admin).post(adopt_url(exer.org_a, publication))
    assert response.status_code == 302
    after = format_current(organisation=exer.org_a)
    assert after.version == before.version + 1
    assert sections_of(after) == sections_of(region_fmt)
    assert exer.region.name in after.note
    adoption = Adoption.objects.get(publication=publication, organisation=exer.org_a)
    assert adoption.format == after
    event = AuditEvent.objects.get(action=AuditEvent.Action.ADOPTED)
    assert event.organisation == exer.org_a
    assert event.actor == world.org_admin
    assert event.detail["kind"] == "format"


def test_adopting_twice_is_one_adoption(world, exer, login):
    publication = publish_format(exer, region_format_with_new_section(exer))
    before = format_current(organisation=exer.org_a).version
    client = login(world.org_admin)
    for _ in range(2):
        assert client.post(adopt_url(exer.org_a, publication)).status_code == 302
    assert Adoption.objects.filter(publication=publication).count() == 1
    assert format_current(organisation=exer.org_a).version == before + 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ADOPTED).count() == 1


def test_adopting_the_cards_copies_them(world, exer, login):
    region_cards = format_services.cards_revise(
        organisation=exer.region,
        actor=exer.region_leader,
        card={**cards_current(organisation=exer.region).card, "agenda": ["Opening", "Kernbeeld"]},
        tasks=cards_current(organisation=exer.region).tasks,
        note="Agenda op de kaart",
    )
    publication = services.publication_create(
        region=exer.region, actor=exer.region_leader, target=region_cards
    )
    response = login(world.org_admin).post(adopt_url(exer.org_a, publication))
    assert response.status_code == 302
    mine = cards_current(organisation=exer.org_a)
    assert mine.card["agenda"] == ["Opening", "Kernbeeld"]
    assert mine.tasks == region_cards.tasks
    assert Adoption.objects.get(publication=publication).card_set == mine


def test_adopting_a_scenario_copies_objectives_and_injects_with_its_origin(exer, login):
    publication = Publication.objects.get(scenario_version=exer.version)
    assert login(exer.a_leader).post(adopt_url(exer.org_a, publication)).status_code == 302
    adoption = Adoption.objects.get(publication=publication)
    copy = adoption.scenario
    assert copy.organisation == exer.org_a
    assert copy.origin == exer.scenario
    version = copy.versions.get()
    assert version.number == 1
    assert version.based_on == exer.version
    assert version.title == exer.version.title
    assert version.analysis == exer.version.analysis
    assert [o.text for o in version.objectives.all()] == [o.text for o in exer.objectives]
    copied = list(version.injects.all())
    assert [(i.number, i.summary, i.offset_minutes, i.trigger_phase) for i in copied] == [
        (i.number, i.summary, i.offset_minutes, i.trigger_phase) for i in exer.injects
    ]
    assert copied[0].excon_note == exer.injects[0].excon_note
    # The region's own scenario is untouched.
    assert exer.version.injects.count() == 3
    assert Scenario.objects.filter(organisation=exer.region).count() == 1
    page = login(exer.a_leader).get(region_url(exer.org_a)).content.decode()
    assert reverse("scenario_page", args=[exer.org_a.pk, copy.pk]) in page


def test_a_newer_region_version_of_a_scenario_continues_the_members_copy(exer):
    first = Publication.objects.get(scenario_version=exer.version)
    services.publication_adopt(publication=first, organisation=exer.org_a, actor=exer.a_leader)
    exer.version.frozen_at = exer.version.created_at
    exer.version.save(update_fields=["frozen_at"])
    v2 = ScenarioVersion.objects.create(
        scenario=exer.scenario,
        number=2,
        title="Langdurige stroomuitval (herzien)",
        team_kind=exer.version.team_kind,
        note="Inject over drinkwater toegevoegd",
        created_by=exer.region_leader,
    )
    second = services.publication_create(region=exer.region, actor=exer.region_leader, target=v2)
    services.publication_adopt(publication=second, organisation=exer.org_a, actor=exer.a_leader)
    copies = Scenario.objects.filter(organisation=exer.org_a)
    assert copies.count() == 1
    assert list(copies.get().versions.values_list("number", "based_on")) == [
        (2, v2.pk),
        (1, exer.version.pk),
    ]


def test_adopting_a_publication_of_another_region_is_refused_by_the_service(exer):
    other_region = OrganisationFactory(
        name="Veiligheidsregio Elders", kind=Organisation.Kind.REGION
    )
    fmt = format_current(organisation=other_region)
    publication = services.publication_create(
        region=other_region, actor=exer.region_leader, target=fmt
    )
    with pytest.raises(ValidationError):
        services.publication_adopt(
            publication=publication, organisation=exer.org_a, actor=exer.a_leader
        )


# -- the overview and the member's page ---------------------------------------------------------


def cell(overview, member, key):
    row = next(r for r in overview.rows if r.member == member)
    return next(c for c in row.cells if c.column.key == key)


def test_the_overview_shows_who_adopted_which_version(exer, login):
    region_fmt = format_current(organisation=exer.region)
    publication = publish_format(exer, region_fmt)
    services.publication_adopt(
        publication=publication, organisation=exer.org_a, actor=exer.a_leader
    )
    overview = adoption_overview(region=exer.region)
    assert [r.member for r in overview.rows] == [exer.org_a, exer.org_c]
    assert [c.key for c in overview.columns] == ["format", f"scenario-{exer.scenario.pk}"]
    adopted = cell(overview, exer.org_a, "format")
    assert adopted.is_adopted
    assert adopted.region_version == region_fmt.version
    assert adopted.own_version is None and adopted.newer is None
    assert not cell(overview, exer.org_c, "format").is_adopted
    assert not cell(overview, exer.org_a, f"scenario-{exer.scenario.pk}").is_adopted

    page = login(exer.region_leader).get(region_url(exer.region)).content.decode()
    assert 'data-testid="overview"' in page
    assert f'data-member="{exer.org_a.pk}"' in page
    assert f'data-member="{exer.org_c.pk}"' in page
    assert '<th scope="row">Gemeente Cedam</th>' in page


def test_the_overview_sees_a_members_own_adaptation_and_a_newer_region_version(exer, login):
    publication = publish_format(exer)
    services.publication_adopt(
        publication=publication, organisation=exer.org_a, actor=exer.a_leader
    )
    own = format_services.format_revise(
        organisation=exer.org_a,
        actor=exer.a_leader,
        sections=[
            *sections_of(format_current(organisation=exer.org_a)),
            {"key": "x", "title": "X"},
        ],
        note="Eigen sectie",
    )
    newer = region_format_with_new_section(exer)
    publish_format(exer, newer)
    found = cell(adoption_overview(region=exer.region), exer.org_a, "format")
    assert found.region_version == publication.format.version
    assert found.own_version == own.version
    assert found.newer == newer.version
    item = next(
        i
        for g in publications_for(member=exer.org_a).groups
        for i in g.items
        if i.publication == publication
    )
    assert item.is_adopted and item.own_version == own.version
    page = login(exer.region_admin).get(region_url(exer.region)).content.decode()
    assert "state-adapted" in page and "state-newer" in page


def test_the_overview_sees_an_adapted_scenario_copy(exer):
    publication = Publication.objects.get(scenario_version=exer.version)
    adoption = services.publication_adopt(
        publication=publication, organisation=exer.org_a, actor=exer.a_leader
    )
    key = f"scenario-{exer.scenario.pk}"
    assert cell(adoption_overview(region=exer.region), exer.org_a, key).own_version is None
    ScenarioVersion.objects.create(
        scenario=adoption.scenario,
        number=2,
        title="Stroomuitval Aadorp",
        team_kind=exer.version.team_kind,
        created_by=exer.a_leader,
    )
    assert cell(adoption_overview(region=exer.region), exer.org_a, key).own_version == 2


def test_the_member_sees_publications_with_a_summary_of_the_differences(exer, login):
    publish_format(exer, region_format_with_new_section(exer, title="Regionale afstemming"))
    mine = publications_for(member=exer.org_a)
    fmt_group = next(g for g in mine.groups if g.kind == "format")
    diff = fmt_group.items[0].format_diff
    assert diff is not None
    assert "Regionale afstemming" in diff.added
    assert mine.format_version == format_current(organisation=exer.org_a).version
    page = login(exer.a_leader).get(region_url(exer.org_a)).content.decode()
    assert "Regionale afstemming" in page
    assert exer.version.title in page


def test_the_cards_summary_counts_lines_per_part(exer):
    region = cards_current(organisation=exer.region)
    revised = format_services.cards_revise(
        organisation=exer.region,
        actor=exer.region_leader,
        card={**region.card, "agenda": [*region.card["agenda"], "Nieuw agendapunt"]},
        tasks=region.tasks,
    )
    services.publication_create(region=exer.region, actor=exer.region_leader, target=revised)
    item = next(g for g in publications_for(member=exer.org_a).groups if g.kind == "cards").items[0]
    assert item.cards_diff is not None
    agenda = [p for p in item.cards_diff if p.label == "Agenda"]
    assert agenda and agenda[0].added >= 1


def test_notes_and_titles_are_escaped(exer, login):
    _scenario, version, *_rest = make_scenario(
        exer.region, exer.region_leader, title="<script>alert('t')</script>"
    )
    client = login(exer.region_leader)
    client.post(
        publish_url(exer.region),
        {"kind": "scenario", "target": version.pk, "note": "<script>alert('n')</script>"},
    )
    for user, org in ((exer.region_leader, exer.region), (exer.a_leader, exer.org_a)):
        page = login(user).get(region_url(org)).content.decode()
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page


def test_seeded_cards_of_a_region_are_a_card_set(exer):
    """The region starts with its own format and cards (the seeder), to publish right away."""
    assert format_current(organisation=exer.region).organisation == exer.region
    assert CardSet.objects.filter(organisation=exer.region).exists()
