"""Mails the meetings send by themselves: action item reminders to their
owners, and the feedback survey after a gathering with one reminder.

As with the deadline reminders, nothing fires at an exact time. The sweep
(every 15 minutes from beat) finds what is due and not yet done:

- action item reminders are recorded under a unique constraint per (item,
  step), then handed to the outbox in batches claimed under a row lock;
- survey mails and feedback reminders are claimed per invitation with one
  conditional update of its marker (`survey_sent_at`, `feedback_reminded_at`)
  that commits together with the queued mail.

Every mail is queued in the outbox under a key of its own, and the outbox sends
it. A lost sweep only delays a mail; a doubled sweep queues nothing twice.
"""

import datetime
import logging
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from actionplans.reminders import OSLO, latest_due_step, send_moment, send_moment_or_none
from lib.mail import absolute_url
from meetings import notifications
from meetings.calendar import meeting_dates
from meetings.models import ActionItem, ActionItemReminder, Feedback, Invitation, Meeting, Minutes
from meetings.rules import participant_q
from outbox import services as outbox

logger = logging.getLogger(__name__)

# Days relative to an action item's due date: two days before, and one day late.
ACTION_ITEM_OFFSETS = (-2, 1)
# Items due further back than this are done reminding (the overdue step is the last);
# items due further ahead have no step due yet, even with Easter in between.
ACTION_ITEM_HORIZON = datetime.timedelta(days=30)
ACTION_ITEM_LOOKAHEAD = datetime.timedelta(days=10)
# Days before registration closes when invitees who have not answered are reminded once.
REGISTRATION_REMINDER_DAYS = -2
# Someone invited just before then gets no reminder on the heels of the invitation.
REMINDER_AFTER_INVITATION = datetime.timedelta(days=1)
# Days after a gathering ends when those who have not answered are reminded once.
FEEDBACK_REMINDER_DAYS = 3
# A survey sent late (attendance recorded afterwards) is not followed at once by its reminder.
REMINDER_AFTER_SURVEY = datetime.timedelta(days=1)
# No survey stays open longer than this (Meeting.feedback_days is at most 90).
SURVEY_WINDOW = datetime.timedelta(days=90)
GATHERINGS = (Meeting.Kind.NETWORK_GATHERING, Meeting.Kind.GRAND_GATHERING)
# Action item reminders handed to the outbox in one transaction.
BATCH = 500


def sweep(now=None):
    """Everything the meetings have due at `now`, queued in the outbox; returns how many mails."""
    now = now or timezone.now()
    record_action_item_reminders(now)
    with outbox.one_drain():
        return (
            queue_action_item_reminders()
            + send_registration_reminders(now)
            + send_surveys(now)
            + send_feedback_reminders(now)
        )


# --- Action items -------------------------------------------------------------------------------


