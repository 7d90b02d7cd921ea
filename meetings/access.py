"""Access helpers for meetings, the log and the live updates.

Everything goes through crisisroom.access.crisis_for_user (non-member 404, wrong role 403),
except the live poll, whose signed token was handed out by a page that did.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from crisisroom.access import CrisisAccess, crisis_for_user
from crisisroom.http import AuthenticatedRequest
from crisisroom.models import Crisis, Membership

from .models import (
    Assignment,
    CrisisStakeholder,
    Entry,
    Logbook,
    Meeting,
    Message,
    PersonalItem,
)

LIVE_SALT = "crisisroom.meetings.live"
LIVE_MAX_AGE = 12 * 60 * 60  # a long meeting day; a reload hands out a fresh token


@dataclass(frozen=True)
class MeetingAccess(CrisisAccess):
    meeting: Meeting


@dataclass(frozen=True)
class EntryAccess(CrisisAccess):
    entry: Entry


@dataclass(frozen=True)
class AssignmentAccess(CrisisAccess):
    assignment: Assignment


def meeting_for_user(
    request: HttpRequest, crisis_pk: int, number: int, perm: str | tuple[str, ...] | None = None
) -> MeetingAccess:
    access = crisis_for_user(request, crisis_pk, perm)
    meeting = (
        Meeting.objects.select_related("card_set")
        .filter(crisis=access.crisis, number=number)
        .first()
    )
    if meeting is None:
        raise Http404(_("No such meeting."))
    meeting.crisis = access.crisis  # the crisis already loaded, not a second query
    return MeetingAccess(crisis=access.crisis, perms=access.perms, meeting=meeting)


def entry_for_user(
    request: HttpRequest, crisis_pk: int, seq: int, perm: str | tuple[str, ...] | None = None
) -> EntryAccess:
    access = crisis_for_user(request, crisis_pk, perm)
    entry = (
        Entry.objects.select_related("author", "meeting")
        .filter(crisis=access.crisis, seq=seq)
        .first()
    )
    if entry is None:
        raise Http404(_("No such entry."))
    entry.crisis = access.crisis
    return EntryAccess(crisis=access.crisis, perms=access.perms, entry=entry)


def assignment_for_user(
    request: HttpRequest, crisis_pk: int, assignment_pk: int, perm: str | tuple[str, ...]
) -> AssignmentAccess:
    access = crisis_for_user(request, crisis_pk, perm)
    assignment = (
        Assignment.objects.select_related("entry")
        .filter(crisis=access.crisis, pk=assignment_pk)
        .first()
    )
    if assignment is None:
        raise Http404(_("No such assignment."))
    assignment.crisis = access.crisis
    return AssignmentAccess(crisis=access.crisis, perms=access.perms, assignment=assignment)


@dataclass(frozen=True)
class MessageAccess(CrisisAccess):
    message: Message

    @property
    def is_addressee(self) -> bool:
        return self.message.routed_to_id is not None and self.message.routed_to_id == self.viewer

    viewer: int | None = None


def message_for_user(
    request: HttpRequest, crisis_pk: int, seq: int, perm: str | tuple[str, ...] | None = None
) -> MessageAccess:
    """A message of the crisis, for a member (with ``perm``, a member with that right)."""
    access = crisis_for_user(request, crisis_pk, perm)
    message = (
        Message.objects.select_related(
            "routed_to", "recorded_by", "handled_by", "approved_by", "entry", "partner"
        )
        .filter(crisis=access.crisis, seq=seq)
        .first()
    )
    if message is None:
        raise Http404(_("No such message."))
    message.crisis = access.crisis
    return MessageAccess(
        crisis=access.crisis, perms=access.perms, message=message, viewer=request.user.pk
    )


def stakeholder_for_user(
    request: HttpRequest, crisis_pk: int, stakeholder_pk: int, perm: str | tuple[str, ...]
) -> CrisisStakeholder:
    access = crisis_for_user(request, crisis_pk, perm)
    stakeholder = (
        CrisisStakeholder.objects.select_related("partner", "keeper")
        .filter(crisis=access.crisis, pk=stakeholder_pk)
        .first()
    )
    if stakeholder is None:
        raise Http404(_("No such stakeholder."))
    stakeholder.crisis = access.crisis
    return stakeholder


def personal_item_for_user(request: HttpRequest, crisis: Crisis, item_pk: int) -> PersonalItem:
    """A line of the requesting user's own personal logbook; anyone else's is 404, the
    chair's included: the personal logbook is private."""
    item = PersonalItem.objects.filter(pk=item_pk, crisis=crisis, owner_id=request.user.pk).first()
    if item is None:
        raise Http404
    return item


