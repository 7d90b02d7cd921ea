"""The wall screen: newest first in pages, the chair's choice of panels, dates, and wall
computers paired with a code (read-only, bound to one crisis, revocable)."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from crisisroom import services as core_services
from meetings import services
from meetings.models import WallCodeFailure, WallPairing, WallPairingEvent
from meetings.selectors.wall import WALL_PAGE
from meetings.services import wall as wall_services
from meetings.templatetags.wall_tags import wall_when
from meetings.wall_access import WALL_COOKIE

pytestmark = pytest.mark.django_db


def _wall_url(world, number=1):
    return reverse("meeting_projection", args=[world.crisis_a.pk, number])


def _first_page(html: str, region: str) -> str:
    """The markup of the first (visible) page of a wall list."""
    section = html[html.index(f'id="region-{region}"') :]
    section = section[: section.index("</section>")]
    return section[: section.index("</ol>")]


def _pair(world, label="Zaal") -> tuple[Client, WallPairing]:
    """A wall computer (no login) paired with crisis A through the code page."""
    pairing, code = wall_services.wall_pairing_create(
        crisis=world.crisis_a, actor=world.chair, label=label
    )
    wall = Client()
    response = wall.post(reverse("wall_enter"), {"code": code.lower()[:4] + " " + code[4:]})
    assert response.status_code == 302
    assert response["Location"] == reverse("wall_screen")
    return wall, pairing


# -- what the wall shows -----------------------------------------------------------------------


def test_the_newest_assignment_is_on_the_first_page_with_30_open(world, meeting, record, login):
    for i in range(1, 31):
        record("opdracht", f"Opdracht nummer {i:02d}")
    html = login(world.adviser).get(_wall_url(world)).content.decode()

    first = _first_page(html, "assignments")
    assert "Opdracht nummer 30" in first  # the newest, on the page shown first
    assert "Opdracht nummer 01" not in first
    assert "Opdracht nummer 01" in html  # the oldest is on a later page, not left out
    assert 'data-testid="wall-assignments-count">(30)' in html
    pages = -(-30 // WALL_PAGE)
    assert f">1/{pages}<" in html
    assert html.count("data-wall-page hidden") == pages - 1


def test_the_wall_says_how_many_it_leaves_out_beyond_its_last_page(world, meeting, record, login):
    for i in range(70):
        record("opdracht", f"Opdracht {i}")
    html = login(world.adviser).get(_wall_url(world)).content.decode()
    assert 'data-testid="wall-assignments-count">(70)' in html
    assert "Opdracht 69" in _first_page(html, "assignments")
    assert re.search(r"\b14\b[^<]*(older|oudere)", html)


def test_decisions_are_newest_first_and_counted(world, meeting, record, login):
    for i in range(1, 13):
        record("besluit", f"Besluit nummer {i:02d}")
    html = login(world.mayor).get(_wall_url(world)).content.decode()
    first = _first_page(html, "log")
    assert first.index("Besluit nummer 12") < first.index("Besluit nummer 11")
    assert "Besluit nummer 01" not in first
    assert 'data-testid="wall-decisions-count">(12)' in html


def test_deadlines_show_a_date_unless_they_are_today(world, meeting, record, login):
    now = timezone.localtime()
    tomorrow = (now + timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
    record("opdracht", "Bewonersbrief", deadline=tomorrow)
    soon = now + timedelta(minutes=5)
    if soon.date() != now.date():  # just before midnight: keep it today
        soon = now + timedelta(seconds=30)
    record("opdracht", "Persbericht", deadline=soon)
    html = login(world.adviser).get(_wall_url(world)).content.decode()
    assert f">{wall_when(tomorrow)}</time>" in html
    assert re.match(rf"^{tomorrow.day} \w+\.? 14:00$", wall_when(tomorrow))
    assert f">{soon:%H:%M}</time>" in html


def test_wall_dates_read_like_a_dutch_wall():
    tz = timezone.get_current_timezone()
    with translation.override("nl"):
        assert wall_when(datetime(2030, 11, 29, 14, 0, tzinfo=tz)) == "29 nov. 14:00"
        assert wall_when(datetime(2030, 5, 2, 9, 5, tzinfo=tz)) == "2 mei 09:05"
        today = timezone.localtime().replace(hour=14, minute=0)
        assert wall_when(today) == "14:00"


def test_the_chairs_choice_of_panels_is_respected(world, meeting, record, login):
    record("besluit", "Scholen dicht")
    chair = login(world.chair)
    response = chair.post(
        reverse("wall_settings", args=[world.crisis_a.pk]),
        {"show_assignments": "on", "show_kernbeeld": "on", "show_agenda": "on"},
    )
    assert response.status_code == 302
    html = login(world.adviser).get(_wall_url(world)).content.decode()
    assert 'id="region-log"' not in html and "Scholen dicht" not in html
    assert 'id="region-assignments"' in html
    assert 'id="region-kernbeeld"' in html and 'id="region-card"' in html
    assert "data-clock" not in html  # the clock was switched off
    assert 'data-wall-layout="01110"' in html  # a wall reloads when this changes


def test_by_default_the_wall_shows_decisions_assignments_and_the_clock(world, meeting, login):
    html = login(world.adviser).get(_wall_url(world)).content.decode()
    assert 'id="region-log"' in html and 'id="region-assignments"' in html
    assert "data-clock" in html
    assert 'id="region-kernbeeld"' not in html and 'id="region-card"' not in html


def test_only_the_chair_sees_the_way_to_set_up_the_wall(world, meeting, login):
    setup = reverse("wall_setup", args=[world.crisis_a.pk])
    assert setup in login(world.chair).get(_wall_url(world)).content.decode()
    assert setup not in login(world.mayor).get(_wall_url(world)).content.decode()
    assert (
        login(world.logger)
        .post(reverse("wall_settings", args=[world.crisis_a.pk]), {"show_clock": "on"})
        .status_code
        == 403
    )


def test_user_text_on_the_wall_is_escaped(world, meeting, record, login):
    record("opdracht", "<script>alert(1)</script>", owner_function="<b>woordvoerder</b>")
    html = login(world.adviser).get(_wall_url(world)).content.decode()
    assert "<script>alert" not in html and "<b>woordvoerder" not in html
    assert "&lt;script&gt;" in html


# -- pairing a wall computer ---------------------------------------------------------------------


def test_the_chair_gets_a_code_that_pairs_a_wall_once(world, meeting, record, login):
    record("besluit", "Sporthal Zuid wordt opvang")
    chair = login(world.chair)
    made = chair.post(reverse("wall_pair", args=[world.crisis_a.pk]), {"label": "Zaal 2"})
    assert made["Location"] == reverse("wall_setup", args=[world.crisis_a.pk])
    page = chair.get(made["Location"]).content.decode()
    code = re.search(r'data-testid="wall-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    assert code not in chair.get(made["Location"]).content.decode()  # shown once
    assert WallPairing.objects.get().code_hash != code  # the code itself is not stored

    wall = Client()
    response = wall.post(reverse("wall_enter"), {"code": code})
    assert response.status_code == 302
    cookie = response.cookies[WALL_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/scherm/"
    assert int(cookie["max-age"]) > 30 * 24 * 3600  # no 12-hour end in the middle of a crisis
    screen = wall.get(reverse("wall_screen"))
    assert screen.status_code == 200
    html = screen.content.decode()
    assert "Sporthal Zuid wordt opvang" in html and 'data-testid="wall-paired"' in html
    assert reverse("wall_setup", args=[world.crisis_a.pk]) not in html

    other = Client().post(reverse("wall_enter"), {"code": code})
    assert other.status_code == 422  # used once
    assert WALL_COOKIE not in other.cookies

    log = chair.get(reverse("wall_setup", args=[world.crisis_a.pk])).content.decode()
    assert "Zaal 2" in log
    assert list(WallPairingEvent.objects.values_list("action", flat=True)) == [
        "paired",
        "created",
    ]


def test_a_wrong_code_is_refused_and_guessing_is_throttled(world, meeting):
    pairing, code = wall_services.wall_pairing_create(crisis=world.crisis_a, actor=world.chair)
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(wall_services.MAX_WRONG_CODES_PER_ADDRESS):
        assert guesser.post(reverse("wall_enter"), {"code": "AAAA-AAAA"}).status_code == 422
    # Now even the right code is refused from that address, for a while.
    response = guesser.post(reverse("wall_enter"), {"code": code})
    assert response.status_code == 429
    assert WALL_COOKIE not in response.cookies
    # Another address is not locked out by a stranger's guesses.
    assert (
        Client(REMOTE_ADDR="203.0.113.9").post(reverse("wall_enter"), {"code": code}).status_code
        == 302
    )
    assert WallCodeFailure.objects.count() == wall_services.MAX_WRONG_CODES_PER_ADDRESS


def test_an_expired_code_is_refused(world, meeting):
    pairing, code = wall_services.wall_pairing_create(crisis=world.crisis_a, actor=world.chair)
    WallPairing.objects.filter(pk=pairing.pk).update(
        code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().post(reverse("wall_enter"), {"code": code}).status_code == 422


def test_a_revoked_pairing_ends_at_once(world, meeting, login):
    wall, pairing = _pair(world)
    token_page = wall.get(reverse("wall_screen")).content.decode()
    poll = re.search(r'hx-get="(/scherm/live/[^"?]+)', token_page).group(1)
    assert wall.get(poll).status_code == 200

    response = login(world.chair).post(reverse("wall_revoke", args=[world.crisis_a.pk, pairing.pk]))
    assert response.status_code == 302

    stopped = wall.get(poll)
    assert stopped.status_code == 403
    assert stopped["HX-Refresh"] == "true"  # the wall reloads and shows it is not paired
    ended = wall.get(reverse("wall_screen"))
    assert ended.status_code == 403
    assert meeting.crisis.title not in ended.content.decode()
    # The ended wall forgets its cookie: from now on it is sent to type a new code.
    assert wall.get(reverse("wall_screen"))["Location"] == reverse("wall_enter")
    assert WallPairingEvent.objects.filter(action="revoked", actor=world.chair).exists()


def test_closing_the_crisis_ends_its_walls_and_its_codes(world, meeting):
    wall, _pairing = _pair(world)
    refresh = wall.get(reverse("wall_screen"), {"region": "log"})
    assert refresh.status_code == 200
    _waiting, code = wall_services.wall_pairing_create(crisis=world.crisis_a, actor=world.chair)
    core_services.crisis_close(crisis=world.crisis_a, actor=world.chair)
    assert wall.get(reverse("wall_screen"), {"region": "log"}).status_code == 403
    refused = Client().post(reverse("wall_enter"), {"code": code})
    assert refused.status_code == 422
    assert WALL_COOKIE not in refused.cookies


def test_the_wall_cookie_opens_nothing_else(world, meeting, record):
    record("besluit", "Scholen dicht")
    wall, _pairing = _pair(world)
    crisis = world.crisis_a.pk
    login = reverse("login")
    for url in (
        reverse("meeting_projection", args=[crisis, 1]),
        reverse("meeting_detail", args=[crisis, 1]),
        reverse("crisis_home", args=[crisis]),
        reverse("decision_list", args=[crisis]),
        reverse("wall_setup", args=[crisis]),
    ):
        response = wall.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    # ... and it writes nothing: not on its own page, not in the log.
    assert wall.post(reverse("wall_screen")).status_code == 405
    entry = wall.post(
        reverse("entry_create", args=[crisis, 1]), {"kind": "besluit", "text": "Van de muur"}
    )
    assert entry.status_code in (302, 403)
    assert not world.crisis_a.entries.filter(text="Van de muur").exists()
    # Another crisis's wall is not reachable with it either: it only ever shows its own.
    assert "Stroomstoring Aadorp" in wall.get(reverse("wall_screen")).content.decode()


def test_a_forged_or_foreign_wall_cookie_is_sent_to_the_code_page(world, meeting):
    wall, pairing = _pair(world)
    wall.cookies[WALL_COOKIE] = wall.cookies[WALL_COOKIE].value[:-2] + "xx"
    response = wall.get(reverse("wall_screen"))
    assert response.status_code == 302 and response["Location"] == reverse("wall_enter")


def test_the_paired_wall_polls_live_with_its_own_kind_of_token(world, meeting, record, login):
    wall, _pairing = _pair(world)
    html = wall.get(reverse("wall_screen")).content.decode()
    poll = re.search(r'hx-get="(/scherm/live/[^"?]+)\?r=(\d+)', html)
    url, seen = poll.group(1), int(poll.group(2))
    assert wall.get(url, {"r": seen}).status_code == 204
    record("besluit", "Nieuw besluit")
    changed = wall.get(url, {"r": seen})
    assert changed.status_code == 200 and "crisis-changed" in changed["HX-Trigger"]
    region = wall.get(reverse("wall_screen"), {"region": "log"}, headers={"HX-Request": "true"})
    assert "Nieuw besluit" in region.content.decode()
    # The token needs the wall's cookie; a member's token is another kind, and vice versa.
    assert Client().get(url).status_code == 403
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert login(world.chair).get(reverse("live_poll", args=[token])).status_code == 404
    chair_page = login(world.chair).get(_wall_url(world)).content.decode()
    member_token = re.search(r'hx-get="/live/([^/"]+)/', chair_page).group(1)
    assert wall.get(reverse("wall_live", args=[member_token])).status_code == 404


def test_a_paired_wall_follows_the_current_meeting(world):
    wall, _pairing = _pair(world)
    waiting = wall.get(reverse("wall_screen"))
    assert waiting.status_code == 200 and 'data-wall-meeting=""' in waiting.content.decode()
    first = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert 'data-wall-meeting="1"' in wall.get(reverse("wall_screen")).content.decode()
    services.meeting_close(meeting=first, actor=world.chair)
    services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert 'data-wall-meeting="2"' in wall.get(reverse("wall_screen")).content.decode()


def test_changing_the_panels_tells_every_wall(world, meeting, login):
    wall, _pairing = _pair(world)
    html = wall.get(reverse("wall_screen")).content.decode()
    url, seen = re.search(r'hx-get="(/scherm/live/[^"?]+)\?r=(\d+)', html).groups()
    login(world.chair).post(
        reverse("wall_settings", args=[world.crisis_a.pk]), {"show_kernbeeld": "on"}
    )
    assert wall.get(url, {"r": seen}).status_code == 200
    status = wall.get(reverse("wall_screen"), {"region": "status"}).content.decode()
    assert 'data-wall-layout="00100"' in status


def test_pairing_a_wall_is_in_the_crisis_audit_trail(world, meeting):
    from crisisroom.models import AuditEvent
    from meetings.services.wall import wall_pairing_create, wall_pairing_redeem, wall_pairing_revoke

    pairing, code = wall_pairing_create(crisis=world.crisis_a, actor=world.chair, label="Zaal")
    paired, _secret = wall_pairing_redeem(code=code, address="127.0.0.9")
    wall_pairing_revoke(pairing=paired, actor=world.chair)
    actions = list(
        AuditEvent.objects.filter(crisis=world.crisis_a, action__startswith="wall_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["wall_code_created", "wall_paired", "wall_revoked"]


def test_a_panel_the_chair_hid_is_not_there_by_region_either(world, meeting, record, login):
    record("besluit", "Scholen dicht")
    login(world.chair).post(
        reverse("wall_settings", args=[world.crisis_a.pk]), {"show_assignments": "on"}
    )
    for region in ("log", "kernbeeld", "card"):
        response = login(world.adviser).get(_wall_url(world) + f"?region={region}")
        assert response.status_code == 404, region
    client, _pairing = _pair(world)
    assert client.get("/scherm/beeld/?region=log").status_code == 404


def test_a_corrected_decision_counts_once_on_the_wall(world, meeting, record, login):
    original = record("besluit", "Scholen dicht")
    record("besluit", "Scholen in Noord dicht", corrects=original, without_reasoning=True)
    html = login(world.adviser).get(_wall_url(world)).content.decode()
    assert "(1)" in html.split('id="region-log"')[1].split("</h2>")[0]
