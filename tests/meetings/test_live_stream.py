"""The meeting screen's stream (Server-Sent Events): an event per change, named by the log
revision, with the regions to refresh; what a reconnecting screen missed at once; heartbeats;
and the same rights as every page: a member who leaves stops receiving, a forged token is 404."""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient, Client
from django.urls import reverse

from crisisroom import services as core
from crisisroom.models import Membership
from meetings import services
from meetings.access import live_token_for
from meetings.push import hub
from meetings.selectors import logbook_revision
from meetings.views import live

pytestmark = pytest.mark.django_db(transaction=True)


def _run(scene) -> None:
    """Run an async scene on a thread of its own: the browser tests' worker keeps an event loop
    running in the test thread, where no second loop may start. The database connections the
    scene opened on asgiref's thread are closed after it, so the test database can be dropped."""

    async def scene_then_close():
        try:
            await scene()
        finally:
            await sync_to_async(connections.close_all)()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scene_then_close()).result()


def _in_a_thread(call):
    """A WSGI request runs an async view through async_to_sync: not in a thread with a loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def _stream_url(world, user) -> tuple[str, dict]:
    """The stream's address for ``user`` in crisis A and the session cookie it is bound to."""
    client = Client()
    client.force_login(user)
    token = live_token_for(
        crisis_pk=world.crisis_a.pk, user_pk=user.pk, session_key=client.session.session_key
    )
    return reverse("live_stream", args=[token]), client.cookies


async def _open(world, user, **extra):
    url, cookies = await sync_to_async(_stream_url)(world, user)
    client = AsyncClient()
    client.cookies = cookies
    response = await client.get(url, **extra)
    return response


async def _next(response, timeout: float = 5.0) -> str:
    """The next message of the stream (up to its blank line)."""
    text = ""
    iterator = response.streaming_content
    while not text.endswith("\n\n"):
        chunk = await asyncio.wait_for(anext(iterator), timeout)
        text += chunk.decode() if isinstance(chunk, bytes) else chunk
    return text


async def _close(response) -> None:
    await response.streaming_content.aclose()


def _record(world, meeting, text="Stroom terug in Noord") -> None:
    services.entry_record(
        crisis=world.crisis_a,
        meeting=meeting,
        actor=world.logger,
        kind="beeld",
        text=text,
        client_token=uuid.uuid4(),
    )


def test_a_member_is_told_of_every_change_at_once(world, meeting):
    async def scene():
        response = await _open(world, world.chair)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["X-Accel-Buffering"] == "no"
        assert (await _next(response)).startswith("retry: 2000\nevent: ready")
        first = await _next(response)
        revision = await sync_to_async(logbook_revision)(crisis=world.crisis_a)
        assert f"id: {revision}" in first and "event: changed" in first
        await sync_to_async(_record)(world, meeting)
        second = await _next(response)
        assert f"id: {revision + 1}" in second
        assert '"log"' in second  # only the entry regions after a new entry
        await _close(response)

    _run(scene)


def test_a_screen_that_goes_away_leaves_nothing_behind(world, meeting):
    async def scene():
        response = await _open(world, world.chair)
        await _next(response)
        await _next(response)
        assert hub.count() == 1
        # The ASGI server cancels the response when the browser disconnects.
        reader = asyncio.ensure_future(_next(response, timeout=30))
        await asyncio.sleep(0.05)
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
        assert hub.count() == 0

    _run(scene)


def test_a_screen_that_reconnects_gets_what_it_missed_at_once(world, meeting):
    async def scene():
        revision = await sync_to_async(logbook_revision)(crisis=world.crisis_a)
        await sync_to_async(_record)(world, meeting, "Gemist tijdens de storing")
        response = await _open(world, world.logger, headers={"Last-Event-ID": str(revision)})
        await _next(response)  # retry, ready
        missed = await _next(response)
        assert f"id: {revision + 1}" in missed
        await _close(response)

    _run(scene)


