"""Sending what the outbox holds: claim a batch in a short transaction, send it over one SMTP
connection outside any transaction, record each outcome in its own short write.

Safe with any number of workers: a row is claimed by `select_for_update(skip_locked=True)` and
marked `sending`, so another drain skips it. The one window left is a crash between the mail
server's acceptance and the write that records it; such a row is found in `sending` by the sweep,
logged as possibly sent and queued again, and its stable Message-ID makes the resend the same
message to the recipient's mail system.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import BouncingAddress, OutgoingMail

logger = logging.getLogger(__name__)

# Sent mails are recorded this many at a time: a crash in between leaves at most these in
# `sending`, sent again after STALE with the same Message-ID.
RECORD_EVERY = 25
# After the 1st, 2nd, … temporary failure, the next try waits this long; after the last, it failed.
BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
# The mail server could not be reached: the whole batch waits this long (not counted as a refusal).
UNREACHABLE_BACKOFF = datetime.timedelta(minutes=1)


def stale_after():
    """A row in `sending` for longer than this belongs to a worker that died (OUTBOX_STALE_SECONDS)."""
    return datetime.timedelta(seconds=settings.OUTBOX_STALE_SECONDS)


Status = OutgoingMail.Status


def claim(batch=None, now=None):
    """Mark up to `batch` (OUTBOX_BATCH) due rows `sending` (attempts + 1) and return them; other
    drains skip them."""
    batch = batch or settings.OUTBOX_BATCH
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            OutgoingMail.objects.due(now)
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch]
        )
        if not rows:
            return []
        # The status condition again: on a database without row locks (SQLite locks the whole
        # file instead) this is what keeps a row from being claimed twice.
        OutgoingMail.objects.filter(pk__in=rows, status=Status.QUEUED).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
        return list(OutgoingMail.objects.filter(pk__in=rows, status=Status.SENDING, claimed_at=now).order_by("pk"))


def message_for(mail):
    message = EmailMultiAlternatives(
        mail.subject,
        mail.text,
        settings.DEFAULT_FROM_EMAIL,
        [mail.address],
        headers={"Message-ID": mail.message_id},
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return message


def _smtp_code(error):
    """The SMTP answer's code (the lowest of several refused recipients), or None."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return min(codes) if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def _record_sent(mails):
    """Mark `mails` sent, in one write (a batch records its outcomes every RECORD_EVERY mails)."""
    if not mails:
        return
    now = timezone.now()
    plain = [m.pk for m in mails if not m.holds_secret]
    secret = [m.pk for m in mails if m.holds_secret]
    sending = OutgoingMail.objects.filter(status=Status.SENDING)
    if plain:
        sending.filter(pk__in=plain).update(status=Status.SENT, sent_at=now, last_error="")
    if secret:
        sending.filter(pk__in=secret).update(status=Status.SENT, sent_at=now, last_error="", text="", html="")
    BouncingAddress.objects.filter(address__in={m.address.lower() for m in mails}).delete()
    mails.clear()


def _record_temporary(mail, error):
    now = timezone.now()
    if mail.attempts >= MAX_ATTEMPTS:
        update = {"status": Status.FAILED}
    else:
        update = {"status": Status.QUEUED, "due_at": now + BACKOFF[mail.attempts - 1]}
    OutgoingMail.objects.filter(pk=mail.pk, status=Status.SENDING).update(last_error=str(error)[:2000], **update)


def _record_refused(mail, error):
    now = timezone.now()
    message = str(error)[:2000]
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk, status=Status.SENDING).update(status=Status.REFUSED, last_error=message)
        bouncing, created = BouncingAddress.objects.get_or_create(
            address=mail.address.lower(), defaults={"last_error": message, "first_refused_at": now}
        )
        if not created:
            bouncing.last_refused_at, bouncing.last_error = now, message
            bouncing.save(update_fields=["last_refused_at", "last_error"])
    logger.warning("Mail %s to %s was refused for good: %s", mail.pk, mail.address, message)


