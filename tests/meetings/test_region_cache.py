"""Regions rendered once per log revision and rights and shared between screens
(meetings/views/regions.py): nobody gets markup meant for other rights or another session,
a write shows at once, and the access check still comes first."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crisisroom import services as core_services
from crisisroom.models import Membership
from meetings import services
from meetings.models import Assignment
from meetings.services import wall as wall_services
from meetings.views.regions import CSRF_SLOT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PERSONAS = ("chair", "mayor", "logger", "adviser", "observer")
SHARED = ("card", "kernbeeld", "log", "assignments", "messages", "changes")


@pytest.fixture
def table(world, meeting, record):
    """A running meeting with something in every region: entries, an open assignment, a
    ticked agenda item, an adjusted kernbeeld and a message routed to the mayor."""
    record("besluit", "Scholen dicht")
    record("opdracht", "Bewonersbrief")
    services.meeting_tick_card(meeting=meeting, key="agenda:1", actor=world.chair)
    services.meeting_update_kernbeeld(
        meeting=meeting, actor=world.logger, text="Brand in loods", base_revision=0
    )
    services.message_record(
        crisis=world.crisis_a,
        actor=world.chair,
        direction="in",
        channel="telefoon",
        counterpart="Veiligheidsregio",
        summary="Vraag voor de burgemeester",
        client_token=uuid.uuid4(),
        routed_to=world.mayor,
    )
    return meeting


def _url(world, name="meeting_detail", region=None):
    url = reverse(name, args=[world.crisis_a.pk, 1])
    return f"{url}?region={region}" if region else url


def _same_apart_from_tokens(html: str) -> str:
    """A screen with what differs on every load as a placeholder: CSRF tokens (masked anew
    each time), idempotency tokens, the live-poll token and the server's clock."""
    html = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', 'csrfmiddlewaretoken" value=""', html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)
    html = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)
    html = re.sub(r"/(live|stroom)/[^/\"]+/", r"/\1//", html)
    return re.sub(r'data-server-now="[^"]*"', 'data-server-now=""', html)


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _section(html: str, region: str) -> str:
    match = re.search(rf'<section id="region-{region}".*?</section>', html, re.S)
    assert match, region
    return match.group(0)


def test_every_viewer_gets_the_console_of_their_own_rights_whoever_filled_the_cache(
    world, table, login
):
    clients = {name: login(getattr(world, name)) for name in PERSONAS}
    for name, client in clients.items():
        cache.clear()
        alone = _same_apart_from_tokens(_get(client, _url(world)))
        cache.clear()
        for other, other_client in clients.items():
            if other != name:
                _get(other_client, _url(world))
        after_others = _same_apart_from_tokens(_get(client, _url(world)))
        assert after_others == alone, name


def test_every_viewer_gets_the_refreshed_regions_of_their_own_rights(world, table, login):
    clients = {name: login(getattr(world, name)) for name in PERSONAS}
    for region in SHARED:
        url = _url(world, region=region)
        for name, client in clients.items():
            cache.clear()
            alone = _same_apart_from_tokens(_get(client, url))
            cache.clear()
            for other, other_client in clients.items():
                if other != name:
                    _get(other_client, url)
            assert _same_apart_from_tokens(_get(client, url)) == alone, (region, name)


def test_the_chair_keeps_the_forms_the_mayor_and_observer_never_see(world, table, login):
    chair, mayor, observer = login(world.chair), login(world.mayor), login(world.observer)
    for client in (observer, mayor, chair, mayor, observer):  # each after the others
        page = _get(client, _url(world))
        kernbeeld, card = _section(page, "kernbeeld"), _section(page, "card")
        log = _section(page, "log")
        if client is chair:
            assert 'name="kernbeeld"' in kernbeeld and "tick-form" in card
            assert "Corrigeren" in log
        else:
            assert 'name="kernbeeld"' not in kernbeeld and "tick-form" not in card
            assert "Corrigeren" not in log and "csrfmiddlewaretoken" not in card


def test_a_message_is_marked_as_mine_only_for_whom_it_is_routed_to(world, table, login):
    chair, mayor = login(world.chair), login(world.mayor)
    assert "is-mine" not in _section(_get(chair, _url(world)), "messages")
    assert "is-mine" in _section(_get(mayor, _url(world)), "messages")
    assert "is-mine" not in _get(chair, _url(world, region="messages"))
    assert "is-mine" not in _section(_get(login(world.adviser), _url(world)), "messages")


def test_a_shared_region_carries_the_viewers_own_csrf_token(world, table):
    """Two browsers of the chair: the second is served the kernbeeld the first one's request
    rendered, with its own token (a token of the first session would be refused)."""
    first, second = Client(), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        assert browser.login(username=world.chair.username, password=PASSWORD)
    first_page = _get(first, _url(world))
    second_page = _get(second, _url(world))
    assert CSRF_SLOT not in first_page and CSRF_SLOT not in second_page
    kernbeeld = _section(second_page, "kernbeeld")
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', kernbeeld).group(1)
    assert token not in first_page
    response = second.post(
        reverse("meeting_kernbeeld", args=[world.crisis_a.pk, 1]),
        {
            "csrfmiddlewaretoken": token,
            "kernbeeld": "Brand onder controle",
            "kernbeeld_revision": 1,
        },
    )
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.kernbeeld == "Brand onder controle"


