"""The wall screen's own pages: the chair's set-up (what it shows, which computers are paired),
and for a paired wall computer the code page, the wall itself and its live poll.

The chair's pages go through ``crisis_for_user`` with RUN_MEETING. The wall computer's pages
are public and read only the wall cookie (``wall_for_request``): they show the wall of that
one crisis, write nothing but the pairing itself, and no other view reads the cookie.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from crisisroom import roles
from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.auth import client_address
from crisisroom.http import AuthenticatedRequest

from .. import selectors
from ..access import MeetingAccess
from ..forms.wall import WallCodeForm, WallPairForm, WallSettingsForm
from ..models import WallPairing
from ..selectors import wall as wall_selectors
from ..services import wall as wall_services
from ..wall_access import (
    WallEnded,
    WallNotPaired,
    wall_crisis_of_token,
    wall_for_request,
    wall_forget_cookie,
    wall_live_revision_for_token,
    wall_live_token_for,
    wall_set_cookie,
)
from .live import changed, event_stream, regions_changed
from .regions import projection_page, wall_context

# -- the chair ------------------------------------------------------------------------------------


def _setup_page(
    request: AuthenticatedRequest,
    access: CrisisAccess,
    *,
    status: int = 200,
    settings_form: WallSettingsForm | None = None,
    pair_form: WallPairForm | None = None,
    new_code: tuple[WallPairing, str] | None = None,
) -> HttpResponse:
    crisis = access.crisis
    settings = wall_selectors.wall_settings_for(crisis=crisis)
    current = wall_selectors.wall_meeting(crisis=crisis)
    return render(
        request,
        "meetings/wall_setup.html",
        {
            "access": access,
            "crisis": crisis,
            "current": current,
            "settings_form": settings_form or WallSettingsForm(instance=settings),
            "pair_form": pair_form or WallPairForm(),
            "new_pairing": new_code[0] if new_code else None,
            "new_code": wall_services.code_display(new_code[1]) if new_code else "",
            "enter_url": request.build_absolute_uri(reverse("wall_enter")),
            "pairings": wall_selectors.wall_pairings(crisis=crisis),
            "events": wall_selectors.wall_pairing_events(crisis=crisis),
        },
        status=status,
    )


# The code just made, for the next page view only (as a flash message is): the chair sees it
# once, and a reload of the page does not make another one.
NEW_CODE_KEY = "crisisroom.wall.new_code"


@require_GET
@login_required
def wall_setup(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair's page for the wall: what it shows, pairing computers, and their log."""
    access = crisis_for_user(request, pk, roles.RUN_MEETING)
    new_code = None
    shown = request.session.pop(NEW_CODE_KEY, None)
    if isinstance(shown, dict) and shown.get("crisis") == access.crisis.pk:
        pairing = (
            wall_selectors.wall_pairings(crisis=access.crisis)
            .filter(pk=int(shown.get("pairing") or 0))
            .first()
        )
        if pairing is not None:
            new_code = (pairing, str(shown.get("code", "")))
    return _setup_page(request, access, new_code=new_code)


