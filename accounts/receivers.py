"""Receivers that write the security log."""

from django.dispatch import receiver

from accounts.models import SecurityEvent
from lib.security import client_address, security_event


@receiver(security_event)
def store_security_event(sender, *, kind, user, request, detail, **kwargs):
    username = detail.pop("username", "") or (user.get_username() if user is not None else "")
    SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        address=client_address(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        detail={key: str(value) for key, value in detail.items()},
    )