def plan_action_item_reminders(now):
    """The action item reminders due at `now` that are not recorded yet, as unsaved rows.

    Only open items of published minutes (a draft reaches nobody) with an owner
    who has an e-mail address; only the latest due step of each, so that after
    an outage an owner gets one mail, not two.
    """
    today = timezone.localdate(now, OSLO)
    items = (
        ActionItem.objects.filter(
            minutes__status=Minutes.Status.PUBLISHED,
            status=ActionItem.Status.OPEN,
            due_date__gte=today - ACTION_ITEM_HORIZON,
            due_date__lte=today + ACTION_ITEM_LOOKAHEAD,
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .select_related("owner")
    )
    planned = []
    for item in items:
        step = latest_due_step(item.due_date, ACTION_ITEM_OFFSETS, now)
        if step is None:
            continue
        offset, moment = step
        planned.append(
            ActionItemReminder(action_item=item, offset_days=offset, email=item.owner.email, scheduled_at=moment)
        )
    if not planned:
        return []
    recorded = set(
        ActionItemReminder.objects.filter(action_item__in={r.action_item_id for r in planned}).values_list(
            "action_item_id", "offset_days"
        )
    )
    return [r for r in planned if (r.action_item_id, r.offset_days) not in recorded]


def record_action_item_reminders(now=None):
    """Record the reminders due at `now`; a row another sweep wrote first is skipped."""
    planned = plan_action_item_reminders(now or timezone.now())
    ActionItemReminder.objects.bulk_create(planned, ignore_conflicts=True)
    return len(planned)


def queue_action_item_reminders():
    """Hand the recorded action item reminders not queued yet to the outbox; returns how many.

    A batch of rows is claimed under a lock (skipped by other sweeps), queued in the outbox and
    marked in one transaction, so a sweep that dies mid-way leaves its batch for the next. The
    outbox sends them once the transaction commits.
    """
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                ActionItemReminder.objects.filter(sent_at__isnull=True)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("action_item__owner__profile", "action_item__minutes__meeting")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return queued
            done = []
            with outbox.one_drain():
                done = _queue_action_items(batch)
            ActionItemReminder.objects.filter(pk__in=done).update(sent_at=timezone.now())
            queued += len(done)


def _queue_action_items(batch):
    done = []
    for reminder in batch:
        if _outdated(reminder):
            # Done, handed to someone else, moved or unpublished since it was recorded:
            # the next sweep plans again from what is true now.
            reminder.delete()
            continue
        try:
            with transaction.atomic():
                mail = _queue_action_item_reminder(reminder)
        except Exception:
            # This row's own fault: it holds back no other, and the next sweep plans it again.
            logger.exception("Action item reminder %s to %s could not be queued", reminder.pk, reminder.email)
            reminder.delete()
            continue
        if mail is not None:
            done.append(reminder.pk)
        else:
            reminder.delete()
    return done


def _outdated(reminder):
    item = reminder.action_item
    return (
        item.status == ActionItem.Status.DONE
        or item.minutes.status != Minutes.Status.PUBLISHED
        or item.owner is None
        or item.owner.email != reminder.email
        or item.due_date is None
        or send_moment_or_none(item.due_date, reminder.offset_days) != reminder.scheduled_at
    )


def _queue_action_item_reminder(reminder):
    item = reminder.action_item
    today = timezone.localdate(max(reminder.scheduled_at, timezone.now()), OSLO)
    meeting = item.minutes.meeting
    context = {
        "item": item,
        "meeting": meeting,
        "dates": meeting_dates(meeting),
        "due_date": item.due_date,
        "days_left": (item.due_date - today).days,
        "days_late": (today - item.due_date).days,
        "url": absolute_url(meeting.get_absolute_url()),
    }
    name = "action_item_overdue" if reminder.offset_days > 0 else "action_item_reminder"
    key = f"{name}:{item.pk}:{reminder.offset_days}:{item.owner_id}"
    return outbox.queue(name, context, to=item.owner, kind=name, key=key, cause=item)


# --- Registration ---------------------------------------------------------------------------


def registration_reminder_moment(meeting):
    """09:00 Oslo time REGISTRATION_REMINDER_DAYS before registration closes (the working day before, if need be)."""
    return send_moment(timezone.localdate(meeting.registration_closes_at, OSLO), REGISTRATION_REMINDER_DAYS)


def send_registration_reminders(now=None):
    """Remind, once, the invitees who have not answered, shortly before registration closes."""
    now = now or timezone.now()
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(
            status=Meeting.Status.PLANNED, starts_at__gt=now, invitations__response=Invitation.Response.PENDING
        )
        .distinct()
        .select_related("host_city")
        if registration_reminder_moment(m) <= now and m.registration_open(now)
    }
    invitations = (
        Invitation.objects.filter(
            meeting__in=list(meetings),
            response=Invitation.Response.PENDING,
            registration_reminded_at__isnull=True,
            invited_at__lte=now - REMINDER_AFTER_INVITATION,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user__profile")
    )
    queued = 0
    for invitation in invitations:
        with _claimed(invitation, "registration_reminded_at", now) as claimed:
            if not claimed:
                continue
            meeting = meetings[invitation.meeting_id]
            outbox.queue(
                "registration_reminder",
                notifications.invitation_context(meeting),
                to=invitation.user,
                kind="registration_reminder",
                key=f"registration_reminder:{invitation.pk}",
                cause=invitation,
            )
            queued += 1
    return queued


# --- Feedback on gatherings ---------------------------------------------------------------------


@contextmanager
def _claimed(invitation, marker, now):
    """Yields True if this run claimed the invitation's marker; the claim and the queued mail commit together.

    A failure is this invitation's own: the claim is rolled back with it, the failure logged and
    the invitation skipped, so that it holds back no other (the next sweep tries it again).
    """
    try:
        with transaction.atomic():
            yield (
                Invitation.objects.filter(pk=invitation.pk, **{f"{marker}__isnull": True}).update(**{marker: now}) == 1
            )
    except Exception:
        logger.exception("Mail (%s) of invitation %s could not be queued; skipped", marker, invitation.pk)


def _open_surveys(now):
    """Held gatherings that have ended and whose survey is still open at `now`."""
    meetings = Meeting.objects.filter(
        kind__in=GATHERINGS, status=Meeting.Status.HELD, ends_at__lte=now, ends_at__gt=now - SURVEY_WINDOW
    ).select_related("host_city")
    return {m.pk: m for m in meetings if m.feedback_open(now)}


def _participants(meetings):
    """Invitations of those who took part (attendance as recorded, else their own answer) and have not answered."""
    answered = Feedback.objects.filter(meeting=OuterRef("meeting"), user=OuterRef("user"))
    return (
        Invitation.objects.filter(meeting__in=list(meetings), user__is_active=True)
        .filter(participant_q())
        .exclude(user__email="")
        .exclude(Exists(answered))
        .select_related("user__profile")
        .order_by("meeting", "pk")
    )


def send_surveys(now=None):
    """Mail the feedback survey to each participant of a gathering that has ended, once; returns how many."""
    now = now or timezone.now()
    meetings = _open_surveys(now)
    sent = 0
    for invitation in _participants(meetings).filter(survey_sent_at__isnull=True):
        with _claimed(invitation, "survey_sent_at", now) as claimed:
            if not claimed:
                continue
            _queue_feedback_mail("feedback_survey", meetings[invitation.meeting_id], invitation)
            sent += 1
    if sent:
        Meeting.objects.filter(pk__in=list(meetings), survey_sent_at__isnull=True).update(survey_sent_at=now)
    return sent


def feedback_reminder_moment(meeting):
    """09:00 Oslo time on the working day FEEDBACK_REMINDER_DAYS after the gathering ends (or the next)."""
    return send_moment(timezone.localdate(meeting.ends_at, OSLO), FEEDBACK_REMINDER_DAYS)


def send_feedback_reminders(now=None):
    """Remind, once, the participants who got the survey and have not answered while it is open."""
    now = now or timezone.now()
    meetings = {pk: m for pk, m in _open_surveys(now).items() if feedback_reminder_moment(m) <= now}
    sent = 0
    invitations = _participants(meetings).filter(
        survey_sent_at__lte=now - REMINDER_AFTER_SURVEY, feedback_reminded_at__isnull=True
    )
    for invitation in invitations:
        with _claimed(invitation, "feedback_reminded_at", now) as claimed:
            if not claimed:
                continue
            _queue_feedback_mail("feedback_reminder", meetings[invitation.meeting_id], invitation)
            sent += 1
    return sent


def _queue_feedback_mail(name, meeting, invitation):
    context = {
        "meeting": meeting,
        "dates": meeting_dates(meeting),
        "closes_at": meeting.feedback_closes_at,
        "url": _feedback_url(meeting),
    }
    key = f"{name}:{invitation.pk}"
    outbox.queue(name, context, to=invitation.user, kind=name, key=key, cause=invitation)


def _feedback_url(meeting):
    return absolute_url(reverse("meetings:feedback", args=[meeting.pk]))
