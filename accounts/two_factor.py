"""Two-factor login with django-otp: a code from an authenticator app (TOTP) and ten single-use
recovery codes (a static device).

At login (`user_logged_in`) the session is told what second step it still owes: a code for a person
with a confirmed device, setting one up for a person whose role requires it, or nothing. The
middleware (middleware_two_factor.py) holds the session at that step; the functions here end it.
"""

import math
import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from cities.models import Membership
from lib.security import record

# What the session still owes after the password: one of VERIFY, SETUP, or "" (nothing).
STEP_KEY = "two_factor_step"
VERIFY, SETUP = "verify", "setup"
# Set when the login was by single sign-on and the provider's own multi-factor login counts.
SSO_KEY = "two_factor_by_sso"
# Recovery codes just made, shown once on the next page and then forgotten.
NEW_CODES_KEY = "two_factor_new_codes"

RECOVERY_CODE_COUNT = 10
SSO_BACKEND = "accounts.oidc.PortalOIDCBackend"


@dataclass
class Throttled(Exception):
    """Too many wrong codes in a row: the next try is allowed at `until`."""

    until: object

    @property
    def seconds(self):
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))


def is_required(user):
    """Whether this person must use two-factor: one of TWO_FACTOR_REQUIRED_ROLES (Membership.Role
    values, "staff" for staff and superusers), and only while TWO_FACTOR_ENFORCE is on."""
    if not settings.TWO_FACTOR_ENFORCE:
        return False
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if "staff" in roles and (user.is_staff or user.is_superuser):
        return True
    roles.discard("staff")
    return bool(roles) and Membership.objects.filter(user=user, role__in=roles).exists()


def has_two_factor(user):
    return user_has_device(user, confirmed=True)


def confirmed_totp(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def step_for(user, *, by_sso=False):
    """The second step a person owes right after logging in."""
    if by_sso and settings.OIDC_TRUST_IDP_MFA:
        return ""
    if has_two_factor(user):
        return VERIFY
    if is_required(user):
        return SETUP
    return ""


@receiver(user_logged_in)
def ask_for_second_factor(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    by_sso = getattr(user, "backend", "") == SSO_BACKEND
    request.session[STEP_KEY] = step_for(user, by_sso=by_sso)
    if by_sso and settings.OIDC_TRUST_IDP_MFA:
        request.session[SSO_KEY] = True


def pending_step(request):
    """The step this logged-in session still owes. A session from before two-factor existed
    has no answer yet: it is worked out once and kept."""
    step = request.session.get(STEP_KEY)
    if step is None:
        step = "" if request.user.is_verified() else step_for(request.user)
        request.session[STEP_KEY] = step
    return step


def _verified(request, device):
    """The session has passed its second step: keep the device in it, and give it a new key."""
    otp_login(request, device)
    request.session[STEP_KEY] = ""
    request.session.cycle_key()


# Setting up


def setup_device(user):
    """The unconfirmed authenticator device the set-up page shows, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()


def start_setup(user):
    """The person's unconfirmed authenticator device, made if there is none yet (kept while they
    type, so the QR code stays the same on a reload)."""
    device = setup_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_text(device):
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device):
    """The app's set-up link as a QR code: an SVG in a data: URI (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def confirm_setup(request, device, code):
    """Confirm `device` with a code from the app. On success: the device counts, any other
    authenticator of the person goes, ten new recovery codes are made (returned, to be shown once),
    the session is verified with a new key, and TWO_FACTOR_ADDED is logged. Returns None for a wrong
    code; raises Throttled after too many."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            raise Throttled(data["locked_until"])
        if not device.verify_token(_normalise(code)):  # a wrong code makes the next try wait
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_recovery_codes(user)
    _verified(request, device)
    record(SecurityEvent.Kind.TWO_FACTOR_ADDED, request=request)
    return codes


def new_recovery_codes(user):
    """Ten new recovery codes for `user` in place of the old ones, which stop working."""
    with transaction.atomic():
        return _replace_recovery_codes(user)


def _replace_recovery_codes(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "recovery", "confirmed": True})
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def is_recovery_code(device):
    return isinstance(device, StaticDevice)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Using a code


def _normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def _is_totp_code(code):
    return re.fullmatch(r"\d{6}", _normalise(code)) is not None


def check_code(user, code):
    """The confirmed device that accepts `code`: a six-digit code is tried on the authenticator, any
    other on the recovery codes (a recovery code works once). Returns None for a wrong code (the
    device then makes the next try wait longer); raises Throttled while it must wait."""
    code = _normalise(code)
    model = TOTPDevice if _is_totp_code(code) else StaticDevice
    locked_until = None
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, data = device.verify_is_allowed()
            if not allowed:
                locked_until = max(filter(None, [locked_until, data["locked_until"]]))
                continue
            if code and device.verify_token(code):
                return device
    if locked_until is not None:
        raise Throttled(locked_until)
    return None


def verify(request, code):
    """The second step at login. Returns the device that took the code (the session is then
    verified, with a new key) or None (TWO_FACTOR_FAILED is logged); raises Throttled."""
    try:
        device = check_code(request.user, code)
    except Throttled:
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request, throttled="yes")
        raise
    if device is None:
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request)
        return None
    _verified(request, device)
    return device


def remove(request, code):
    """Remove the person's two-factor (authenticator and recovery codes) once a code of theirs is
    accepted; logs TWO_FACTOR_REMOVED, or TWO_FACTOR_FAILED for a wrong code. A person whose role
    requires two-factor is sent to set it up again. Returns whether it was removed."""
    user = request.user
    try:
        device = check_code(user, code)
    except Throttled:
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request, throttled="yes")
        raise
    if device is None:
        record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request)
        return False
    with transaction.atomic():
        for found in devices_for_user(user, confirmed=None):
            found.delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    user.otp_device = None
    request.session[STEP_KEY] = SETUP if is_required(user) else ""
    record(SecurityEvent.Kind.TWO_FACTOR_REMOVED, request=request)
    return True


def reset(user, *, by, request=None):
    """Remove `user`'s two-factor for them (a lost phone and lost recovery codes), as done by `by`
    (programme management, from the People page). Logs TWO_FACTOR_REMOVED with who did it. Their
    sessions that wait for a code go on to setting up again, or to the portal."""
    with transaction.atomic():
        removed = [device.delete() for device in devices_for_user(user, confirmed=None)]
    if removed:
        record(SecurityEvent.Kind.TWO_FACTOR_REMOVED, request=request, user=user, by=by.get_username())
    return bool(removed)