def _session_tag(session_key: str | None) -> str:
    # A keyed hash, not the key: the token travels in URLs (and so in access logs).
    return salted_hmac(LIVE_SALT, session_key or "", algorithm="sha256").hexdigest()[:32]


def live_token_for(*, crisis_pk: int, user_pk: int, session_key: str | None) -> str:
    """A poll token for this member, this crisis and this browser session only."""
    return signing.dumps([crisis_pk, user_pk, _session_tag(session_key)], salt=LIVE_SALT)


def live_token_for_request(request: AuthenticatedRequest, crisis_pk: int) -> str:
    return live_token_for(
        crisis_pk=crisis_pk, user_pk=request.user.pk, session_key=request.session.session_key
    )


DATABASE_SESSIONS = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


class LiveTokenExpired(Exception):
    pass


def live_crisis_of_token(token: str) -> int:
    """The crisis a live token is for (its signature checked; 404 for a forged one)."""
    try:
        crisis_pk, _user_pk, _tag = signing.loads(token, salt=LIVE_SALT, max_age=LIVE_MAX_AGE)
    except signing.SignatureExpired:
        raise LiveTokenExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    return int(crisis_pk)


def live_revision_for_token(
    token: str, request: HttpRequest, *, session_alive: bool = False
) -> tuple[int, int]:
    """The crisis's log revision and its last non-entry revision, if the token's holder is
    still an active member. One query.

    The token only works with the session cookie of the browser it was handed to (compared by
    keyed hash: no session lookup). Raises Http404 for a forged token and LiveTokenExpired for
    an old one, one used without its session, or a holder who left the team (the screen then
    stops polling). With ``session_alive`` (a stream, which keeps the cookie it opened with for
    hours) the session must also still exist: logging out ends the stream, in the same query.
    """
    try:
        crisis_pk, user_pk, tag = signing.loads(token, salt=LIVE_SALT, max_age=LIVE_MAX_AGE)
    except signing.SignatureExpired:
        raise LiveTokenExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or not constant_time_compare(tag, _session_tag(session_key)):
        raise LiveTokenExpired
    check_session = session_alive and settings.SESSION_ENGINE in DATABASE_SESSIONS
    params: list = [crisis_pk, user_pk]
    if check_session:
        params += [session_key, connection.ops.adapt_datetimefield_value(timezone.now())]
    # Plain SQL: every open screen runs this on every change, and building the query with the
    # ORM cost four times what running it does.
    with connection.cursor() as cursor:
        cursor.execute(_revision_sql(check_session), params)
        revisions = cursor.fetchone()
    if revisions is None:
        raise LiveTokenExpired
    return revisions[0], revisions[1]


@cache
def _revision_sql(check_session: bool) -> str:
    """The crisis's revisions if the user holds an active seat (and the session still exists)."""
    quote = connection.ops.quote_name
    logbook, membership = quote(Logbook._meta.db_table), quote(Membership._meta.db_table)
    user, session = quote(get_user_model()._meta.db_table), quote(Session._meta.db_table)
    # Table names from the models' own metadata, quoted; every value is a parameter.
    tables = f"{logbook} l WHERE l.crisis_id = %s AND EXISTS (SELECT 1 FROM {membership} m"  # noqa: S608  # nosec B608
    sql = (
        f"SELECT l.revision, l.other_revision FROM {tables} JOIN {user} u ON u.id = m.user_id "  # noqa: S608  # nosec B608
        "WHERE m.crisis_id = l.crisis_id AND m.user_id = %s AND m.ended_at IS NULL "
        "AND u.is_active)"
    )
    if check_session:
        sql += f" AND EXISTS (SELECT 1 FROM {session} s WHERE s.session_key = %s AND s.expire_date > %s)"  # noqa: S608, E501  # nosec B608
    return sql
