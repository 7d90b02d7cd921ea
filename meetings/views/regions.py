"""What each region of a meeting screen shows, one plain function per region.

A page renders every region it has; a live refresh (``?region=<name>``) renders one, with only
that region's context, so the first render and every refresh use the same markup and a refresh
pays for its own region only.

Most regions look the same to everyone with the same rights. Those (``Shared``) are rendered
once per log revision and rights and served from the cache to every screen at the table, on
the page and on a refresh alike. A shared region is rendered from a context of its own, without
the request, so it can show nothing of the viewer that is not in its key.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from crisisroom.boboc import PHASE_ORDER, Phase
from crisisroom.http import AuthenticatedRequest
from formats.selectors import analysis_version_newest, card_items

from .. import selectors
from ..access import MeetingAccess, live_token_for_request
from ..forms import EntryForm, NextMeetingForm, ReflectionForm
from ..models import STANDARD_AGENDA, WallPairing
from ..selectors import wall as wall_selectors

Context = dict[str, Any]


def _open_for_work(access: MeetingAccess) -> bool:
    return access.meeting.is_running and access.crisis.is_active


@dataclass(frozen=True)
class Screen:
    """Who looks at a meeting screen, and the state of the crisis its shared regions are keyed
    on (see ``Shared``)."""

    state: selectors.ScreenState
    viewer: int | None  # the member's user id; None for a paired wall computer


def page_context(request: AuthenticatedRequest, access: MeetingAccess) -> Context:
    """What every meeting screen and region needs: the crisis, the meeting, the live poll."""
    crisis = access.crisis
    open_for_work = _open_for_work(access)
    state = selectors.screen_state(crisis=crisis)
    return {
        "access": access,
        "crisis": crisis,
        "meeting": access.meeting,
        "can_run": access.can_run and open_for_work,
        "can_record": access.can_record and open_for_work,
        "revision": state.revision,
        "screen": Screen(state=state, viewer=request.user.pk),
        "live_url": reverse("live_poll", args=[live_token_for_request(request, crisis.pk)]),
    }


def status_region(access: MeetingAccess) -> Context:
    meeting = access.meeting
    return {
        "phases": [(p, Phase(p).label) for p in PHASE_ORDER],
        "phase_index": PHASE_ORDER.index(meeting.phase),
        "meeting_seconds": meeting.planned_minutes * 60,
        "phase_seconds": meeting.phase_seconds(),
    }


def kernbeeld_region(access: MeetingAccess) -> Context:
    meeting = access.meeting
    newest = analysis_version_newest(crisis=access.crisis)
    # A newer analysis handed over while the meeting runs is announced, never merged silently.
    newer = (
        newest
        if newest is not None
        and meeting.is_running
        and newest.handed_over_at > meeting.started_at
        and newest.pk != meeting.kernbeeld_source_id
        else None
    )
    return {"newer_analysis": newer}


def kernbeeld_rights(access: MeetingAccess, screen: Screen) -> Context:
    return {"can_edit_kernbeeld": (access.can_run or access.can_record) and _open_for_work(access)}


def changes_region(access: MeetingAccess) -> Context:
    """What changed since the previous meeting: new entries, decisions, what is due, the
    kernbeeld's difference."""
    return {"changes": selectors.changes_since_previous(meeting=access.meeting)}


def card_region(access: MeetingAccess) -> Context:
    meeting = access.meeting
    return {
        "agenda": STANDARD_AGENDA,
        "card": card_items(card=meeting.card_set.card) if meeting.card_set else None,
        "card_ticks": {t.key: t for t in meeting.card_ticks.select_related("by")},
    }


def card_rights(access: MeetingAccess, screen: Screen) -> Context:
    return {"can_run": access.can_run and _open_for_work(access)}  # the tick forms


