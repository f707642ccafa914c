"""The daily digest: the notices held for a person who reads them once a day, in one mail.

At 07:00 (the portal's time zone) or at the first run after, each person with notices held from
before then gets one mail that holds them all, queued as any other; each notice is marked as sent
in that digest. A notice that arrives later waits for the next morning.
"""

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from outbox.models import OutgoingMail
from outbox.services import one_drain, queue

DIGEST_TIME = datetime.time(7, 0)
Status = OutgoingMail.Status


def cutoff(now):
    """The last 07:00 at or before `now`: notices held from before it go in today's digest."""
    local = timezone.localtime(now)
    moment = local.replace(hour=DIGEST_TIME.hour, minute=DIGEST_TIME.minute, second=0, microsecond=0)
    return moment if moment <= local else moment - datetime.timedelta(days=1)


def send_digests(now=None):
    """Queue one digest to each person with notices held from before the last 07:00; returns how many."""
    until = cutoff(now or timezone.now())
    held = OutgoingMail.objects.filter(status=Status.HELD, created_at__lt=until)
    sent = 0
    with one_drain():
        for user_id in held.values_list("recipient", flat=True).distinct().order_by("recipient"):
            with transaction.atomic():
                notices = list(
                    held.filter(recipient_id=user_id)
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient__profile")
                    .order_by("created_at", "pk")
                )
                if not notices:
                    continue
                digest = queue(
                    "notice_digest",
                    {"notices": notices, "day": until.date()},
                    to=notices[0].recipient,
                    kind="notice_digest",
                    key=f"notice_digest:{user_id}:{notices[0].pk}",
                )
                status = Status.IN_DIGEST if digest is not None else Status.WITHDRAWN  # no longer active
                OutgoingMail.objects.filter(pk__in=[n.pk for n in notices]).update(status=status, digest=digest)
                sent += digest is not None
    return sent


# Here rather than in outbox/tasks.py, which the queue asks for drains (outbox.apps imports this module).
@shared_task(name="outbox.send_digests")
def send_digests_task():
    """Every hour: the daily digests that are due (at 07:00, or the first run after)."""
    send_digests()
