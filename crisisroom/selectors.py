"""Reads of the core domain. Lists are filtered in the query, never row by row in Python."""

from django.contrib.auth.models import User
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from guardian.shortcuts import get_objects_for_user

from .models import AuditEvent, Crisis, Membership, Organisation
from .roles import ROLE_PRECEDENCE, primary_role


def crises_for_user(*, user: User) -> QuerySet[Crisis]:
    """The crises the user is a member of, with the user's own active memberships prefetched.

    Superusers get no exception: crisis information is for members only.
    """
    own = Membership.objects.filter(user=user, ended_at__isnull=True)
    return (
        get_objects_for_user(
            user,
            "crisisroom.view_crisis",
            klass=Crisis,
            with_superuser=False,
            accept_global_perms=False,
        )
        .select_related("organisation")
        .prefetch_related(Prefetch("memberships", queryset=own, to_attr="own_memberships"))
        .order_by("status", "-started_at")
    )


def organisations_administered_by(*, user: User) -> QuerySet[Organisation]:
    return get_objects_for_user(
        user,
        "crisisroom.administer_organisation",
        klass=Organisation,
        with_superuser=False,
        accept_global_perms=False,
    )


def crisis_roles_of(*, crisis: Crisis, user: User) -> list[str]:
    return list(
        Membership.objects.filter(crisis=crisis, user=user, ended_at__isnull=True).values_list(
            "role", flat=True
        )
    )


def crisis_primary_role(*, crisis: Crisis, user: User) -> str | None:
    return primary_role(crisis_roles_of(crisis=crisis, user=user))


def crisis_team(*, crisis: Crisis) -> QuerySet[Membership]:
    """The active team, chair and mayor first, in the order people sit around the table."""
    seat_order = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(ROLE_PRECEDENCE)),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(crisis=crisis, ended_at__isnull=True)
        .select_related("user")
        .order_by(seat_order, "function_title", "user__last_name", "pk")
    )


def crisis_membership_history(*, crisis: Crisis, limit: int = 20) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(
            crisis=crisis,
            action__in=[AuditEvent.Action.MEMBER_ADDED, AuditEvent.Action.MEMBER_REMOVED],
        )
        .select_related("actor", "subject")
        .order_by("-at", "-pk")[:limit]
    )


def crisis_audit_trail(*, crisis: Crisis, action: str = "") -> QuerySet[AuditEvent]:
    """Every audit event of the crisis, newest first; optionally one kind of action."""
    events = AuditEvent.objects.filter(crisis=crisis).select_related("actor", "subject")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    return events.order_by("-at", "-pk")