def log_region(access: MeetingAccess) -> Context:
    # A running meeting shows the crisis's latest log; a closed one only its own.
    meeting = access.meeting
    return {
        "entries": selectors.log_recent(
            crisis=access.crisis, meeting=None if meeting.is_running else meeting
        )
    }


def log_rights(access: MeetingAccess, screen: Screen) -> Context:
    return {"can_record": access.can_record and _open_for_work(access)}  # the "Correct" links


def assignments_region(access: MeetingAccess) -> Context:
    in_controle = access.meeting.phase == Phase.CONTROLE
    limit = selectors.ASSIGNMENTS_PAGE if in_controle else selectors.ASSIGNMENTS_OUTSIDE_CONTROLE
    return {
        "assignments": selectors.assignments_open(crisis=access.crisis, limit=limit),
        "assignments_total": selectors.assignments_open_count(crisis=access.crisis),
        "next_offset": limit,
        "in_controle": in_controle,
    }


def assignments_rights(access: MeetingAccess, screen: Screen) -> Context:
    return {"can_check": access.can_record and _open_for_work(access)}


def proposals_region(access: MeetingAccess) -> Context:
    return {
        "proposals": selectors.proposals_pending(crisis=access.crisis) if access.can_record else []
    }


def messages_region(access: MeetingAccess) -> Context:
    """Messages still to act on stay in view of the chair (and of whoever they are for)."""
    open_messages = selectors.messages_of(crisis=access.crisis, show="open")  # one query
    return {
        "open_messages": open_messages[:6],
        "open_messages_count": len(open_messages),
        "open_messages_more": len(open_messages) == selectors.MESSAGES_PAGE,
    }


def messages_viewer(access: MeetingAccess, screen: Screen) -> Context:
    return {"viewer": screen.viewer}  # a message routed to the viewer is marked as theirs


def decisions_region(access: MeetingAccess) -> Context:
    return {"decisions": selectors.decisions_recent(crisis=access.crisis)}


def timeline_region(access: MeetingAccess) -> Context:
    """The chair's timeline of the meeting (not a live region: part of the chair's panel)."""
    return {"timeline": selectors.meeting_timeline(meeting=access.meeting)}


def chair_panel(access: MeetingAccess, next_form: NextMeetingForm | None = None) -> Context:
    """What only the chair's console shows: attendance, the cycle (the timeline is shared)."""
    meeting = access.meeting
    team = selectors.meeting_team(meeting=meeting)
    away = [seat.user_id for seat in team if seat.is_absent or seat.membership.unavailable_at]
    return {
        "team": team,
        # An absent member's open assignments, for reassignment (a correction names a new owner).
        "away_assignments": selectors.assignments_open_of(crisis=access.crisis, owners=away),
        "absent_count": sum(1 for seat in team if seat.is_absent),
        "reflection_form": ReflectionForm(),
        "next_form": next_form or NextMeetingForm.for_meeting(meeting),
    }


def entry_form_for(access: MeetingAccess, data: Any = None) -> EntryForm:
    return EntryForm(data, crisis=access.crisis, decisions_only=not access.can_record)


Region = Callable[[MeetingAccess], Context]
Rights = Callable[[MeetingAccess, Screen], Context]


def _same_for_everyone(access: MeetingAccess, screen: Screen) -> Context:
    return {}


@dataclass(frozen=True)
class Shared:
    """A region whose HTML is rendered once per key and served to every screen with that key.

    The key is the region, the meeting, the log revision, the crisis's status (open or closed:
    what may still be written), the language and time zone, what ``rights`` returns for the
    viewer and, if ``timed``, the minute.

    ``rights`` says everything about the viewer that changes the markup; what it returns is
    also the only thing of the viewer the region's template sees. ``timed``: the markup
    depends on the clock (overdue, "today"). ``shows_entries``: a new entry (or the assignment
    it makes) can change the region. Without, the region is keyed on the last revision that
    changed anything else, as the screens themselves refresh only the entry regions after only
    new entries (live.ENTRY_REGIONS). ``follows_analysis``: the region shows the newest
    handed-over analysis, whose hand-over is no write of the log: its id is in the key.
    """

    build: Region
    rights: Rights = _same_for_everyone
    timed: bool = False
    shows_entries: bool = True
    follows_analysis: bool = False


