"""Codes for the two-factor tests, computed as the authenticator app would."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor


def code_of(device, offset=0):
    """The code the app shows now (offset in steps of 30 seconds)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def wrong_code(device):
    """A six-digit code the device does not accept now (it accepts the step before and after too)."""
    valid = {code_of(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in valid)


def give_two_factor(user):
    """A confirmed authenticator and ten recovery codes for `user`; returns (device, codes)."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device, two_factor.new_recovery_codes(user)
