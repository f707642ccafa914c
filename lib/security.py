"""The security log's one door: every app reports what the log must keep by calling `record`.

The log itself (a model, its page) belongs to the `accounts` app, which listens to the
`security_event` signal; the apps that report (a draft downloaded, a refusal) import only this.
"""

from django.dispatch import Signal

# Sent with kind (a SecurityEvent.Kind value), user (or None), request (or None) and detail (a dict).
security_event = Signal()


def client_address(request):
    """The address a request came from (REMOTE_ADDR; a proxy in front sets it with its own middleware)."""
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


def record(kind, *, request=None, user=None, **detail):
    """Report `kind` for `user` (by default the request's user) to the security log."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    security_event.send(sender=record, kind=kind, user=user, request=request, detail=detail)
