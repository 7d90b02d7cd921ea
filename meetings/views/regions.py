"""What each region of a meeting screen shows, one plain function per region.

A page renders every region it has; a live refresh (``?region=<name>``) renders one, with only
that region's context, so the first render and every refresh use the same markup and a refresh
pays for its own region only.
"""

from collections.abc import Callable
from typing import Any, cast

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
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


def page_context(request: AuthenticatedRequest, access: MeetingAccess) -> Context:
    """What every meeting screen and region needs: the crisis, the meeting, the live poll."""
    crisis = access.crisis
    open_for_work = _open_for_work(access)
    return {
        "access": access,
        "crisis": crisis,
        "meeting": access.meeting,
        "can_run": access.can_run and open_for_work,
        "can_record": access.can_record and open_for_work,
        "revision": selectors.logbook_revision(crisis=crisis),
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
    return {
        "can_edit_kernbeeld": (access.can_run or access.can_record) and _open_for_work(access),
        "newer_analysis": newer,
    }


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


def log_region(access: MeetingAccess) -> Context:
    # A running meeting shows the crisis's latest log; a closed one only its own.
    meeting = access.meeting
    return {
        "entries": selectors.log_recent(
            crisis=access.crisis, meeting=None if meeting.is_running else meeting
        )
    }


def assignments_region(access: MeetingAccess) -> Context:
    in_controle = access.meeting.phase == Phase.CONTROLE
    limit = selectors.ASSIGNMENTS_PAGE if in_controle else selectors.ASSIGNMENTS_OUTSIDE_CONTROLE
    return {
        "assignments": selectors.assignments_open(crisis=access.crisis, limit=limit),
        "assignments_total": selectors.assignments_open_count(crisis=access.crisis),
        "next_offset": limit,
        "in_controle": in_controle,
        "can_check": access.can_record and _open_for_work(access),
    }


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


def decisions_region(access: MeetingAccess) -> Context:
    return {"decisions": selectors.decisions_recent(crisis=access.crisis)}


def chair_panel(access: MeetingAccess, next_form: NextMeetingForm | None = None) -> Context:
    """What only the chair's console shows: attendance, the cycle, the timeline."""
    meeting = access.meeting
    team = selectors.meeting_team(meeting=meeting)
    away = [seat.user_id for seat in team if seat.is_absent or seat.membership.unavailable_at]
    return {
        "team": team,
        # An absent member's open assignments, for reassignment (a correction names a new owner).
        "away_assignments": selectors.assignments_open_of(crisis=access.crisis, owners=away),
        "absent_count": sum(1 for seat in team if seat.is_absent),
        "timeline": selectors.meeting_timeline(meeting=meeting),
        "reflection_form": ReflectionForm(),
        "next_form": next_form or NextMeetingForm.for_meeting(meeting),
    }


def entry_form_for(access: MeetingAccess, data: Any = None) -> EntryForm:
    return EntryForm(data, crisis=access.crisis, decisions_only=not access.can_record)


Region = Callable[[MeetingAccess], Context]

DETAIL_TEMPLATE = "meetings/meeting_detail.html"
PROJECTION_TEMPLATE = "meetings/projection.html"
DETAIL_REGIONS: dict[str, Region] = {
    "status": status_region,
    "card": card_region,
    "kernbeeld": kernbeeld_region,
    "log": log_region,
    "assignments": assignments_region,
    "proposals": proposals_region,
    "messages": messages_region,
    "changes": changes_region,
}

# Regions whose markup is the same for everyone with the same rights: after a new entry every
# screen at the table asks for them at once, and one render per log revision serves them.
SHARED_REGIONS = frozenset({"log", "assignments"})
SHARED_REGION_SECONDS = 10 * 60


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
    if region is not None:
        if region not in DETAIL_REGIONS:
            raise Http404
        context |= DETAIL_REGIONS[region](access)
        context |= extra
        template = f"{DETAIL_TEMPLATE}#{region}"
        if region in SHARED_REGIONS:
            return _shared_region(request, access, template, context)
        return render(request, template, context, status=status)
    for build in DETAIL_REGIONS.values():
        context |= build(access)
    # The entry card only where something can be recorded: a running meeting, or one held on
    # paper whose entries are typed in afterwards.
    writable = _open_for_work(access) or (access.meeting.held_on_paper and access.crisis.is_active)
    if (access.can_record or access.can_decide) and writable:
        context["entry_form"] = entry_form_for(access)
    if access.can_run:
        context |= chair_panel(access)
    # Laid out for the main task: the chair runs the meeting, the others who write record.
    context["layout"] = (
        "chair" if access.can_run else ("recorder" if "entry_form" in context else "")
    )
    context |= extra
    return render(request, DETAIL_TEMPLATE, context, status=status)


def _shared_region(
    request: AuthenticatedRequest, access: MeetingAccess, template: str, context: Context
) -> HttpResponse:
    """Render a shared region once per (log revision, right to correct, language, minute).

    Every change to a meeting bumps the log revision, so a worker never serves a stale region;
    the minute makes "overdue" turn up on time. Each worker keeps its own copy: the cache saves
    work, it decides nothing.
    """
    can_correct = access.can_record and _open_for_work(access)
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = (
        f"region:{template}:{access.meeting.pk}:{context['revision']}:{int(can_correct)}:"
        f"{get_language()}:{minute}"
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context, request=request)
        cache.set(key, html, SHARED_REGION_SECONDS)
    return HttpResponse(html)


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


PROJECTION_REGIONS: dict[str, Region] = {
    "status": status_region,
    "log": wall_decisions_region,  # the id the wall's decisions always had: region-log
    "assignments": wall_assignments_region,
    "kernbeeld": wall_kernbeeld_region,
    "card": wall_agenda_region,
    "changes": changes_region,
}


def wall_context(
    access: MeetingAccess, *, live_url: str, page_url: str, paired: WallPairing | None = None
) -> Context:
    """What the wall page and each of its regions need. The wall has no rights of its own:
    nothing on it writes, whoever looks at it."""
    crisis = access.crisis
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
        "revision": selectors.logbook_revision(crisis=crisis),
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
    wall = context["wall"]
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
        for name, build in PROJECTION_REGIONS.items():
            if shown[name]:
                context |= build(access)
        return render(request, PROJECTION_TEMPLATE, context)
    if region not in PROJECTION_REGIONS or not shown[region]:
        raise Http404
    context |= PROJECTION_REGIONS[region](access)
    template = f"{PROJECTION_TEMPLATE}#{region}"
    if region in SHARED_REGIONS:
        # The same markup for every wall of the meeting, paired or not: no rights, no user.
        return _shared_region(cast(AuthenticatedRequest, request), access, template, context)
    return render(request, template, context)