def test_an_idle_stream_sends_a_heartbeat(world, meeting, monkeypatch):
    async def scene():
        monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.1)
        revision = await sync_to_async(logbook_revision)(crisis=world.crisis_a)
        response = await _open(world, world.mayor, headers={"Last-Event-ID": str(revision)})
        await _next(response)  # retry, ready
        assert (await _next(response)) == "event: ping\ndata: {}\n\n"
        await _close(response)

    _run(scene)


def test_a_member_who_leaves_stops_receiving(world, meeting):
    async def scene():
        response = await _open(world, world.adviser)
        await _next(response)
        await _next(response)
        seat = await sync_to_async(Membership.objects.get)(
            crisis=world.crisis_a, user=world.adviser, ended_at__isnull=True
        )
        await sync_to_async(core.membership_end)(membership=seat, actor=world.chair)
        # At once: not at the next entry, nor at the next heartbeat.
        assert "event: ended" in await _next(response, timeout=2)
        with pytest.raises(StopAsyncIteration):
            await _next(response)

    _run(scene)


def test_a_forged_token_is_404_and_a_non_member_s_token_stops(world):
    outsider = Client()
    outsider.force_login(world.outsider)
    token = live_token_for(
        crisis_pk=world.crisis_a.pk,
        user_pk=world.outsider.pk,
        session_key=outsider.session.session_key,
    )

    async def scene():
        forged = await AsyncClient().get(reverse("live_stream", args=["forged"]))
        assert forged.status_code == 404
        client = AsyncClient()
        client.cookies = outsider.cookies
        response = await client.get(reverse("live_stream", args=[token]))
        assert response.status_code == 204  # EventSource stops; so does the poll

    _run(scene)


def test_under_a_wsgi_server_the_screen_polls(world):
    url, cookies = _stream_url(world, world.chair)
    client = Client()
    client.cookies = cookies
    assert _in_a_thread(lambda: client.get(url)).status_code == 204


# -- the paired wall computer -------------------------------------------------------------------


def _paired_wall(world):
    """A wall computer paired with crisis A: its stream address and the cookie it holds."""
    from django.http import HttpResponse

    from meetings.services.wall import wall_pairing_create, wall_pairing_redeem
    from meetings.wall_access import wall_access_for, wall_live_token_for, wall_set_cookie

    _pairing, code = wall_pairing_create(crisis=world.crisis_a, actor=world.chair, label="Zaal")
    pairing, secret = wall_pairing_redeem(code=code, address="192.0.2.10")
    carrier = HttpResponse()
    wall_set_cookie(carrier, pairing, secret)
    token = wall_live_token_for(wall_access_for(pairing=pairing, secret=secret))
    return pairing, reverse("wall_stream", args=[token]), carrier.cookies


def test_a_paired_wall_is_pushed_to_until_its_pairing_is_revoked(world, meeting):
    from meetings.services.wall import wall_pairing_revoke

    pairing, url, cookies = _paired_wall(world)

    async def scene():
        client = AsyncClient()
        client.cookies = cookies
        response = await client.get(url)
        assert response.status_code == 200
        await _next(response)  # retry, ready
        revision = await sync_to_async(logbook_revision)(crisis=world.crisis_a)
        assert f"id: {revision}" in await _next(response)
        await sync_to_async(_record)(world, meeting, "Op de muur zonder te vragen")
        assert f"id: {revision + 1}" in await _next(response)
        await sync_to_async(wall_pairing_revoke)(pairing=pairing, actor=world.chair)
        # The revocation is a change of the crisis too: the stream ends at once.
        assert "event: ended" in await _next(response)
        with pytest.raises(StopAsyncIteration):
            await _next(response)

    _run(scene)


