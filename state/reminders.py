"""Reminders of unanswered requests to the state: when each step is due, and sending each one once.

As with the deadline reminders (`actionplans.reminders`), nothing fires at an exact time. The sweep (every
15 minutes from beat: `state.sweep_reminders`) works out, for every request still waiting for its answer
(asked or acknowledged), the latest step that is due (days after it was asked: `ReminderStep`, set by the
programme management), and records one row per (request, step) under a unique constraint: a doubled sweep
records nothing new, a lost one only delays. The rows not yet sent are then claimed a batch at a time under
a row lock (skipped by other sweeps), and each is handed to the outbox in the transaction that marks it
sent: a mail to each partner of the body, or to the programme management when the body has none, each under
a key of its own. A request answered or withdrawn before its reminder went is reminded to no one: its row is
dropped when it is claimed, and its mails still waiting in the outbox are withdrawn with the answer
(`withdraw_waiting`, called by `state.services`).
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from actionplans.reminders import OSLO, latest_due_step
from outbox import services as outbox
from state import notifications
from state.models import ReminderStep, RequestReminder, StateRequest

logger = logging.getLogger(__name__)

# The outbox's kind of the reminder mails.
MAIL_KIND = "state_request_reminder"
# Reminders handed to the outbox in one transaction.
BATCH = 500


def sweep(now=None):
    """Record every reminder due at `now` and hand those not sent to the outbox; returns how many were queued."""
    record(now or timezone.now())
    return queue_pending()


def plan(now):
    """The reminders due at `now` that are not recorded yet, as unsaved rows: for each open request, the
    latest step due only, so that after an outage a body gets one mail, not one for every step it missed."""
    days = ReminderStep.objects.days()
    # No step is due before the day ahead of the first step's (09:00 that day, whenever the request came).
    asked_before = now - datetime.timedelta(days=min(days) - 1)
    requests = StateRequest.objects.filter(status__in=StateRequest.OPEN, created_at__lte=asked_before).only(
        "pk", "created_at"
    )
    planned = []
    for request in requests:
        step = latest_due_step(timezone.localdate(request.created_at, OSLO), days, now)
        if step is not None:
            step_days, moment = step
            planned.append(RequestReminder(request=request, days=step_days, scheduled_at=moment))
    if not planned:
        return []
    recorded = set(
        RequestReminder.objects.filter(request__in={r.request_id for r in planned}).values_list("request_id", "days")
    )
    return [r for r in planned if (r.request_id, r.days) not in recorded]


def record(now=None):
    """Write the reminders due at `now`; a row another sweep wrote first is skipped. Returns how many were planned."""
    planned = plan(now or timezone.now())
    RequestReminder.objects.bulk_create(planned, ignore_conflicts=True)
    return len(planned)


def queue_pending():
    """Hand every recorded reminder not sent yet to the outbox; returns how many reminders were queued.

    A batch of rows is claimed under a lock (skipped by other sweeps), queued in the outbox and marked sent
    in one transaction, so a sweep that dies mid-way leaves its batch for the next. The outbox sends the
    mails once the transaction commits."""
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                RequestReminder.objects.filter(sent_at__isnull=True)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "request__programme__city",
                    "request__programme__round",
                    "request__body",
                    "request__measure",
                    "request__instrument",
                )
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return queued
            with outbox.one_drain():
                done = _queue_batch(batch)
            RequestReminder.objects.filter(pk__in=done).update(sent_at=timezone.now())
            queued += len(done)


def _queue_batch(batch):
    """Queue each reminder of a claimed batch; returns the pks of those queued."""
    done = []
    for reminder in batch:
        if not reminder.request.is_open:
            # Answered or withdrawn since it was recorded: no one is reminded of it.
            reminder.delete()
            continue
        try:
            with transaction.atomic():
                mails = _queue(reminder)
        except Exception:
            # This row's own fault: it holds back no other, and the next sweep plans it again.
            logger.exception("Reminder %s of request %s could not be queued", reminder.pk, reminder.request_id)
            reminder.delete()
            continue
        if mails:
            done.append(reminder.pk)
        else:
            # No one to tell (no partner, no manager with an address): planned again once there is.
            reminder.delete()
    return done


def _queue(reminder):
    """One mail to each partner of the body, or to each of the programme management when it has none;
    returns how many were queued."""
    request = reminder.request
    partners = notifications.partners_of(request.body)
    people = partners or notifications.managers()
    asked_on = timezone.localdate(request.created_at, OSLO)
    today = timezone.localdate(max(reminder.scheduled_at, timezone.now()), OSLO)
    context = {
        "request": request,
        "asked_on": asked_on,
        "days_waiting": (today - asked_on).days,
        "to_management": not partners,
        "url": notifications.request_url(request),
    }
    mails = [
        outbox.queue(
            MAIL_KIND,
            context,
            to=user,
            kind=MAIL_KIND,
            key=f"{MAIL_KIND}:{request.pk}:{reminder.days}:{user.pk}",
            cause=reminder,
        )
        for user in people
    ]
    return sum(1 for mail in mails if mail is not None)


def withdraw_waiting(request):
    """Withdraw the reminders of `request` still waiting in the outbox (a mail server away when they were
    due): once answered or withdrawn, it is reminded to no one. Returns how many reminders were withdrawn."""
    reminders = [str(pk) for pk in request.reminders.values_list("pk", flat=True)]
    if not reminders:
        return 0
    waiting = outbox.waiting_about(RequestReminder, [MAIL_KIND]).filter(cause_id__in=reminders)
    return len(set(outbox.withdraw(waiting)))