DETAIL_TEMPLATE = "meetings/meeting_detail.html"
PROJECTION_TEMPLATE = "meetings/projection.html"
DETAIL_REGIONS: dict[str, Region | Shared] = {
    "status": status_region,  # running clocks from {% now %}: rendered for each screen
    "card": Shared(card_region, card_rights, shows_entries=False),
    "kernbeeld": Shared(
        kernbeeld_region, kernbeeld_rights, shows_entries=False, follows_analysis=True
    ),
    "log": Shared(log_region, log_rights),
    "assignments": Shared(assignments_region, assignments_rights, timed=True),  # overdue
    # Each form carries a fresh idempotency token: rendered for each screen (recorders only).
    "proposals": proposals_region,
    "messages": Shared(messages_region, messages_viewer, shows_entries=False),
    "changes": Shared(changes_region),
}
# Shared pieces of the page that no live refresh asks for by name.
DETAIL_PIECES: dict[str, Shared] = {"timeline": Shared(timeline_region, shows_entries=False)}

SHARED_REGION_SECONDS = 10 * 60

# A shared region's forms carry this instead of the viewer's CSRF token; each response puts
# the viewer's own token in its place. Derived from the secret key (the same in every worker,
# should the cache ever be shared) and only ever looked for as the whole tag, which escaped
# user text cannot spell.
CSRF_SLOT = salted_hmac(
    "crisisroom.meetings.regions.csrf-slot", "", algorithm="sha256"
).hexdigest()[:32]
_CSRF_SLOT_TAG = format_html(
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_SLOT
)


def _region_key(
    template: str, spec: Shared, access: MeetingAccess, screen: Screen, rights: Context
) -> str:
    state = screen.state
    revision = state.revision if spec.shows_entries else f"o{state.other_revision}"
    analysis = state.newest_analysis_id if spec.follows_analysis else "-"
    minute = timezone.now().strftime("%Y%m%d%H%M") if spec.timed else "-"
    flags = ",".join(f"{name}={rights[name]!r}" for name in sorted(rights))
    return (
        f"region:{template}:{access.meeting.pk}:{revision}:{analysis}:{access.crisis.status}:"
        f"{get_language()}:{timezone.get_current_timezone_name()}:{minute}:{flags}"
    )


def _shared_html(
    request: HttpRequest,
    access: MeetingAccess,
    template: str,
    spec: Shared,
    screen: Screen,
    extra: Context,
) -> SafeString:
    """The region's HTML for this viewer: from the cache, or rendered alone and stored.

    ``extra`` (what a refused write keeps on screen: typed text, errors) is this viewer's
    own: with it the region is rendered for this response only, never stored.
    """
    rights = spec.rights(access, screen)
    context = {"crisis": access.crisis, "meeting": access.meeting, "csrf_token": CSRF_SLOT}
    context |= rights
    html: str
    if extra:
        html = render_to_string(template, context | spec.build(access) | extra)
    else:
        key = _region_key(template, spec, access, screen, rights)
        html = cache.get(key)
        if html is None:
            html = render_to_string(template, context | spec.build(access))
            cache.set(key, html, SHARED_REGION_SECONDS)
    if _CSRF_SLOT_TAG in html:
        own = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        html = html.replace(_CSRF_SLOT_TAG, own)
    return mark_safe(html)  # noqa: S308 - rendered by our templates, escaped there  # nosec B308 B703