def test_a_cached_region_shows_each_write_at_once(world, table, login, record):
    observer = login(world.observer)
    _get(observer, _url(world))  # every region cached
    record("beeld", "Rook trekt weg")
    services.meeting_tick_card(meeting=table, key="agenda:2", actor=world.chair)
    services.meeting_update_kernbeeld(
        meeting=table, actor=world.chair, text="Brand meester", base_revision=1
    )
    services.message_record(
        crisis=world.crisis_a,
        actor=world.chair,
        direction="in",
        channel="telefoon",
        counterpart="Omroep",
        summary="Persvraag over de rook",
        client_token=uuid.uuid4(),
    )
    page = _get(observer, _url(world))
    assert "Rook trekt weg" in _section(page, "log")
    assert _section(page, "card").count('class="handled"') == 2 * 2  # item and "handled" list
    assert "Brand meester" in _section(page, "kernbeeld")
    assert "Persvraag over de rook" in _section(page, "messages")
    services.meeting_set_phase(meeting=table, phase="controle", actor=world.chair)
    assignments = _get(observer, _url(world, region="assignments"))
    assert "Controle" in assignments  # every open assignment, with the phase's explanation


def test_a_new_entry_leaves_the_other_regions_in_the_cache(world, table, login, record):
    observer = login(world.observer)
    _get(observer, _url(world))
    record("beeld", "Nieuwe melding")
    with CaptureQueriesContext(connection) as fresh:
        log = _get(observer, _url(world, region="log"))
    with CaptureQueriesContext(connection) as cached:
        card = _get(observer, _url(world, region="card"))
    assert "Nieuwe melding" in log and "agenda" in card.lower()
    assert len(cached) < len(fresh)  # the card was not rendered again: no query of its own


def test_a_handed_over_analysis_shows_although_the_log_did_not_change(
    world, table, login, hand_over
):
    observer = login(world.observer)
    before = _get(observer, _url(world, region="kernbeeld"))
    assert "analyse/?versie=" not in before
    hand_over()
    assert "analyse/?versie=1" in _get(observer, _url(world, region="kernbeeld"))


def test_closing_the_crisis_takes_the_forms_out_of_the_cached_regions(world, table, login):
    chair = login(world.chair)
    page = _get(chair, _url(world))
    assert 'name="kernbeeld"' in _section(page, "kernbeeld")
    core_services.crisis_close(crisis=world.crisis_a, actor=world.mayor)
    page = _get(chair, _url(world))
    assert 'name="kernbeeld"' not in _section(page, "kernbeeld")
    assert "tick-form" not in _section(page, "card") and "Corrigeren" not in page


def test_an_assignment_turns_overdue_within_the_minute_without_a_write(
    world, table, login, monkeypatch
):
    observer = login(world.observer)
    assert "is-overdue" not in _get(observer, _url(world, region="assignments"))
    # Time passes (no write): the deadline is now a minute behind.
    later = timezone.now() + timedelta(minutes=1)
    Assignment.objects.filter(crisis=world.crisis_a).update(deadline=later - timedelta(seconds=1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "is-overdue" in _get(observer, _url(world, region="assignments"))


def test_a_refused_save_keeps_the_typed_text_for_its_writer_only(world, table, login):
    logger, chair = login(world.logger), login(world.chair)
    _get(chair, _url(world))
    refused = logger.post(
        reverse("meeting_kernbeeld", args=[world.crisis_a.pk, 1]),
        {"kernbeeld": "Mijn halve zin", "kernbeeld_revision": 0},  # an older revision
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 409 and "Mijn halve zin" in refused.content.decode()
    assert "Mijn halve zin" not in _get(chair, _url(world, region="kernbeeld"))
    assert "Mijn halve zin" not in _get(logger, _url(world))


def test_outsiders_and_a_member_who_left_get_404_with_the_regions_cached(world, table, login):
    adviser = login(world.adviser)
    _get(adviser, _url(world))
    _get(adviser, _url(world, name="meeting_projection"))
    outsider = login(world.outsider)
    urls = [
        _url(world),
        _url(world, region="log"),
        _url(world, name="meeting_projection"),
        _url(world, name="meeting_projection", region="log"),
    ]
    for url in urls:
        assert outsider.get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to the login page
    membership = Membership.objects.get(crisis=world.crisis_a, user=world.adviser)
    core_services.membership_end(membership=membership, actor=world.chair)
    for url in urls:
        assert adviser.get(url).status_code == 404


def test_the_wall_shares_its_regions_and_shows_a_new_decision(world, table, login, record):
    wall_services.wall_settings_save(
        crisis=world.crisis_a,
        actor=world.chair,
        show_decisions=True,
        show_assignments=True,
        show_kernbeeld=True,
        show_agenda=True,
        show_clock=True,
    )
    chair, observer = login(world.chair), login(world.observer)
    url = _url(world, name="meeting_projection")
    first = _same_apart_from_tokens(_get(observer, url))
    cache.clear()
    _get(chair, url)
    assert _same_apart_from_tokens(_get(observer, url)) == first
    record("besluit", "Noodopvang in sporthal")
    assert "Noodopvang in sporthal" in _get(observer, url + "?region=log")


def test_a_further_console_at_the_same_revision_costs_at_most_ten_queries(world, table, login):
    chair = login(world.chair)
    with CaptureQueriesContext(connection) as first:
        _get(chair, _url(world))
    with CaptureQueriesContext(connection) as further:
        _get(chair, _url(world))
    assert len(further) <= 10 < len(first)
