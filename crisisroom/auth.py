"""Logging in safely: throttling of failed attempts and two-factor authentication (TOTP).

Everything lives in the database, so every server process applies the same limits and the
same used codes.
"""

import hmac
import ipaddress
import time
from datetime import timedelta

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure, OrganisationMember, TwoFactorDevice

THROTTLE_WINDOW = timedelta(minutes=15)
# Per account from one address: a few typos are fine, guessing is not. Per account from
# anywhere, higher: a stranger's five wrong guesses must not lock the mayor out mid-crisis.
# Per address: a whole office shares one.
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ACCOUNT = 50
MAX_FAILURES_PER_ADDRESS = 50
TOTP_ISSUER = "Crisisroom"


def client_address(request: HttpRequest) -> str | None:
    """The caller's address; behind ``CRISISROOM_PROXY_COUNT`` trusted proxies, from their
    X-Forwarded-For (the rightmost entries are the ones our own proxies wrote)."""
    proxies = getattr(settings, "CRISISROOM_PROXY_COUNT", 0)
    address = request.META.get("REMOTE_ADDR")
    if proxies:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None  # a port or junk from a misconfigured proxy: count per account only


def login_wait_minutes(*, username: str, address: str | None) -> int:
    """Minutes until another attempt is allowed; 0 when it is allowed now."""
    since = timezone.now() - THROTTLE_WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    by_account = recent.filter(username=username.strip().lower())
    limits = [(by_account, MAX_FAILURES_PER_ACCOUNT)]
    if address:
        limits.append((by_account.filter(ip_address=address), MAX_FAILURES_PER_USERNAME))
        limits.append((recent.filter(ip_address=address), MAX_FAILURES_PER_ADDRESS))
    blocking = None
    for failures, limit in limits:
        oldest_counted = failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit]
        for at in oldest_counted:
            blocking = max(blocking or at, at)
    if blocking is None:
        return 0
    remaining = blocking + THROTTLE_WINDOW - timezone.now()
    return max(1, int(remaining.total_seconds() // 60) + 1)


def login_failed(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.strip().lower()[:150], ip_address=address)
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_succeeded(*, username: str, address: str | None) -> None:
    """A right password and code clear the failures from this address for this account."""
    LoginFailure.objects.filter(username=username.strip().lower(), ip_address=address).delete()


# -- two-factor authentication ----------------------------------------------------------------


def two_factor_required(user) -> bool:
    """Does an organisation this user belongs to require two-factor authentication?"""
    return OrganisationMember.objects.filter(
        user=user, organisation__require_two_factor=True
    ).exists()


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_setup_uri(*, secret: str, user) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str) -> str:
    """The set-up URI as an inline SVG QR code (no image request, nothing sent elsewhere)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff")


def _matching_step(secret: str, code: str, *, after_step: int) -> int | None:
    """The 30-second step (now, or one either side for clock drift) that ``code`` belongs to,
    if it is later than ``after_step``; otherwise None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        expected = totp.generate_otp(step)
        if step > after_step and hmac.compare_digest(expected, code):
            return step
    return None


def device_confirm(*, user, secret: str, code: str) -> TwoFactorDevice | None:
    """Set up (or replace) the user's authenticator app, if ``code`` proves it works."""
    step = _matching_step(secret, code, after_step=0)
    if step is None:
        return None
    device, _created = TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_used_step": step},
    )
    return device


def device_verify(*, user, code: str) -> bool:
    """Check a login code; each code works once (a second login with it is refused)."""
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        step = _matching_step(device.secret, code, after_step=device.last_used_step)
        if step is None:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
    return True


def has_device(user) -> bool:
    return TwoFactorDevice.objects.filter(user=user).exists()
