"""Deadline reminders: when each step is due, and sending each one once.

Nothing here fires at an exact time. A sweep (every 15 minutes from beat, or
`manage.py send_reminders` from cron) works out, for every city that has not
submitted, the latest reminder step that is due, and records one row per
recipient under a unique constraint. A lost sweep only delays a reminder; a
doubled sweep records nothing new. Senders then claim unsent rows one at a
time under a row lock, so two workers never send the same row.
"""

import datetime
import functools
import logging
import smtplib
from collections import defaultdict
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionProgramme, Deadline, Reminder
from cities.models import Membership, language_of
from lib.mail import absolute_url, send_mail

logger = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
SEND_TIME = datetime.time(9, 0)
# Deadlines further back than this are done reminding.
HORIZON = datetime.timedelta(days=400)


@functools.cache
def _public_holidays(year):
    return frozenset(holidays.Norway(years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def send_moment(due_date, offset_days):
    """09:00 Oslo time on the step's day, in calendar days from the due date.

    A step on a weekend or public holiday moves to the working day before,
    except an overdue step (after the due day), which moves to the working
    day after: moving it back could remind of lateness before the deadline.
    """
    day = due_date + datetime.timedelta(days=offset_days)
    direction = datetime.timedelta(days=1 if offset_days > 0 else -1)
    while not is_working_day(day):
        day += direction
    return datetime.datetime.combine(day, SEND_TIME, tzinfo=OSLO)


def send_moment_or_none(due_date, offset_days):
    """`send_moment`, or None for a step beyond the calendar (a due date stored as year 1 or 9999)."""
    try:
        return send_moment(due_date, offset_days)
    except OverflowError:
        return None


def latest_due_step(due_date, offsets, now):
    """(offset, moment) of the step most recently due at `now`, or None.

    Only the latest counts: after an outage a city gets the step that is due
    now, not every step it missed.
    """
    due = [(send_moment(due_date, offset), offset) for offset in offsets]
    due = [(moment, offset) for moment, offset in due if moment <= now]
    if not due:
        return None
    moment, offset = max(due)
    return offset, moment


def plan(now):
    """The reminders due at `now` that are not recorded yet, as unsaved rows."""
    today = timezone.localdate(now, OSLO)
    deadlines = {
        d.pk: d
        for d in Deadline.objects.filter(due_date__gte=today - HORIZON, due_date__lte=today + HORIZON).prefetch_related(
            "reminder_steps"
        )
    }
    programmes = list(
        ActionProgramme.objects.filter(round__deadline__in=deadlines)
        .exclude(status=ActionProgramme.Status.SUBMITTED)
        .select_related("city", "round__deadline")
    )
    contacts = defaultdict(list)
    for m in Membership.objects.filter(
        role=Membership.Role.CITY_CONTACT, city__in={p.city_id for p in programmes}, user__is_active=True
    ).select_related("user"):
        if m.user.email:
            contacts[m.city_id].append(m.user)

    planned = []
    for programme in programmes:
        # Each city on its own: one that cannot be reckoned with holds back no other.
        try:
            planned += _plan_city(programme, deadlines[programme.round.deadline.pk], contacts, now)
        except Exception:
            logger.exception("Reminders of %s (due %s) skipped", programme, programme.effective_due_date)
    planned += _plan_summaries(deadlines.values(), programmes, now)
    return _not_recorded(planned)


def _plan_city(programme, deadline, contacts, now):
    offsets = [s.offset_days for s in deadline.reminder_steps.all()]
    step = latest_due_step(programme.effective_due_date, offsets, now)
    if step is None:
        return []
    offset, moment = step
    return [
        Reminder(
            deadline=deadline,
            city=programme.city,
            offset_days=offset,
            kind=Reminder.Kind.CITY,
            recipient=user,
            email=user.email,
            due_date=programme.effective_due_date,
            scheduled_at=moment,
        )
        for user in contacts[programme.city_id]
    ]


def _is_late(programme, moment):
    try:
        return not programme.is_on_time(moment)
    except Exception:
        logger.exception("%s (due %s) left out of the overdue summary", programme, programme.effective_due_date)
        return False


def _plan_summaries(deadlines, programmes, now):
    """One summary per overdue step to each programme manager, listing the late cities."""
    managers = [
        m.user
        for m in Membership.objects.filter(
            role=Membership.Role.PROGRAMME_MANAGEMENT, user__is_active=True
        ).select_related("user")
        if m.user.email
    ]
    planned = []
    for deadline in deadlines:
        offsets = [s.offset_days for s in deadline.reminder_steps.all() if s.offset_days > 0]
        try:
            step = latest_due_step(deadline.due_date, offsets, now)
        except Exception:
            logger.exception("Overdue summary of %s skipped", deadline)
            continue
        if step is None:
            continue
        offset, moment = step
        late = sorted(p.city.name for p in programmes if p.round.deadline.pk == deadline.pk and _is_late(p, moment))
        if not late:
            continue
        planned += [
            Reminder(
                deadline=deadline,
                city=None,
                offset_days=offset,
                kind=Reminder.Kind.OVERDUE_SUMMARY,
                recipient=user,
                email=user.email,
                due_date=deadline.due_date,
                scheduled_at=moment,
                late_cities=late,
            )
            for user in {u.pk: u for u in managers}.values()
        ]
    return planned


def _key(r):
    return (r.deadline_id, r.city_id, r.offset_days, r.recipient_id)


def _not_recorded(planned):
    if not planned:
        return []
    recorded = set(
        Reminder.objects.filter(deadline__in={r.deadline_id for r in planned}).values_list(
            "deadline_id", "city_id", "offset_days", "recipient_id"
        )
    )
    return [r for r in planned if _key(r) not in recorded]


def record(planned):
    """Write the planned rows; a row another sweep wrote first is skipped."""
    Reminder.objects.bulk_create(planned, ignore_conflicts=True)
    return len(planned)


def sweep(now=None):
    """Record every reminder due at `now`; returns how many were planned."""
    return record(plan(now or timezone.now()))


def send_pending(limit=1000):
    """Send recorded reminders not yet sent; returns how many were sent.

    Each row is claimed under a lock (skipped by other senders) and marked
    sent in the same transaction, so a sender that dies mid-way leaves the row
    for the next one. A failing mail server stops the run; the next sweep tries again. A row
    that cannot be sent for any other reason (a bug, a date out of range) is
    logged and set aside as refused, so that it holds back no other.
    """
    sent = 0
    while sent < limit:
        with transaction.atomic():
            reminder = (
                Reminder.objects.unsent()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("deadline__round", "city", "recipient__profile")
                .order_by("scheduled_at", "pk")
                .first()
            )
            if reminder is None:
                break
            try:
                if _outdated(reminder):
                    # Recorded before the city submitted or its date moved: the next
                    # sweep plans again from what is true now.
                    reminder.delete()
                    continue
                _send(reminder)
            except smtplib.SMTPResponseException as error:
                if error.smtp_code < 500:
                    raise  # a passing refusal: the next sweep tries again
                _refused(reminder, f"{error.smtp_code} {error.smtp_error!r}")
                continue
            except smtplib.SMTPRecipientsRefused as error:
                _refused(reminder, repr(error.recipients)[:300])
                continue
            except OSError:
                raise  # the mail server is away: the next sweep tries again
            except Exception as error:
                logger.exception("Reminder %s to %s could not be sent; set aside", reminder.pk, reminder.email)
                _set_aside(reminder, f"{type(error).__name__}: {error}")
                continue
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
        sent += 1
    return sent


def _refused(reminder, error):
    """The mail server will never take this one (a bad address): keep it aside so it blocks no other."""
    logger.warning("Reminder %s to %s refused: %s", reminder.pk, reminder.email, error)
    reminder.failed_at, reminder.error = timezone.now(), error[:300]
    reminder.save(update_fields=["failed_at", "error"])


def _set_aside(reminder, error):
    reminder.failed_at, reminder.error = timezone.now(), error[:300]
    reminder.save(update_fields=["failed_at", "error"])


def _outdated(reminder):
    if reminder.kind != Reminder.Kind.CITY:
        return False
    programme = ActionProgramme.objects.select_related("round__deadline").get(
        round=reminder.deadline.round_id, city=reminder.city_id
    )
    return programme.is_submitted or programme.effective_due_date != reminder.due_date


def _send(reminder):
    # Days left as of the step's moment, or of now if it is sent late.
    today = timezone.localdate(max(reminder.scheduled_at, timezone.now()), OSLO)
    context = {
        "reminder": reminder,
        "round": reminder.deadline.round,
        "due_date": reminder.due_date,
        "days_left": (reminder.due_date - today).days,
        "days_late": (today - reminder.due_date).days,
    }
    if reminder.kind == Reminder.Kind.CITY:
        programme = ActionProgramme.objects.get(round=reminder.deadline.round, city=reminder.city)
        context |= {
            "city": reminder.city,
            "url": absolute_url(reverse("actionplans:programme_detail", args=[programme.pk])),
        }
        name = "reminder_overdue" if reminder.offset_days > 0 else "reminder"
    else:
        context |= {
            "late_cities": reminder.late_cities,
            "url": absolute_url(reverse("actionplans:programme_list") + f"?round={reminder.deadline.round.slug}"),
        }
        name = "reminder_summary"
    send_mail(name, context, to=[reminder.email], language=language_of(reminder.recipient))


def upcoming(now, limit=50):
    """The next reminder step of each city that has not submitted, soonest first."""
    today = timezone.localdate(now, OSLO)
    programmes = (
        ActionProgramme.objects.filter(round__deadline__due_date__gte=today - HORIZON)
        .exclude(status=ActionProgramme.Status.SUBMITTED)
        .select_related("city", "round__deadline")
        .prefetch_related("round__deadline__reminder_steps")
    )
    rows = []
    for programme in programmes:
        steps = programme.round.deadline.reminder_steps.all()
        moments = [(send_moment_or_none(programme.effective_due_date, s.offset_days), s.offset_days) for s in steps]
        future = [(moment, offset) for moment, offset in moments if moment is not None and moment > now]
        if future:
            moment, offset = min(future)
            rows.append({"programme": programme, "moment": moment, "offset": offset})
    return sorted(rows, key=lambda row: (row["moment"], row["programme"].city.name))[:limit]