def _release(mails, error):
    """The mail server could not be reached: the rest of the batch is queued again, shortly."""
    due = timezone.now() + UNREACHABLE_BACKOFF
    OutgoingMail.objects.filter(pk__in=[m.pk for m in mails], status=Status.SENDING).update(
        status=Status.QUEUED, due_at=due, attempts=F("attempts") - 1, last_error=str(error)[:2000]
    )


def send_batch(mails):
    """Send `mails` (claimed) over one connection; returns how many were sent."""
    return _send_batch(mails)[0]


def _send_batch(mails):
    """(how many were sent, whether the mail server went away)."""
    sent = 0
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:  # includes smtplib's exceptions
        logger.warning("The mail server could not be reached: %s", error)
        _release(mails, error)
        return 0, True
    claimed_at = timezone.now()
    delivered_mails = []
    try:
        for index, mail in enumerate(mails):
            if timezone.now() - claimed_at > stale_after() / 2:
                # A slow mail server: the rest of the batch is still ours, not a dead worker's.
                claimed_at = _renew(mails[index:])
            try:
                delivered = connection.send_messages([message_for(mail)])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                code = _smtp_code(error)
                # A refused sender is our configuration, not the recipient's address.
                if code is not None and code >= 500 and not isinstance(error, smtplib.SMTPSenderRefused):
                    _record_refused(mail, error)
                else:
                    _record_temporary(mail, error)
                if not _reset(connection):
                    _release(mails[index + 1 :], error)
                    return sent, True
                continue
            except OSError as error:  # the connection broke (includes SMTPServerDisconnected)
                logger.warning("The mail server went away: %s", error)
                _release(mails[index:], error)
                return sent, True
            if delivered:
                delivered_mails.append(mail)
                sent += 1
                if len(delivered_mails) >= RECORD_EVERY:
                    _record_sent(delivered_mails)
            else:  # the backend said nothing was sent, without telling why
                _record_temporary(mail, "not sent")
    finally:
        _record_sent(delivered_mails)
        try:
            connection.close()
        except OSError:
            pass
    return sent, False


def _renew(mails):
    now = timezone.now()
    OutgoingMail.objects.filter(pk__in=[m.pk for m in mails], status=Status.SENDING).update(claimed_at=now)
    return now


def _reset(connection):
    """After a refused message, make the SMTP session ready for the next one; False if it is gone."""
    smtp = getattr(connection, "connection", None)
    if smtp is None:
        return True  # not an SMTP backend (locmem, console): nothing to reset
    try:
        smtp.rset()
    except (OSError, smtplib.SMTPException):
        try:
            connection.close()
            connection.open()
        except OSError:
            return False
    return True


def drain(now=None):
    """Send everything due, batch after batch, until nothing is due; returns how many were sent.

    If the mail server cannot be reached, the batch is queued again with a short backoff and the
    run ends: the next drain or sweep tries again.
    """
    sent = 0
    while True:
        mails = claim(now=now)
        if not mails:
            return sent
        batch_sent, went_away = _send_batch(mails)
        sent += batch_sent
        if went_away:
            return sent


def recover_stale(now=None):
    """Rows left in `sending` by a worker that died: logged as possibly sent, queued again."""
    now = now or timezone.now()
    stale = OutgoingMail.objects.filter(status=Status.SENDING, claimed_at__lt=now - stale_after())
    recovered = 0
    for mail in stale.only("pk", "key", "address"):
        logger.warning(
            "Mail %s (%s) to %s was being sent when its worker stopped; possibly sent, sending it again",
            mail.pk,
            mail.key,
            mail.address,
        )
        recovered += OutgoingMail.objects.filter(pk=mail.pk, status=Status.SENDING).update(
            status=Status.QUEUED, due_at=now, last_error="possibly sent: its worker stopped while sending"
        )
    return recovered


def sweep(now=None):
    """The periodic sweep: recover rows of dead workers, then send everything due."""
    recover_stale(now)
    return drain(now)
