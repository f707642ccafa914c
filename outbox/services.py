"""Putting mail in the outbox. Every mail the portal sends is queued here, rendered at once in
the recipient's language, and sent by `outbox.sender` after the transaction that queued it commits."""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from cities.models import language_of, wants_daily_notices
from lib.mail import render_mail
from lib.tasks import delay
from outbox.models import BouncingAddress, OutgoingMail

logger = logging.getLogger(__name__)

_suppressed = contextvars.ContextVar("outbox_suppressed", default=False)
_batching = contextvars.ContextVar("outbox_batching", default=False)


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


def queue(name, context, *, to, kind, key, cause=None, language=None, secret=False, attachments=(), notice=False):
    """Render mail `name` and put it in the outbox once; returns the row, or None if nothing is queued.

    `to` is a user (their address and language) or an address. A second call with the same `key`
    queues nothing and returns the row the first one made. An inactive user, an empty address, or a
    call inside `suppressed()` queues nothing. A `secret` mail (one that holds a personal link) is
    not shown on the outbox page and its bodies are emptied once it is sent. `attachments` are
    text files sent with it, as (filename, content type, content). A `notice` (of an event) to a
    person who reads notices once a day is held for their daily digest (`outbox.digest`). After
    the surrounding transaction commits, the sender is asked (through Celery) to drain the outbox; a broker that is down does not fail the
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
        attachments=[{"filename": f, "content_type": t, "content": c} for f, t, c in attachments],
        due_at=now,
        created_at=now,
    )
    held = notice and user is not None and wants_daily_notices(user)
    if held:
        row.status = OutgoingMail.Status.HELD
    if cause is not None:
        row.cause_type = ContentType.objects.get_for_model(cause)
        row.cause_id = str(cause.pk)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # queued by someone else since we looked
        return OutgoingMail.objects.get(key=key)
    if not held:
        _drain_after_commit()
    return row


@contextlib.contextmanager
def one_drain():
    """Queue many mails in this block and ask for one drain after the commit, not one a mail."""
    if _batching.get():
        yield
        return
    token = _batching.set(True)
    try:
        yield
    finally:
        _batching.reset(token)
    transaction.on_commit(request_drain)  # not reached if the block raised: nothing was queued


def _drain_after_commit():
    if not _batching.get():
        transaction.on_commit(request_drain)


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
        _drain_after_commit()
    return bool(updated)


def withdraw(mails):
    """Withdraw the mails of the queryset `mails` that have not left yet; returns their causes' ids.

    A mail being sent (claimed by a worker) has left, as far as anyone can tell.
    """
    waiting = mails.filter(status=OutgoingMail.Status.QUEUED)
    causes = list(waiting.values_list("cause_id", flat=True))
    waiting.update(status=OutgoingMail.Status.WITHDRAWN, last_error="")
    return causes


def waiting_about(model, kinds):
    """The queued mails of `kinds` caused by objects of `model`."""
    return OutgoingMail.objects.filter(
        status=OutgoingMail.Status.QUEUED, kind__in=kinds, cause_type=ContentType.objects.get_for_model(model)
    )


def is_bouncing(email):
    """Whether the mail server has refused `email` for good (shown on the People page)."""
    if not email:
        return False
    return BouncingAddress.objects.filter(address=email.strip().lower()).exists()


def bouncing_addresses(emails):
    """Of `emails`, the ones that bounce (lowercased): one query for a whole list page."""
    wanted = {e.strip().lower() for e in emails if e}
    return set(BouncingAddress.objects.filter(address__in=wanted).values_list("address", flat=True))


def mails_about(objects):
    """The outbox's mails caused by `objects` (of one model), by the object's pk: one query for a page."""
    objects = list(objects)
    if not objects:
        return {}
    cause_type = ContentType.objects.get_for_model(objects[0])
    mails = OutgoingMail.objects.filter(cause_type=cause_type, cause_id__in=[str(o.pk) for o in objects]).defer(
        "text", "html"
    )
    return {int(mail.cause_id) if mail.cause_id.isdigit() else mail.cause_id: mail for mail in mails}


def mails_caused_by(obj):
    """The outbox's mails caused by `obj`, by address."""
    cause_type = ContentType.objects.get_for_model(obj)
    return (
        OutgoingMail.objects.filter(cause_type=cause_type, cause_id=str(obj.pk))
        .defer("text", "html")
        .order_by("address")
    )


def status_counts(mails):
    """[(status label, count)] of `mails`, in the order of the statuses."""
    counts = dict(mails.order_by().values_list("status").annotate(n=Count("pk")))
    return [(label, counts[value]) for value, label in OutgoingMail.Status.choices if counts.get(value)]


def undelivered(kinds=None):
    """Mails refused for good or given up on, newest first (of `kinds`, if given)."""
    mails = OutgoingMail.objects.filter(status__in=[OutgoingMail.Status.REFUSED, OutgoingMail.Status.FAILED])
    if kinds:
        mails = mails.filter(kind__in=kinds)
    return mails.select_related("recipient").defer("text", "html").order_by("-created_at", "-pk")
