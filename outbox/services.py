"""Putting mail in the outbox. Every mail the portal sends is queued here, rendered at once in
the recipient's language, and sent by `outbox.sender` after the transaction that queued it commits."""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from cities.models import language_of
from lib.mail import render_mail
from lib.tasks import delay
from outbox.models import BouncingAddress, OutgoingMail

logger = logging.getLogger(__name__)

_suppressed = contextvars.ContextVar("outbox_suppressed", default=False)


@contextlib.contextmanager
def suppressed():
    """Nothing is queued inside this block (the demo seed and data imports: no news for anyone)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def is_suppressed():
    return _suppressed.get()


def queue(name, context, *, to, kind, key, cause=None, language=None, secret=False):
    """Render mail `name` and put it in the outbox once; returns the row, or None if nothing is queued.

    `to` is a user (their address and language) or an address. A second call with the same `key`
    queues nothing and returns the row the first one made. An inactive user, an empty address, or a
    call inside `suppressed()` queues nothing. A `secret` mail (one that holds a personal link) is
    not shown on the outbox page and its bodies are emptied once it is sent. After the surrounding transaction commits, the
    sender is asked (through Celery) to drain the outbox; a broker that is down does not fail the
    caller, the periodic sweep sends the mail then.
    """
    if is_suppressed():
        return None
    user = None
    if isinstance(to, str):
        address = to.strip()
    else:
        user = to
        if not user.is_active:
            return None
        address = (user.email or "").strip()
    if not address:
        return None
    existing = OutgoingMail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    language = language or (language_of(user) if user is not None else settings.LANGUAGE_CODE)
    subject, text, html = render_mail(name, context, language=language)
    now = timezone.now()
    row = OutgoingMail(
        recipient=user,
        address=address,
        language=language,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        key=key,
        holds_secret=secret,
        due_at=now,
        created_at=now,
    )
    if cause is not None:
        row.cause_type = ContentType.objects.get_for_model(cause)
        row.cause_id = str(cause.pk)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # queued by someone else since we looked
        return OutgoingMail.objects.get(key=key)
    transaction.on_commit(request_drain)
    return row


def request_drain():
    """Ask a worker to drain the outbox; if the broker cannot be reached, the periodic sweep will."""
    from outbox import tasks  # noqa: PLC0415 - tasks imports the sender, which imports this module

    delay(tasks.drain)


def resend(mail):
    """Queue a failed or refused mail again, due now (programme management asked for it)."""
    updated = OutgoingMail.objects.filter(
        pk=mail.pk, status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.REFUSED]
    ).update(status=OutgoingMail.Status.QUEUED, due_at=timezone.now(), attempts=0)
    if updated:
        transaction.on_commit(request_drain)
    return bool(updated)


def is_bouncing(email):
    """Whether the mail server has refused `email` for good (shown on the People page)."""
    if not email:
        return False
    return BouncingAddress.objects.filter(address=email.strip().lower()).exists()


def bouncing_addresses(emails):
    """Of `emails`, the ones that bounce (lowercased): one query for a whole list page."""
    wanted = {e.strip().lower() for e in emails if e}
    return set(BouncingAddress.objects.filter(address__in=wanted).values_list("address", flat=True))
