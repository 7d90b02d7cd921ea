"""The attention card and task cards as organisation content: the defaults, what a revision must
hold, and the administrators' editor. Using them (ticks, personal logbook, paper) is
tests/meetings/test_cards.py."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crisisroom import services as core
from formats import selectors, services

pytestmark = pytest.mark.django_db


def test_an_organisation_starts_from_labelled_default_cards_with_no_invented_families(world):
    cards = selectors.cards_current(organisation=world.org_a)
    assert cards.version == 1 and cards.is_default
    assert cards.card["families"] == []
    assert len(cards.card["uitgangspunten"]) == 7
    company = selectors.cards_current(
        organisation=world.org_b
    )  # a CMT's: tests/formats/test_team_kinds.py
    assert "Roept het crisisteam bijeen of laat dit doen." in company.tasks["cmt_voorzitter"]
    assert company.card["families"] == []


def test_the_agenda_cannot_be_empty(world):
    with pytest.raises(ValidationError):
        services.cards_revise(organisation=world.org_a, actor=None, card={"agenda": []}, tasks={})


def test_cards_without_any_task_card_are_refused(world):
    with pytest.raises(ValidationError):
        services.cards_revise(
            organisation=world.org_a, actor=None, card={"agenda": ["Opening"]}, tasks={}
        )


def test_only_administrators_edit_the_cards(world, login):
    url = reverse("cards_edit", args=[world.org_a.pk])
    assert login(world.chair).get(url).status_code == 404
    client = login(world.org_admin)
    form = client.get(url)
    assert form.status_code == 200 and "Legt beeld, knelpunten" in form.content.decode()
    response = client.post(
        url,
        {
            "card_agenda": "Opening\nSluiting",
            "card_families": "Familie A",
            "tasks_logger": "Eerste taak\nTweede taak",
            "note": "Eigen kaart",
        },
    )
    assert response.status_code == 302
    latest = world.org_a.card_sets.order_by("-version").first()
    assert latest.version == 2 and latest.card["families"] == ["Familie A"]
    assert latest.tasks["logger"] == ["Eerste taak", "Tweede taak"]
    core.organisation_member_set(
        organisation=world.org_a, user=world.org_admin, actor=None, is_administrator=False
    )
    assert login(world.org_admin).get(url).status_code == 404
