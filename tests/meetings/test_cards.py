"""The cards in use (meetings.services, meetings.views.cards): a meeting's card version and its
ticks, task cards, the personal logbook and its proposals, transcription from paper and the
paper pack. Who may open which URL is tests/test_access_matrix.py's."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from crisisroom import services as core
from formats import services as format_services
from meetings import services
from meetings.models import CardTick, Entry, EntryProposal, PersonalItem
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


# -- the card version a meeting uses ---------------------------------------------------------------


def test_a_meeting_keeps_the_card_version_it_used(world, meeting):
    revised = format_services.cards_revise(
        organisation=world.org_a,
        actor=world.org_admin,
        card={"agenda": ["Opening", "Rondvraag"], "families": ["Eigen familie A"]},
        tasks={"logger": ["Eigen taak"]},
        note="Regionale kaart",
    )
    assert revised.version == 2
    meeting.refresh_from_db()
    assert meeting.card_set.version == 1
    services.meeting_close(meeting=meeting, actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert second.card_set == revised


def test_an_admins_revision_reaches_a_crisis_with_its_next_meeting(world, meeting, login):
    client = login(world.logger)
    client.post(
        reverse("task_cards", args=[world.crisis_a.pk]),
        {"role": "logger", "number": 2, "done": "1"},
    )
    format_services.cards_revise(
        organisation=world.org_a,
        actor=world.org_admin,
        card={"agenda": ["Nieuwe agenda"]},
        tasks={"logger": ["Alleen dit"]},
    )
    page = client.get(reverse("task_cards", args=[world.crisis_a.pk])).content.decode()
    assert "Legt beeld, knelpunten" in page and "Alleen dit" not in page  # still version 1
    assert 'aria-pressed="true"' in page
    pack = pdf_text(client.get(reverse("paper_pack_crisis", args=[world.crisis_a.pk])).content)
    assert "Kernbeeld: voortbouwen" in pack and "Nieuwe agenda" not in pack
    services.meeting_close(meeting=meeting, actor=world.chair)
    services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    page = client.get(reverse("task_cards", args=[world.crisis_a.pk])).content.decode()
    assert "Alleen dit" in page and 'aria-pressed="true"' not in page


def test_card_and_task_text_is_escaped_on_screen(world, meeting, login):
    format_services.cards_revise(
        organisation=world.org_a,
        actor=None,
        card={"agenda": ['<script>alert(1)</script> & "De Kroon"']},
        tasks={"adviseur": ["<b>vet</b>"]},
    )
    services.meeting_close(meeting=meeting, actor=world.chair)
    services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    page = login(world.adviser).get(reverse("meeting_detail", args=[world.crisis_a.pk, 2]))
    assert "<script>alert(1)" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page.content.decode()
    tasks = login(world.adviser).get(reverse("task_cards", args=[world.crisis_a.pk]))
    assert "&lt;b&gt;vet&lt;/b&gt;" in tasks.content.decode()


# -- ticking the card ------------------------------------------------------------------------------


def test_ticked_items_are_kept_with_time_and_text(world, meeting):
    tick = services.meeting_tick_card(meeting=meeting, key="agenda:2", actor=world.chair)
    again = services.meeting_tick_card(meeting=meeting, key="agenda:2", actor=world.chair)
    assert again.pk == tick.pk
    assert tick.label == "Kernbeeld: voortbouwen op de strategische analyse"
    services.meeting_tick_card(meeting=meeting, key="beeldvorming:3", actor=world.chair)
    assert CardTick.objects.filter(meeting=meeting).count() == 2
    with pytest.raises(ValidationError):
        services.meeting_tick_card(meeting=meeting, key="agenda:99", actor=world.chair)


def test_the_card_follows_the_phase_on_the_meeting_page(world, meeting, login):
    url = reverse("meeting_detail", args=[world.crisis_a.pk, 1])
    page = login(world.mayor).get(url + "?region=card").content.decode()
    assert "Nu: Beeldvorming" in page and "Voorwaarts denken" in page
    services.meeting_set_phase(meeting=meeting, phase="besluitvorming", actor=world.chair)
    page = login(world.mayor).get(url + "?region=card").content.decode()
    assert "Nu: Besluitvorming" in page and "mét argumenten" in page
    assert "Voorwaarts denken" not in page
    assert "Crisisroom verzint er geen" in page  # families: none invented


def test_what_was_handled_stays_visible_after_the_meeting(world, meeting, login):
    services.meeting_tick_card(meeting=meeting, key="beeldvorming:01", actor=world.chair)
    services.meeting_tick_card(meeting=meeting, key="beeldvorming:1", actor=world.chair)
    assert CardTick.objects.filter(meeting=meeting).count() == 1
    services.meeting_set_phase(meeting=meeting, phase="controle", actor=world.chair)
    services.meeting_close(meeting=meeting, actor=world.chair)
    page = login(world.mayor).get(reverse("meeting_detail", args=[world.crisis_a.pk, 1]))
    assert "Behandeld in dit overleg" in page.content.decode()
    assert "Wat is er aan de hand, wat weten we wel en niet" in page.content.decode()


# -- task cards ------------------------------------------------------------------------------------


def test_members_tick_their_own_role_and_the_chair_sees_progress(world, login):
    client = login(world.logger)
    client.post(
        reverse("task_cards", args=[world.crisis_a.pk]),
        {"role": "logger", "number": 2, "done": "1"},
    )
    page = login(world.chair).get(reverse("task_cards", args=[world.crisis_a.pk])).content.decode()
    assert "Voortgang per rol" in page and "1 / 5" in page
    with pytest.raises(ValidationError):
        services.task_toggle(
            crisis=world.crisis_a, user=world.logger, role="burgemeester", number=1, done=True
        )
    assert (
        "Voortgang per rol"
        not in client.get(reverse("task_cards", args=[world.crisis_a.pk])).content.decode()
    )


# -- personal logbook ------------------------------------------------------------------------------


def test_the_personal_logbook_is_private_even_from_the_chair(world, login):
    url = reverse("personal_logbook", args=[world.crisis_a.pk])
    login(world.adviser).post(
        url, {"kind": "actie", "text": "Wethouder bellen", "priority": "hoog"}
    )
    item = PersonalItem.objects.get()
    assert item.owner == world.adviser
    assert "Wethouder bellen" in login(world.adviser).get(url).content.decode()
    assert "Wethouder bellen" not in login(world.chair).get(url).content.decode()
    propose = reverse("personal_item_propose", args=[world.crisis_a.pk, item.pk])
    assert login(world.chair).post(propose).status_code == 404
    assert login(world.chair).post(url, {"check": item.pk, "done": "1"}).status_code == 404
    assert login(world.outsider).get(url).status_code == 404


def test_a_personal_line_becomes_an_official_entry_only_when_the_logger_takes_it(
    world, meeting, login
):
    item = services.personal_add(
        crisis=world.crisis_a,
        owner=world.adviser,
        kind="besluit",
        text="Gemeentehuis blijft open tot 22:00",
        priority="normaal",
    )
    login(world.adviser).post(reverse("personal_item_propose", args=[world.crisis_a.pk, item.pk]))
    proposal = EntryProposal.objects.get()
    assert not Entry.objects.exists()
    page = login(world.logger).get(reverse("meeting_detail", args=[world.crisis_a.pk, 1]))
    assert "Gemeentehuis blijft open" in page.content.decode()
    decide = reverse("proposal_decide", args=[world.crisis_a.pk, proposal.pk])
    assert login(world.adviser).post(decide, {"decision": "accept"}).status_code == 403
    token = uuid.uuid4()
    login(world.logger).post(decide, {"decision": "accept", "client_token": token})
    login(world.logger).post(decide, {"decision": "accept", "client_token": token})
    entry = Entry.objects.get()
    # A proposal is recorded as a notitie: a decision needs its reasons and who took it.
    assert entry.kind == "notitie" and "Gemeentehuis blijft open" in entry.text
    assert "Besluit voorgesteld door" in entry.text and entry.author == world.logger


def test_nothing_personal_is_added_to_a_closed_crisis(world):
    core.crisis_close(crisis=world.crisis_a, actor=world.chair)
    with pytest.raises(ValidationError):
        services.personal_add(
            crisis=world.crisis_a, owner=world.adviser, kind="actie", text="x", priority="normaal"
        )
    with pytest.raises(ValidationError):
        services.task_toggle(
            crisis=world.crisis_a, user=world.logger, role="logger", number=1, done=True
        )


# -- paper -----------------------------------------------------------------------------------------


def test_an_entry_typed_in_from_paper_keeps_its_time_on_paper(world, meeting, login):
    on_paper = timezone.localtime() - timedelta(hours=2)
    response = login(world.logger).post(
        reverse("entry_create", args=[world.crisis_a.pk, 1]),
        {
            "client_token": uuid.uuid4(),
            "kind": "beeld",
            "text": "Stroom terug in Oost",
            "occurred_at": on_paper.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.occurred_at is not None and entry.recorded_at > entry.occurred_at
    page = login(world.mayor).get(reverse("meeting_detail", args=[world.crisis_a.pk, 1]))
    assert "overgenomen van papier" in page.content.decode()
    future = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = login(world.logger).post(
        reverse("entry_create", args=[world.crisis_a.pk, 1]),
        {"client_token": uuid.uuid4(), "kind": "beeld", "text": "x", "occurred_at": future},
    )
    assert refused.status_code == 422


def test_a_time_on_paper_before_the_crisis_is_refused(world, record):
    with pytest.raises(ValidationError):
        record("beeld", "x", occurred_at=world.crisis_a.started_at - timedelta(days=3))


def test_the_paper_pack_reads_back_as_a_pack_a_team_would_print(world, meeting, login):
    response = login(world.adviser).get(reverse("paper_pack_crisis", args=[world.crisis_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Strategische aandachtskaart" in text and "Stroomstoring Aadorp" in text
    assert "Kernbeeld: voortbouwen op de strategische analyse" in text
    assert "Taakkaart technisch voorzitter" in text and "Taakkaart logger" in text
    assert "CMT-voorzitter" not in text  # a GBT has no CMT roles
    assert "Logboek — blad 1" in text and "Logboek — blad 4" in text
    assert "72" in text  # numbered rows run on across sheets
    assert "Individueel logboek" in text and "VERTROUWELIJK" in text
    assert "Overleg nr.: 1" in text
    assert "OEFENING" not in text


def test_the_paper_pack_of_an_exercise_says_oefening_on_every_page(world, login):
    response = login(world.outsider).get(reverse("paper_pack_crisis", args=[world.crisis_b.pk]))
    pages = pdf_text(response.content).split("\f")[:-1]
    assert len(pages) > 5 and all("OEFENING" in page for page in pages)


def test_the_organisation_pack_is_for_its_administrators_and_has_a_blank_crisis(world, login):
    url = reverse("paper_pack_organisation", args=[world.org_a.pk])
    assert login(world.chair).get(url).status_code == 404
    text = pdf_text(login(world.org_admin).get(url).content)
    assert "Strategische aandachtskaart" in text and "Stroomstoring" not in text


def test_personal_logbook_sheets_are_numbered(world, login):
    text = pdf_text(
        login(world.adviser).get(reverse("paper_pack_crisis", args=[world.crisis_a.pk])).content
    )
    assert "Individueel logboek — blad 1" in text and "Individueel logboek — blad 2" in text
