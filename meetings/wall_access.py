"""Access for paired wall computers: the wall cookie, and the live poll token of a pairing.

A wall computer has no login. Its cookie (signed, HttpOnly, SameSite=Lax, Secure in production,
sent only to /scherm/) names a pairing and carries a random secret whose hash the pairing
keeps. Only the wall views read it; every other view of the app goes through
``crisis_for_user`` and never looks at it. The paired wall gets a ``MeetingAccess`` with no
rights at all: it can read the wall screen of its crisis and write nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from crisisroom.models import Crisis

from .models import WallPairing
from .models.wall import secret_hash

WALL_COOKIE = "crisisroom_wall"
WALL_COOKIE_SALT = "crisisroom.meetings.wall.cookie"
WALL_COOKIE_PATH = "/scherm/"
# No 12-hour limit: the wall hangs there for the whole crisis. Revoking the pairing or closing
# the crisis ends it at once; a wall left alone for three months pairs again.
WALL_COOKIE_AGE = 90 * 24 * 60 * 60
# Its own salt: a pairing's poll token is another kind than a member's and never passes for one.
WALL_LIVE_SALT = "crisisroom.meetings.wall.live"
WALL_LIVE_KIND = "wall"


class WallNotPaired(Exception):
    """No wall cookie, or one that is not ours: the computer is sent to type a code."""


class WallEnded(Exception):
    """The pairing was revoked or its crisis closed: 403, and the cookie is forgotten."""


@dataclass(frozen=True)
class WallAccess:
    pairing: WallPairing
    secret_tag: str  # a keyed hash of the cookie's secret, to bind the poll token to it

    @property
    def crisis(self):
        return self.pairing.crisis


def _tag(secret: str) -> str:
    return salted_hmac(WALL_LIVE_SALT, secret, algorithm="sha256").hexdigest()[:32]


def wall_set_cookie(response: HttpResponse, pairing: WallPairing, secret: str) -> None:
    response.set_signed_cookie(
        WALL_COOKIE,
        f"{pairing.pk}:{secret}",
        salt=WALL_COOKIE_SALT,
        max_age=WALL_COOKIE_AGE,
        path=WALL_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def wall_forget_cookie(response: HttpResponse) -> None:
    response.delete_cookie(WALL_COOKIE, path=WALL_COOKIE_PATH, samesite="Lax")


def _cookie(request: HttpRequest) -> tuple[int, str] | None:
    value = request.get_signed_cookie(
        WALL_COOKIE, default=None, salt=WALL_COOKIE_SALT, max_age=WALL_COOKIE_AGE
    )
    if not value:
        return None
    pk, _sep, secret = value.partition(":")
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19 and secret):
        return None
    return int(pk), secret


def wall_for_request(request: HttpRequest) -> WallAccess:
    """The pairing this wall computer's cookie names, if it is still in force."""
    cookie = _cookie(request)
    if cookie is None:
        raise WallNotPaired
    pk, secret = cookie
    pairing = (
        WallPairing.objects.select_related("crisis", "crisis__organisation")
        .filter(pk=pk, paired_at__isnull=False)
        .first()
    )
    if pairing is None or not constant_time_compare(pairing.secret_hash, secret_hash(secret)):
        raise WallNotPaired
    if pairing.revoked_at is not None or not pairing.crisis.is_active:
        raise WallEnded
    return wall_access_for(pairing=pairing, secret=secret)


def wall_access_for(*, pairing: WallPairing, secret: str) -> WallAccess:
    """The access of the wall holding ``secret`` (checked by the caller)."""
    return WallAccess(pairing=pairing, secret_tag=_tag(secret))


def wall_live_token_for(access: WallAccess) -> str:
    """A poll token for this pairing, usable only with this wall's cookie."""
    return signing.dumps(
        [WALL_LIVE_KIND, access.pairing.pk, access.secret_tag], salt=WALL_LIVE_SALT
    )


def _pairing_of_token(token: str) -> tuple[int, str]:
    """The pairing and the wall's tag a live token names; Http404 for a forged one."""
    try:
        kind, pairing_pk, tag = signing.loads(token, salt=WALL_LIVE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    if kind != WALL_LIVE_KIND:
        raise Http404
    return pairing_pk, tag


def wall_crisis_of_token(token: str) -> int:
    """The crisis a wall's live token is for (one query; Http404 for a forged token)."""
    pairing_pk, _tag = _pairing_of_token(token)
    pairings = WallPairing.objects.filter(pk=pairing_pk)
    crisis_pk = pairings.values_list("crisis_id", flat=True).first()
    if crisis_pk is None:
        raise Http404
    return crisis_pk


def wall_live_revision_for_token(token: str, request: HttpRequest) -> tuple[int, int] | None:
    """The crisis's log revisions, if the pairing is still in force; None when it ended (or
    the token is presented without its wall's cookie). One query. Http404 for a forged token.
    """
    pairing_pk, tag = _pairing_of_token(token)
    cookie = _cookie(request)
    if cookie is None or cookie[0] != pairing_pk or not constant_time_compare(tag, _tag(cookie[1])):
        return None
    row = (
        WallPairing.objects.filter(
            pk=pairing_pk,
            paired_at__isnull=False,
            revoked_at__isnull=True,
            crisis__status=Crisis.Status.ACTIVE,
        )
        .values_list("secret_hash", "crisis__logbook__revision", "crisis__logbook__other_revision")
        .first()
    )
    if row is None or not constant_time_compare(row[0], secret_hash(cookie[1])):
        return None
    return row[1] or 0, row[2] or 0