def carried_regions(
    request: HttpRequest,
    access: MeetingAccess,
    names: list[str],
    revision: int,
    other_revision: int,
) -> dict[str, str]:
    """The shared regions among ``names`` of this member's meeting page, as their HTML at this
    revision, for a live event to carry (views/live.py); the others are not carried."""
    state = selectors.ScreenState(
        revision=revision, other_revision=other_revision, newest_analysis_id=None
    )
    screen = Screen(state=state, viewer=request.user.pk)
    carried = {}
    for name in names:
        spec = DETAIL_REGIONS.get(name)
        if isinstance(spec, Shared) and not spec.follows_analysis:
            template = f"{DETAIL_TEMPLATE}#{name}"
            carried[name] = str(_shared_html(request, access, template, spec, screen, {}))
    return carried


def detail_page(
    request: AuthenticatedRequest,
    access: MeetingAccess,
    *,
    status: int = 200,
    region: str | None = None,
    **extra: Any,
) -> HttpResponse:
    """The chair's, logger's and table's meeting page, or one of its regions.

    ``extra`` carries what a refused write keeps on screen (a form with errors, the typed text).
    """
    context = page_context(request, access)
    screen: Screen = context["screen"]
    if region is not None:
        spec = DETAIL_REGIONS.get(region)
        if spec is None:
            raise Http404
        template = f"{DETAIL_TEMPLATE}#{region}"
        if isinstance(spec, Shared):
            html = _shared_html(request, access, template, spec, screen, extra)
            return HttpResponse(html, status=status)
        context |= spec(access)
        context |= extra
        return render(request, template, context, status=status)
    regions_html: dict[str, SafeString] = {}
    for name, spec in DETAIL_REGIONS.items():
        if isinstance(spec, Shared):
            regions_html[name] = _shared_html(
                request, access, f"{DETAIL_TEMPLATE}#{name}", spec, screen, extra
            )
        elif name != "proposals" or context["can_record"]:  # proposals: recorders only
            context |= spec(access)
    # The entry card only where something can be recorded: a running meeting, or one held on
    # paper whose entries are typed in afterwards.
    writable = _open_for_work(access) or (access.meeting.held_on_paper and access.crisis.is_active)
    if (access.can_record or access.can_decide) and writable:
        context["entry_form"] = entry_form_for(access)
    if access.can_run:
        context |= chair_panel(access)
        for name, piece in DETAIL_PIECES.items():
            regions_html[name] = _shared_html(
                request, access, f"{DETAIL_TEMPLATE}#{name}", piece, screen, extra
            )
    # Laid out for the main task: the chair runs the meeting, the others who write record.
    context["layout"] = (
        "chair" if access.can_run else ("recorder" if "entry_form" in context else "")
    )
    context["regions_html"] = regions_html
    context |= extra
    return render(request, DETAIL_TEMPLATE, context, status=status)


# -- the wall screen (projection) ----------------------------------------------------------------
# One template for a member's wall (crises/<pk>/overleg/<n>/projectie/) and a paired wall
# computer (/scherm/beeld/, meetings/views/wall.py): a fixed 16:9 stage that never scrolls.
# Lists are newest first and come in pages the wall turns by itself (static/js/wall.js);
# without JavaScript the first page shows, and every heading counts all of them.

WALL_PAGE_SECONDS = 10


def wall_decisions_region(access: MeetingAccess) -> Context:
    return {"decisions": wall_selectors.wall_decisions(crisis=access.crisis)}


def wall_assignments_region(access: MeetingAccess) -> Context:
    return {"assignments": wall_selectors.wall_assignments(crisis=access.crisis)}


def wall_kernbeeld_region(access: MeetingAccess) -> Context:
    return {}  # the meeting's kernbeeld, from the page context


def wall_agenda_region(access: MeetingAccess) -> Context:
    """The meeting's card agenda with what was handled; the standard agenda without a card."""
    meeting = access.meeting
    return {
        "agenda": STANDARD_AGENDA,
        "card": card_items(card=meeting.card_set.card) if meeting.card_set else None,
        "card_ticks": set(meeting.card_ticks.values_list("key", flat=True)),
    }


