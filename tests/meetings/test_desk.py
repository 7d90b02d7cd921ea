"""The berichtenmanager's desk and who informs whom, as a CMT works them (seed 003)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crisisroom.models import Partner
from crisisroom.roles import Role
from meetings import services
from meetings.models import AppendOnlyError, Entry, InformAction, Message
from tests.conftest import seat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmt(world):
    """Crisis B, the company's CMT exercise, with a chair, a logger and a berichtenmanager."""
    team = {
        "chair": UserFactory(username="cmtchair"),
        "logger": UserFactory(username="cmtlogger"),
        "desk": UserFactory(username="desk"),
    }
    seat(world.crisis_b, team["chair"], Role.CMT_CHAIR)
    seat(world.crisis_b, team["logger"], Role.LOGGER)
    seat(world.crisis_b, team["desk"], Role.MESSAGE_MANAGER)
    return team


def _incoming(world, cmt, summary: str, **fields) -> Message:
    """An incoming message of crisis B, registered by the berichtenmanager."""
    fields.setdefault("channel", "telefoon")
    fields.setdefault("counterpart", "Veiligheidsregio")
    return services.message_record(
        crisis=world.crisis_b,
        actor=cmt["desk"],
        direction="in",
        summary=summary,
        client_token=uuid.uuid4(),
        **fields,
    )


def _post_message(client, crisis, **fields):
    data = {
        "client_token": str(uuid.uuid4()),
        "direction": "in",
        "channel": "pers",
        "counterpart": "Omroep Rivierenland",
        "summary": "Journalist vraagt of het kraanwater veilig is",
        "priority": "hoog",
        **fields,
    }
    return client.post(reverse("message_create", args=[crisis.pk]), data), data


def test_the_berichtenmanager_registers_a_message_once_however_often_it_is_sent(world, cmt, login):
    client = login(cmt["desk"])
    response, data = _post_message(client, world.crisis_b)
    assert response.status_code == 302
    again = client.post(reverse("message_create", args=[world.crisis_b.pk]), data)
    assert again.status_code == 302
    message = Message.objects.get(crisis=world.crisis_b)
    assert (message.seq, message.status, message.recorded_by) == (1, "nieuw", cmt["desk"])
    page = client.get(reverse("desk", args=[world.crisis_b.pk]))
    assert "Journalist vraagt of het kraanwater veilig is" in page.content.decode()