@require_POST
@login_required
def wall_settings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, roles.RUN_MEETING)
    form = WallSettingsForm(request.POST)
    if not form.is_valid():  # checkboxes: only a forged post gets here
        return _setup_page(request, access, status=422, settings_form=form)
    try:
        wall_services.wall_settings_save(
            crisis=access.crisis, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wall_setup", pk=pk)
    messages.success(request, _("The wall screen shows your choice from its next update."))
    return redirect("wall_setup", pk=pk)


@require_POST
@login_required
def wall_pair(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new code, shown once on the set-up page (its hash is all the pairing keeps)."""
    access = crisis_for_user(request, pk, roles.RUN_MEETING)
    form = WallPairForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, access, status=422, pair_form=form)
    try:
        pairing, code = wall_services.wall_pairing_create(
            crisis=access.crisis, actor=request.user, label=form.cleaned_data["label"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wall_setup", pk=pk)
    request.session[NEW_CODE_KEY] = {"crisis": pk, "pairing": pairing.pk, "code": code}
    return redirect("wall_setup", pk=pk)


@require_POST
@login_required
def wall_revoke(request: AuthenticatedRequest, pk: int, pairing_pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, roles.RUN_MEETING)
    pairing = wall_selectors.wall_pairings(crisis=access.crisis).filter(pk=pairing_pk).first()
    if pairing is None:
        raise Http404
    wall_services.wall_pairing_revoke(pairing=pairing, actor=request.user)
    messages.success(
        request, _("The pairing is revoked: that screen goes dark at its next update.")
    )
    return redirect("wall_setup", pk=pk)


# -- the wall computer ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def wall_enter(request: HttpRequest) -> HttpResponse:
    """Public: the wall computer types the chair's code and gets its wall cookie."""
    if request.method == "GET":
        try:
            wall_for_request(request)
        except (WallNotPaired, WallEnded):
            pass
        else:
            return redirect("wall_screen")  # already paired: straight to the wall
    form = WallCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            pairing, secret = wall_services.wall_pairing_redeem(
                code=form.cleaned_data["code"], address=client_address(request)
            )
        except ValidationError as error:
            form.add_error("code", error.messages)
            status = 429 if error.code == "throttled" else 422
        else:
            response = redirect("wall_screen")
            wall_set_cookie(response, pairing, secret)
            return response
    elif request.method == "POST":
        status = 422
    return render(request, "meetings/wall_enter.html", {"form": form}, status=status)


def _wall_ended(request: HttpRequest) -> HttpResponse:
    response = render(request, "meetings/wall_ended.html", status=403)
    wall_forget_cookie(response)
    return response


@require_GET
def wall_screen(request: HttpRequest) -> HttpResponse:
    """The paired wall: the current (or latest) meeting of its crisis, read-only."""
    try:
        wall = wall_for_request(request)
    except WallNotPaired:
        return redirect("wall_enter")
    except WallEnded:
        return _wall_ended(request)
    region = request.GET.get("region")
    crisis = wall.crisis
    live_url = reverse("wall_live", args=[wall_live_token_for(wall)])
    meeting = wall_selectors.wall_meeting(crisis=crisis)
    if meeting is None:
        template = "meetings/wall_waiting.html" + ("#status" if region else "")
        context = {
            "crisis": crisis,
            "paired": wall.pairing,
            "live_url": live_url,
            "revision": selectors.logbook_revision(crisis=crisis),
        }
        return render(request, template, context)
    meeting.crisis = crisis
    access = MeetingAccess(crisis=crisis, perms=frozenset(), meeting=meeting)
    context = wall_context(
        access, live_url=live_url, page_url=reverse("wall_screen"), paired=wall.pairing
    )
    return projection_page(request, access, region, context=context)


@require_GET
def wall_live(request: HttpRequest, wall_token: str) -> HttpResponse:
    """The paired wall's live poll: like a member's (meetings/views/live.py), for a pairing.

    A revoked pairing, a closed crisis or a token without its wall's cookie gets 403 with
    HX-Refresh: the wall reloads at once and shows that it is no longer paired.
    """
    revisions = wall_live_revision_for_token(wall_token, request)
    if revisions is None:
        response = HttpResponseClientRefresh()
        response.status_code = 403
        return response
    revision, other_revision = revisions
    try:
        seen = int(request.GET.get("r", "-1"))
    except ValueError:
        seen = -1
    if seen == revision:
        return HttpResponse(status=204)
    html = render_to_string(
        "meetings/_live_poller.html", {"live_url": request.path, "revision": revision}
    )
    regions = regions_changed(seen, revision, other_revision)
    return changed(HttpResponse(html), tuple(regions) if regions else None)


@require_GET
def wall_stream(request: HttpRequest, wall_token: str) -> HttpResponseBase:
    """The paired wall's push stream: like a member's (``live.event_stream``), for a pairing.

    A revoked pairing, a closed crisis or a token without its wall's cookie ends the stream;
    the wall's poll then reloads the page, which says it is no longer paired.
    """
    crisis_pk = wall_crisis_of_token(wall_token)
    return event_stream(
        request, crisis_pk, lambda: wall_live_revision_for_token(wall_token, request)
    )