# The wall has no rights of its own: every wall of the meeting, a member's or a paired
# computer's, shares every region but the running clock.
PROJECTION_REGIONS: dict[str, Region | Shared] = {
    "status": status_region,
    # the id the wall's decisions always had: region-log; "today" or a date: timed
    "log": Shared(wall_decisions_region, timed=True),
    "assignments": Shared(wall_assignments_region, timed=True),  # overdue, "today"
    "kernbeeld": Shared(wall_kernbeeld_region, shows_entries=False),
    "card": Shared(wall_agenda_region, shows_entries=False),
    "changes": Shared(changes_region),
}


def wall_context(
    access: MeetingAccess, *, live_url: str, page_url: str, paired: WallPairing | None = None
) -> Context:
    """What the wall page and each of its regions need. The wall has no rights of its own:
    nothing on it writes, whoever looks at it."""
    crisis = access.crisis
    state = selectors.screen_state(crisis=crisis)
    wall = wall_selectors.wall_settings_for(crisis=crisis)
    columns = sum(
        (wall.show_decisions, wall.show_assignments, wall.show_kernbeeld or wall.show_agenda)
    )
    # Walls reload themselves when this changes (another meeting, other panels): a region
    # refresh cannot add or remove panels.
    layout = "".join(
        str(int(flag))
        for flag in (
            wall.show_decisions,
            wall.show_assignments,
            wall.show_kernbeeld,
            wall.show_agenda,
            wall.show_clock,
        )
    )
    return {
        "access": access,
        "crisis": crisis,
        "meeting": access.meeting,
        "can_run": False,
        "can_record": False,
        "wall": wall,
        "wall_layout": layout,
        "wall_columns": columns,
        "wall_seconds": WALL_PAGE_SECONDS,
        "paired": paired,
        "can_set_up_wall": paired is None and access.can_run and crisis.is_active,
        "revision": state.revision,
        "screen": Screen(state=state, viewer=None),  # every wall shares the same HTML
        "live_url": live_url,
        "page_url": page_url,
    }


def projection_page(
    request: HttpRequest,
    access: MeetingAccess,
    region: str | None,
    *,
    context: Context | None = None,
) -> HttpResponse:
    """The wall screen, or one of its regions. A member's by default; a paired wall computer
    passes its own ``context`` (wall_context with its poll token and address)."""
    if context is None:
        member = cast(AuthenticatedRequest, request)  # behind login_required
        crisis = access.crisis
        context = wall_context(
            access,
            live_url=reverse("live_poll", args=[live_token_for_request(member, crisis.pk)]),
            page_url=reverse("meeting_projection", args=[crisis.pk, access.meeting.number]),
        )
    wall, screen = context["wall"], context["screen"]
    # What the chair chose to show; a panel the chair hid is not there, also not by region.
    shown = {
        "status": True,
        "log": wall.show_decisions,
        "assignments": wall.show_assignments,
        "kernbeeld": wall.show_kernbeeld,
        "card": wall.show_agenda,
        "changes": True,
    }
    if region is None:
        regions_html: dict[str, SafeString] = {}
        for name, each in PROJECTION_REGIONS.items():
            if not shown[name]:
                continue
            if isinstance(each, Shared):
                template = f"{PROJECTION_TEMPLATE}#{name}"
                regions_html[name] = _shared_html(request, access, template, each, screen, {})
            else:
                context |= each(access)
        context["regions_html"] = regions_html
        return render(request, PROJECTION_TEMPLATE, context)
    spec = PROJECTION_REGIONS.get(region)
    if spec is None or not shown[region]:
        raise Http404
    template = f"{PROJECTION_TEMPLATE}#{region}"
    if isinstance(spec, Shared):
        return HttpResponse(_shared_html(request, access, template, spec, screen, {}))
    context |= spec(access)
    return render(request, template, context)
