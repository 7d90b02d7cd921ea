from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import roles, selectors, services
from .access import CrisisAccess, crisis_for_user, membership_for_user
from .forms import CrisisStartForm, MemberAddForm, attach_validation_error
from .home import home_panels_render
from .http import AuthenticatedRequest
from .models import AuditEvent, CrisisStart
from .text import display_name


@require_GET
@login_required
def crisis_list(request: AuthenticatedRequest) -> HttpResponse:
    crises = selectors.crises_for_user(user=request.user)
    return render(
        request,
        "crisisroom/crisis_list.html",
        {
            # Exercises are kept apart from real crises: never mixed in one list.
            "active_crises": [c for c in crises if c.is_active and not c.is_exercise],
            "active_exercises": [c for c in crises if c.is_active and c.is_exercise],
            "closed_crises": [c for c in crises if not c.is_active and not c.is_exercise],
            "closed_exercises": [c for c in crises if not c.is_active and c.is_exercise],
            "administered": selectors.organisations_administered_by(user=request.user),
            "home_panels": home_panels_render(request),
        },
    )


@require_GET
@login_required
def crisis_home(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk)
    crisis = access.crisis
    user_roles = selectors.crisis_roles_of(crisis=crisis, user=request.user)
    role = roles.primary_role(user_roles)
    if role is None:  # Permissions out of step with memberships: treat as no member.
        raise Http404
    home = roles.HOME_FOR_ROLE[role]
    return render(
        request,
        f"crisisroom/home/{home}.html",
        {
            "access": access,
            "crisis": crisis,
            "role": roles.Role(role),
            "roles": [roles.Role(r) for r in user_roles],
            "team": selectors.crisis_team(crisis=crisis),
            "can_manage_members": access.can_manage_members,
        },
    )


def _team_page(
    request: AuthenticatedRequest,
    access: CrisisAccess,
    form: MemberAddForm | None,
    status: int = 200,
) -> HttpResponse:
    crisis = access.crisis
    return render(
        request,
        "crisisroom/crisis_team.html",
        {
            "access": access,
            "crisis": crisis,
            "team": selectors.crisis_team(crisis=crisis),
            "history": selectors.crisis_membership_history(crisis=crisis),
            "can_manage_members": access.can_manage_members and crisis.is_active,
            "form": form if form is not None else MemberAddForm(crisis=crisis),
        },
        status=status,
    )


@require_GET
@login_required
def crisis_team(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _team_page(request, crisis_for_user(request, pk), form=None)


@require_POST
@login_required
def crisis_member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = crisis_for_user(request, pk, roles.MANAGE_MEMBERS)
    crisis = access.crisis
    form = MemberAddForm(request.POST, crisis=crisis)
    if form.is_valid():
        try:
            membership = services.membership_add(
                crisis=crisis,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                function_title=form.cleaned_data["function_title"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(person)s joined the team as %(role)s.")
                % {
                    "person": display_name(membership.user),
                    "role": membership.get_role_display(),
                },
            )
            return redirect("crisis_team", pk=crisis.pk)
    return _team_page(request, access, form=form, status=422)


@require_POST
@login_required
def crisis_member_end(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = membership_for_user(request, pk, membership_pk, roles.MANAGE_MEMBERS)
    try:
        services.membership_end(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("crisis_team", pk=pk)
    messages.success(
        request,
        _("%(person)s no longer has the role %(role)s.")
        % {
            "person": display_name(membership.user),
            "role": membership.get_role_display(),
        },
    )
    return redirect("crisis_team", pk=pk)


AUDIT_PAGE_SIZE = 100


@require_GET
@login_required
def crisis_audit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The audit trail: who saw and changed what. For the chair and the mayor."""
    access = crisis_for_user(request, pk, roles.READ_AUDIT)
    crisis = access.crisis
    action = request.GET.get("actie", "")
    events = selectors.crisis_audit_trail(crisis=crisis, action=action)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "crisisroom/crisis_audit.html",
        {
            "access": access,
            "crisis": crisis,
            "page": page,
            "action": action,
            "actions": AuditEvent.Action.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def crisis_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair records the start decision: central or local, convene or inform, and the
    working agreements and meeting cycle. Shown on the crisis overview."""
    access = crisis_for_user(request, pk, roles.RUN_MEETING)
    crisis = access.crisis
    current = CrisisStart.objects.filter(crisis=crisis).first()
    form = CrisisStartForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.crisis_start_record(crisis=crisis, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Start decision recorded."))
            return redirect("crisis_home", pk=pk)
    return render(
        request,
        "crisisroom/crisis_start.html",
        {"access": access, "crisis": crisis, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def crisis_member_availability(
    request: AuthenticatedRequest, pk: int, membership_pk: int
) -> HttpResponse:
    """Mark a member unavailable (why, briefly) or available again."""
    membership = membership_for_user(request, pk, membership_pk, roles.MANAGE_MEMBERS)
    available = request.POST.get("available") == "1"
    try:
        services.membership_set_available(
            membership=membership,
            actor=request.user,
            available=available,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("%(person)s is available again.")
            if available
            else _("%(person)s is marked unavailable.")
        )
        messages.success(request, text % {"person": display_name(membership.user)})
    return redirect("crisis_team", pk=pk)


@require_POST
@login_required
def crisis_call_deputy(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Call in the next deputy from the standing roster for an unavailable member."""
    membership = membership_for_user(request, pk, membership_pk, roles.MANAGE_MEMBERS)
    try:
        deputy = services.crisis_call_deputy(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(deputy)s is called in for %(person)s.")
            % {"deputy": display_name(deputy.user), "person": display_name(membership.user)},
        )
    return redirect("crisis_team", pk=pk)