def test_a_message_without_its_line_is_refused_and_keeps_what_was_typed(world, cmt, login):
    client = login(cmt["desk"])
    response, _data = _post_message(
        client, world.crisis_b, summary="   ", counterpart="Inspectie <ILT>"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Inspectie &lt;ILT&gt;" in html  # kept, and escaped
    assert not Message.objects.exists()


def test_the_addressee_handles_a_message_routed_to_them_and_others_may_not(world, cmt, login):
    message = _incoming(
        world,
        cmt,
        "Vraagt om een liaison in het ROT",
        channel="telefoon",
        counterpart="Veiligheidsregio",
        routed_to=cmt["logger"],
    )
    url = reverse("message_handle", args=[world.crisis_b.pk, message.seq])
    assert login(world.outsider).post(url, {"outcome": "afgehandeld"}).status_code == 403
    response = login(cmt["logger"]).post(url, {"outcome": "afgehandeld", "note": "Liaison gaat"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.handled_by, message.handling_note) == (
        "afgehandeld",
        cmt["logger"],
        "Liaison gaat",
    )
    # Handled once: a second click changes nothing and says so.
    assert login(cmt["logger"]).post(url, {"outcome": "gearchiveerd"}).status_code == 422


def test_an_outgoing_message_counts_as_sent_only_after_the_chair_approves(world, cmt, login):
    client = login(cmt["desk"])
    _post_message(
        client,
        world.crisis_b,
        direction="uit",
        channel="sociale media",
        counterpart="Klanten",
        summary="Kook uw kraanwater tot nader bericht",
        needs_approval="on",
    )
    message = Message.objects.get()
    assert message.status == "ter_goedkeuring"
    url = reverse("message_approve", args=[world.crisis_b.pk, message.seq])
    assert client.post(url).status_code == 403  # the berichtenmanager does not approve
    assert login(cmt["chair"]).post(url).status_code == 302
    message.refresh_from_db()
    assert (message.status, message.approved_by) == ("verzonden", cmt["chair"])


def test_a_message_becomes_a_log_entry_that_names_it(world, cmt, login):
    message = _incoming(
        world,
        cmt,
        "Monsters Oosterpark: geen afwijkingen",
        channel="ketenpartner",
        counterpart="Waterlaboratorium",
    )
    response = login(cmt["desk"]).post(
        reverse("message_to_log", args=[world.crisis_b.pk, message.seq]),
        {"kind": "beeld", "client_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    entry = Entry.objects.get(crisis=world.crisis_b)
    assert entry.kind == "beeld" and entry.author == cmt["desk"]
    assert "Monsters Oosterpark: geen afwijkingen" in entry.text and "1" in entry.text
    message.refresh_from_db()
    assert (message.status, message.entry) == ("in_logboek", entry)


def test_an_assignment_from_a_message_needs_an_owner_and_a_deadline(world, cmt, login):
    message = _incoming(
        world, cmt, "Wil voor 12:00 een rapportage", channel="e-mail", counterpart="ILT"
    )
    url = reverse("message_to_log", args=[world.crisis_b.pk, message.seq])
    refused = login(cmt["desk"]).post(url, {"kind": "opdracht", "client_token": str(uuid.uuid4())})
    assert refused.status_code == 422
    assert not Entry.objects.exists()
    deadline = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    done = login(cmt["desk"]).post(
        url,
        {
            "kind": "opdracht",
            "client_token": str(uuid.uuid4()),
            "owner": cmt["logger"].pk,
            "deadline": deadline,
        },
    )
    assert done.status_code == 302
    assert Entry.objects.get().assignment.owner == cmt["logger"]


def test_a_correction_is_a_new_message_and_the_original_stays_visible(world, cmt, login):
    original = _incoming(
        world, cmt, "Noodwater bij sporthal Zuid", channel="telefoon", counterpart="Gemeente"
    )
    client = login(cmt["desk"])
    form = client.get(reverse("message_correct", args=[world.crisis_b.pk, original.seq]))
    assert "Noodwater bij sporthal Zuid" in form.content.decode()
    response, _data = _post_message(client, world.crisis_b)  # an unrelated second message
    data = {
        "client_token": str(uuid.uuid4()),
        "direction": "in",
        "channel": "telefoon",
        "counterpart": "Gemeente",
        "summary": "Noodwater bij sporthal Noord",
        "priority": "normaal",
    }
    corrected = client.post(
        reverse("message_correct", args=[world.crisis_b.pk, original.seq]), data
    )
    assert corrected.status_code == 302
    original.refresh_from_db()
    assert original.status == "gecorrigeerd"
    assert original.correction.summary == "Noodwater bij sporthal Noord"
    desk = client.get(reverse("desk", args=[world.crisis_b.pk]) + "?toon=all").content.decode()
    assert "<del>Noodwater bij sporthal Zuid</del>" in desk
    with pytest.raises(AppendOnlyError):
        original.delete()
    with pytest.raises(AppendOnlyError):
        Message.objects.all().delete()


def test_the_desk_refreshes_its_list_as_a_live_region(world, cmt, login):
    _incoming(
        world,
        cmt,
        "Vraagt om een woordvoerder",
        channel="pers",
        counterpart="NOS",
        routed_to=cmt["chair"],
    )
    region = login(cmt["chair"]).get(
        reverse("desk", args=[world.crisis_b.pk]) + "?toon=mine&region=messages"
    )
    html = region.content.decode()
    assert 'data-live-region="messages"' in html and "Vraagt om een woordvoerder" in html
    assert "<html" not in html
    mine = login(cmt["logger"]).get(
        reverse("desk", args=[world.crisis_b.pk]) + "?toon=mine&region=messages"
    )
    assert "Vraagt om een woordvoerder" not in mine.content.decode()


def test_a_closed_crisis_takes_no_more_messages(world, cmt):
    from django.core.exceptions import ValidationError

    from crisisroom.services import crisis_close

    crisis_close(crisis=world.crisis_b, actor=None)
    with pytest.raises(ValidationError):
        services.message_record(
            crisis=world.crisis_b,
            actor=cmt["desk"],
            direction="in",
            channel="pers",
            counterpart="NOS",
            summary="Nog een vraag",
            client_token=uuid.uuid4(),
        )


# -- who informs whom ------------------------------------------------------------------------


@pytest.fixture
def regulator(world, cmt):
    return Partner.objects.create(
        organisation=world.org_b,
        name="Inspectie Leefomgeving en Transport",
        kind=Partner.Kind.TOEZICHTHOUDER,
        contact_route="Meldkamer ILT, 24/7",
        default_owner=cmt["chair"],
    )


def test_a_stakeholder_comes_from_the_register_with_its_default_contact(
    world, cmt, regulator, login
):
    client = login(cmt["desk"])
    response = client.post(
        reverse("stakeholder_add", args=[world.crisis_b.pk]), {"partner": regulator.pk}
    )
    assert response.status_code == 302
    stakeholder = world.crisis_b.stakeholders.get()
    assert stakeholder.keeper == cmt["chair"]
    page = client.get(reverse("stakeholders", args=[world.crisis_b.pk])).content.decode()
    assert "Inspectie Leefomgeving en Transport" in page
    # Nobody has informed them yet: the chair sees the mark.
    assert "niet geïnformeerd sinds het vorige overleg" in page


def test_informing_is_recorded_and_the_chair_sees_who_was_not_informed_since_the_meeting(
    world, cmt, regulator, login
):
    stakeholder = services.stakeholder_add(
        crisis=world.crisis_b, partner=regulator, actor=cmt["chair"]
    )
    client = login(cmt["chair"])
    url = reverse("stakeholder_inform", args=[world.crisis_b.pk, stakeholder.pk])
    prefix = f"s{stakeholder.pk}"
    token = str(uuid.uuid4())
    data = {
        f"{prefix}-client_token": token,
        f"{prefix}-channel": "telefoon",
        f"{prefix}-core_message": "Kookadvies geldt voor Oosterpark",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click records it once
    action = InformAction.objects.get()
    assert (action.by, action.channel) == (cmt["chair"], "telefoon")
    rows = services_rows(world.crisis_b)
    assert not rows[0].not_informed_since_last_meeting
    # A meeting held after the informing: the stakeholder is due again.
    from meetings.services import meeting_close, meeting_start

    meeting = meeting_start(crisis=world.crisis_b, actor=cmt["chair"])
    meeting_close(meeting=meeting, actor=cmt["chair"])
    assert services_rows(world.crisis_b)[0].not_informed_since_last_meeting
    scheme = client.get(reverse("stakeholder_scheme", args=[world.crisis_b.pk]))
    assert "Meldkamer ILT, 24/7" in scheme.content.decode()


def test_an_empty_core_message_is_refused_next_to_the_field(world, cmt, regulator, login):
    stakeholder = services.stakeholder_add(
        crisis=world.crisis_b, partner=regulator, actor=cmt["chair"]
    )
    prefix = f"s{stakeholder.pk}"
    response = login(cmt["chair"]).post(
        reverse("stakeholder_inform", args=[world.crisis_b.pk, stakeholder.pk]),
        {f"{prefix}-client_token": str(uuid.uuid4()), f"{prefix}-channel": "telefoon"},
    )
    assert response.status_code == 422
    assert not InformAction.objects.exists()


def test_a_stakeholder_of_another_organisation_cannot_be_taken(world, cmt):
    from django.core.exceptions import ValidationError

    other = Partner.objects.create(
        organisation=world.org_a, name="Woonstede", kind="woningcorporatie"
    )
    with pytest.raises(ValidationError):
        services.stakeholder_add(crisis=world.crisis_b, partner=other, actor=cmt["chair"])


def services_rows(crisis):
    from meetings.selectors import stakeholders_of

    return stakeholders_of(crisis=crisis)


def test_the_archive_holds_the_message_register_and_who_informed_whom(world, cmt, regulator):
    import io
    import json
    import zipfile

    from crisisroom.services import crisis_close
    from meetings.archive import write_archive

    original = _incoming(
        world, cmt, "Vraagt om een woordvoerder", channel="pers", counterpart="NOS"
    )
    _incoming(
        world,
        cmt,
        "Vraagt om een woordvoerder voor 18:00",
        channel="pers",
        counterpart="NOS Journaal",
        corrects=original,
    )
    stakeholder = services.stakeholder_add(
        crisis=world.crisis_b, partner=regulator, actor=cmt["chair"]
    )
    services.inform_record(
        stakeholder=stakeholder,
        actor=cmt["chair"],
        channel="telefoon",
        core_message="Kookadvies Oosterpark",
        client_token=uuid.uuid4(),
    )
    crisis_close(crisis=world.crisis_b, actor=None)
    buffer = io.BytesIO()
    summary = write_archive(world.crisis_b, buffer)
    archive = zipfile.ZipFile(buffer)
    messages = json.loads(archive.read("data/messages.json"))["messages"]
    assert [(m["seq"], m["status"], m["corrects_seq"]) for m in messages] == [
        (1, "gecorrigeerd", None),
        (2, "nieuw", 1),
    ]
    informed = json.loads(archive.read("data/stakeholders.json"))
    assert informed["stakeholders"][0]["keeper"]["username"] == "cmtchair"
    assert informed["informings"][0]["core_message"] == "Kookadvies Oosterpark"
    assert (summary.counts["messages"], summary.counts["informings"]) == (2, 1)
    assert "data/messages.json" in archive.read("README.txt").decode()


def test_the_paper_pack_has_the_scheme_of_who_communicates_with_whom(world, cmt, regulator, login):
    from tests.conftest import pdf_text

    services.stakeholder_add(crisis=world.crisis_b, partner=regulator, actor=cmt["chair"])
    pdf = login(cmt["desk"]).get(reverse("paper_pack_crisis", args=[world.crisis_b.pk]))
    text = pdf_text(pdf.content)
    assert "Wie communiceert met wie" in text
    # Table cells wrap: look for the words, not the line.
    words = text.split()
    assert {"Inspectie", "Leefomgeving", "Meldkamer", "ILT,"} <= set(words)
