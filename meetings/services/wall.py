"""Writes for the wall screen: what it shows, and pairing wall computers with a code."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul

from ..models import WallCodeFailure, WallPairing, WallPairingEvent, WallSettings
from ..models.wall import secret_hash
from ..push import notify
from ._common import logbook_touch, require_active

# Eight characters without look-alikes (no 0/O, 1/I/L): 31^8 ≈ 8.5e11 codes, each valid ten
# minutes and once, and an address gets ten wrong tries per quarter of an hour.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_VALID = timedelta(minutes=10)
CODE_SALT = "crisisroom.meetings.wall.code"
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_WRONG_CODES_PER_ADDRESS = 10
# More pending codes than this at once is not a crisis room: the rest are not even looked at.
MAX_PENDING_CODES = 200


def code_normalise(code: str) -> str:
    """What the wall typed, as the code: capitals, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())[: CODE_LENGTH * 2]


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _code_hash(code: str) -> str:
    # Keyed: a copy of the database does not give away a code still waiting to be typed.
    return salted_hmac(CODE_SALT, code, algorithm="sha256").hexdigest()


# Every pairing event is in the crisis's audit trail too, where chair and mayor read it.
AUDIT_ACTIONS: dict[str, str] = {
    WallPairingEvent.Action.CREATED: AuditEvent.Action.WALL_CODE_CREATED,
    WallPairingEvent.Action.PAIRED: AuditEvent.Action.WALL_PAIRED,
    WallPairingEvent.Action.REVOKED: AuditEvent.Action.WALL_REVOKED,
}


def _event(pairing: WallPairing, action: str, actor: User | None, address: str | None = None):
    WallPairingEvent.objects.create(
        pairing=pairing, crisis_id=pairing.crisis_id, action=action, actor=actor, ip_address=address
    )
    audit_record(
        action=AUDIT_ACTIONS[action],
        actor=actor,
        crisis=pairing.crisis,
        detail={"screen": pairing.label, "pairing": pairing.pk, "address": address or ""},
    )


def wall_settings_save(
    *,
    crisis: Crisis,
    actor: User,
    show_decisions: bool,
    show_assignments: bool,
    show_kernbeeld: bool,
    show_agenda: bool,
    show_clock: bool,
) -> WallSettings:
    """Choose what the wall shows. Every wall (and console) refreshes at its next poll."""
    with transaction.atomic():
        logbook_touch(crisis=crisis)
        require_active(crisis)
        settings, _created = WallSettings.objects.update_or_create(
            crisis=crisis,
            defaults={
                "show_decisions": show_decisions,
                "show_assignments": show_assignments,
                "show_kernbeeld": show_kernbeeld,
                "show_agenda": show_agenda,
                "show_clock": show_clock,
                "updated_at": timezone.now(),
                "updated_by": actor,
            },
        )
    return settings


def wall_pairing_create(*, crisis: Crisis, actor: User, label: str = "") -> tuple[WallPairing, str]:
    """A new pairing and its code (shown once, to the chair; valid ten minutes, once)."""
    label = label.strip()
    refuse_nul(label, field="label")
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    with transaction.atomic():
        require_active(crisis)
        pairing = WallPairing(
            crisis=crisis,
            label=label,
            code_hash=_code_hash(code),
            code_expires_at=timezone.now() + CODE_VALID,
            created_by=actor,
        )
        pairing.full_clean()
        pairing.save()
        _event(pairing, WallPairingEvent.Action.CREATED, actor)
    return pairing, code


def wall_code_wait_minutes(*, address: str | None) -> int:
    """Minutes until this address may try another code; 0 when it may now."""
    since = timezone.now() - THROTTLE_WINDOW
    failures = WallCodeFailure.objects.filter(at__gte=since, ip_address=address)
    blocking = (
        failures.order_by("-at")
        .values_list("at", flat=True)[MAX_WRONG_CODES_PER_ADDRESS - 1 : MAX_WRONG_CODES_PER_ADDRESS]
        .first()
    )
    if blocking is None:
        return 0
    remaining = blocking + THROTTLE_WINDOW - timezone.now()
    return max(1, int(remaining.total_seconds() // 60) + 1)


def _code_failed(address: str | None) -> None:
    WallCodeFailure.objects.create(ip_address=address)
    WallCodeFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def wall_pairing_redeem(*, code: str, address: str | None) -> tuple[WallPairing, str]:
    """Pair the wall computer that typed ``code``: the pairing and the secret for its cookie.

    Refused (ValidationError, code "throttled") while the address has had too many wrong codes;
    a wrong, used, revoked or expired code counts as wrong.
    """
    wait = wall_code_wait_minutes(address=address)
    if wait:
        raise ValidationError(
            _("Too many wrong codes from this computer. Try again in %(n)s minutes.") % {"n": wait},
            code="throttled",
        )
    digest = _code_hash(code_normalise(code))
    now = timezone.now()
    waiting = WallPairing.objects.filter(
        paired_at__isnull=True, revoked_at__isnull=True, code_expires_at__gt=now
    ).select_related("crisis")
    match = None
    # Every waiting code is compared, in constant time: how long this takes says nothing.
    for pairing in waiting.order_by("pk")[:MAX_PENDING_CODES]:
        if constant_time_compare(pairing.code_hash, digest):
            match = pairing
    secret = secrets.token_urlsafe(32)
    if match is not None:
        with transaction.atomic():
            if not match.crisis.is_active:
                raise ValidationError(
                    _("This crisis is closed: its wall screen can no longer be paired."),
                    code="closed",
                )
            # Once: of two walls typing the same code, the first wins.
            won = WallPairing.objects.filter(
                pk=match.pk, paired_at__isnull=True, revoked_at__isnull=True
            ).update(paired_at=now, secret_hash=secret_hash(secret))
            if won:
                match.refresh_from_db()
                _event(match, WallPairingEvent.Action.PAIRED, None, address)
                return match, secret
    _code_failed(address)
    raise ValidationError(
        _(
            "This code is not valid. A code works once, for ten minutes: "
            "ask the chair for a new one."
        ),
        code="invalid",
    )


def wall_pairing_revoke(*, pairing: WallPairing, actor: User) -> WallPairing:
    """End a pairing (or withdraw a code not used yet). The wall's stream ends at once; a wall
    that polls stops at its next poll."""
    with transaction.atomic():
        changed = WallPairing.objects.filter(pk=pairing.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        pairing.refresh_from_db()
        if changed:
            _event(pairing, WallPairingEvent.Action.REVOKED, actor)
            notify(pairing.crisis_id)  # the wall's stream ends at once
    return pairing
