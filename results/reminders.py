"""Reminders of progress reports not submitted: when each step is due, and sending each one once.

As with the deadline reminders (`actionplans.reminders`) and those of the requests to the state
(`state.reminders`), nothing fires at an exact time. The sweep (every 15 minutes from beat:
`results.sweep`) works out, for every report still a draft, the latest step that is due (days relative to
the reporter's own due date: the round's, or the one an approved extension gave it; the steps are the
round's `ReminderStep`s), and records one row per (report, step, recipient) under a unique constraint: a
doubled sweep records nothing new, a lost one only delays. The recipients are the contacts of the city, or
the partners of the organisation. The rows not yet sent are then claimed a batch at a time under a row lock
(skipped by other sweeps), and each is handed to the outbox in the transaction that marks it sent, under a
key of its own. A report submitted, or given a new date, before its reminder went is not reminded of it:
its row is dropped when it is claimed, and its mails still waiting in the outbox are withdrawn
(`withdraw_waiting`, called by `results.services`).
"""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from actionplans.reminders import OSLO, latest_due_step
from cities.models import Membership
from outbox import services as outbox
from results.models import ProgressReport, Reminder, ReportingRound
from results.notifications import report_url

logger = logging.getLogger(__name__)

# The outbox's kind of the reminder mails.
MAIL_KIND = "results_reminder"
# Reminders handed to the outbox in one transaction.
BATCH = 500
# Rounds due further back than this are done reminding.
HORIZON = datetime.timedelta(days=400)


def sweep(now=None):
    """Record every reminder due at `now` and hand those not sent to the outbox; returns how many were queued."""
    record(now or timezone.now())
    return queue_pending()


def _recipients(reports):
    """{("city" | "organisation", id): [users]}: the active people with an address who write the reports."""
    cities = {r.city_id for r in reports if r.city_id}
    organisations = {r.organisation_id for r in reports if r.organisation_id}
    people = defaultdict(dict)
    memberships = Membership.objects.filter(user__is_active=True).exclude(user__email="").select_related("user")
    for m in memberships.filter(role=Membership.Role.CITY_CONTACT, city__in=cities):
        people[("city", m.city_id)][m.user_id] = m.user
    for m in memberships.filter(role=Membership.Role.PARTNER, organisation__in=organisations):
        people[("organisation", m.organisation_id)][m.user_id] = m.user
    return {key: sorted(users.values(), key=lambda u: u.username) for key, users in people.items()}


def _reporter_key(report):
    return ("city", report.city_id) if report.city_id else ("organisation", report.organisation_id)


def plan(now):
    """The reminders due at `now` that are not recorded yet, as unsaved rows: for each draft report, the
    latest step due only, so that after an outage a reporter gets one mail, not one for every step missed."""
    today = timezone.localdate(now, OSLO)
    rounds = {
        r.pk: r
        for r in ReportingRound.objects.filter(
            due_date__gte=today - HORIZON, due_date__lte=today + HORIZON
        ).prefetch_related("reminder_steps")
    }
    reports = list(
        ProgressReport.objects.filter(reporting_round__in=rounds, status=ProgressReport.Status.DRAFT)
        .only("pk", "reporting_round_id", "city_id", "organisation_id", "extended_due_date")
        .order_by("pk")
    )
    due = []
    for report in reports:
        reporting_round = rounds[report.reporting_round_id]
        report.reporting_round = reporting_round
        offsets = [s.offset_days for s in reporting_round.reminder_steps.all()]
        try:
            step = latest_due_step(report.effective_due_date, offsets, now)
        except OverflowError:
            logger.exception("Reminders of report %s (due %s) skipped", report.pk, report.effective_due_date)
            continue
        if step is not None:
            due.append((report, step))
    if not due:
        return []
    people = _recipients([report for report, _step in due])
    planned = [
        Reminder(
            report=report,
            offset_days=offset,
            recipient=user,
            due_date=report.effective_due_date,
            scheduled_at=moment,
        )
        for report, (offset, moment) in due
        for user in people.get(_reporter_key(report), [])
    ]
    if not planned:
        return []
    recorded = set(
        Reminder.objects.filter(report__in={r.report_id for r in planned}).values_list(
            "report_id", "offset_days", "recipient_id"
        )
    )
    return [r for r in planned if (r.report_id, r.offset_days, r.recipient_id) not in recorded]


def record(now=None):
    """Write the reminders due at `now`; a row another sweep wrote first is skipped. Returns how many were planned."""
    planned = plan(now or timezone.now())
    Reminder.objects.bulk_create(planned, ignore_conflicts=True)
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
                Reminder.objects.unsent()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("report__reporting_round", "report__city", "report__organisation", "recipient__profile")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return queued
            with outbox.one_drain():
                done = _queue_batch(batch)
            Reminder.objects.filter(pk__in=done).update(sent_at=timezone.now())
            queued += len(done)


def _outdated(reminder):
    report = reminder.report
    return report.is_submitted or report.effective_due_date != reminder.due_date


def _queue_batch(batch):
    """Queue each reminder of a claimed batch; returns the pks of those queued."""
    done = []
    for reminder in batch:
        if _outdated(reminder):
            # Submitted, or given a new date, since it was recorded: the next sweep plans from what is true now.
            reminder.delete()
            continue
        try:
            with transaction.atomic():
                mail = _queue(reminder)
        except Exception:
            # This row's own fault: it holds back no other, and the next sweep plans it again.
            logger.exception("Reminder %s of report %s could not be queued", reminder.pk, reminder.report_id)
            reminder.delete()
            continue
        if mail is not None:
            done.append(reminder.pk)
        else:
            # No one to tell (an account closed since): planned again if there is someone.
            reminder.delete()
    return done


def outbox_key(reminder):
    """ "Step −7 of due date D of report R to person P": queued once, whatever happens to the row."""
    return f"{MAIL_KIND}:{reminder.report_id}:{reminder.offset_days}:{reminder.recipient_id}:{reminder.due_date}"


def _queue(reminder):
    report = reminder.report
    # Days left as of the step's moment, or of now if it is queued late.
    today = timezone.localdate(max(reminder.scheduled_at, timezone.now()), OSLO)
    context = {
        "report": report,
        "reporting_round": report.reporting_round,
        "reporter": report.reporter_name,
        "due_date": reminder.due_date,
        "days_left": (reminder.due_date - today).days,
        "days_late": (today - reminder.due_date).days,
        "url": report_url(report),
    }
    return outbox.queue(
        MAIL_KIND, context, to=reminder.recipient, kind=MAIL_KIND, key=outbox_key(reminder), cause=reminder
    )


def withdraw_waiting(report):
    """Withdraw the reminders of `report` still waiting in the outbox (a mail server away when they were due):
    once submitted or given a new date, they are no longer true. Their rows go too, so that the next sweep
    plans again from what is true now. Returns how many reminders were withdrawn."""
    reminders = [str(pk) for pk in report.reminders.values_list("pk", flat=True)]
    if not reminders:
        return 0
    waiting = outbox.waiting_about(Reminder, [MAIL_KIND]).filter(cause_id__in=reminders)
    withdrawn = set(outbox.withdraw(waiting))
    Reminder.objects.filter(pk__in=[int(pk) for pk in withdrawn]).delete()
    return len(withdrawn)