def test_a_wall_stream_needs_the_wall_s_cookie_and_a_real_token(world):
    _pairing, url, _cookies = _paired_wall(world)

    async def scene():
        without_cookie = await AsyncClient().get(url)
        assert without_cookie.status_code == 204  # EventSource stops; the poll reloads the wall
        forged = await AsyncClient().get(reverse("wall_stream", args=["forged"]))
        assert forged.status_code == 404

    _run(scene)


# -- regions carried by the event -----------------------------------------------------------


def _carrying_url(world, user, meeting) -> tuple[str, dict]:
    url, cookies = _stream_url(world, user)
    return f"{url}?m={meeting.number}", cookies


def test_after_a_new_entry_the_event_carries_the_entry_regions_as_each_member_may_see_them(
    world, meeting
):
    import json

    async def scene():
        seen = {}
        for user in (world.chair, world.mayor):
            url, cookies = await sync_to_async(_carrying_url)(world, user, meeting)
            client = AsyncClient()
            client.cookies = cookies
            response = await client.get(url)
            await _next(response)  # retry, ready
            await _next(response)  # where it stands
            seen[user.username] = response
        await sync_to_async(_record)(world, meeting, "<b>Brand</b> onder controle in Noord")
        carried = {}
        for name, response in seen.items():
            event = await _next(response)
            data = json.loads(event.split("data: ", 1)[1])
            assert data["regions"] == list(live.ENTRY_REGIONS)
            carried[name] = data["html"]
            await _close(response)
        for html in carried.values():
            # Shared regions only (proposals is each recorder's own), user text escaped.
            assert set(html) == {"log", "assignments", "changes"}
            assert "&lt;b&gt;Brand&lt;/b&gt; onder controle" in html["log"]
            assert "<b>Brand</b>" not in html["log"]
        # The chair may correct entries; the mayor may not: each gets their own markup.
        assert carried[world.chair.username]["log"] != carried[world.mayor.username]["log"]

    _run(scene)


def test_an_event_after_a_change_that_is_not_an_entry_carries_nothing(world, meeting):
    import json

    async def scene():
        url, cookies = await sync_to_async(_carrying_url)(world, world.mayor, meeting)
        client = AsyncClient()
        client.cookies = cookies
        response = await client.get(url)
        await _next(response)
        await _next(response)
        await sync_to_async(services.meeting_set_phase)(
            meeting=meeting, phase="oordeelsvorming", actor=world.chair
        )
        data = json.loads((await _next(response)).split("data: ", 1)[1])
        assert "html" not in data and "regions" not in data  # every region fetches itself
        await _close(response)

    _run(scene)


def test_logging_out_ends_the_stream_that_browser_still_holds(world, meeting):
    client = Client()
    client.force_login(world.mayor)
    token = live_token_for(
        crisis_pk=world.crisis_a.pk, user_pk=world.mayor.pk, session_key=client.session.session_key
    )
    cookies = client.cookies

    async def scene():
        streamer = AsyncClient()
        streamer.cookies = cookies
        response = await streamer.get(reverse("live_stream", args=[token]))
        await _next(response)  # retry, ready
        await _next(response)  # where it stands
        await sync_to_async(client.logout)()  # in another tab: the session is gone
        await sync_to_async(_record)(world, meeting, "Na het uitloggen")
        assert "event: ended" in await _next(response)

    _run(scene)


def test_a_read_that_fails_a_moment_is_tried_again(world, meeting, monkeypatch):
    from django.db import OperationalError

    real = live.live_revision_for_token
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the stream's first read after it opened: the database is away
            raise OperationalError("the database restarts")
        return real(*args, **kwargs)

    async def scene():
        monkeypatch.setattr(live, "live_revision_for_token", flaky)
        revision = await sync_to_async(logbook_revision)(crisis=world.crisis_a)
        response = await _open(world, world.chair, headers={"Last-Event-ID": str(revision)})
        await _next(response)  # retry, ready
        await sync_to_async(_record)(world, meeting, "Na de storing")
        assert f"id: {revision + 1}" in await _next(response)
        assert len(calls) >= 3
        await _close(response)

    _run(scene)
