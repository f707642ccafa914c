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
from collections import defaultdict
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionProgramme, Deadline, Reminder
from cities.models import Membership
from lib.mail import absolute_url
from outbox import services as outbox

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


@functools.cache
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
    waiting = (
        ActionProgramme.objects.filter(round__deadline__in=deadlines)
        .exclude(status=ActionProgramme.Status.SUBMITTED)
        .annotate(due=Coalesce("extended_due_date", "round__deadline__due_date"))
    )
    # Most cities share their round's date: only the dates with a step due are looked at city by city.
    due = _dates_with_a_step_due(waiting.values_list("round__deadline", "due").distinct(), deadlines, now)
    programmes = [
        p
        for p in waiting.filter(round__deadline__in={d for d, _ in due}, due__in={day for _, day in due})
        .select_related("city", "round__deadline")
        .order_by("pk")
        if (p.round.deadline.pk, p.due) in due
    ]
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


def _dates_with_a_step_due(pairs, deadlines, now):
    """Of (deadline, due date) pairs, those with a reminder step due at `now` (or that cannot be
    reckoned with: `_plan_city` logs those, city by city)."""
    due = set()
    for deadline_id, day in pairs:
        offsets = [s.offset_days for s in deadlines[deadline_id].reminder_steps.all()]
        try:
            if latest_due_step(day, offsets, now) is None:
                continue
        except Exception:  # noqa: S110 - logged with its city below
            pass
        due.add((deadline_id, day))
    return due


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


# Reminders handed to the outbox in one transaction.
BATCH = 500
# The outbox's kinds of the mails sent here.
MAIL_KINDS = ("reminder", "reminder_overdue", "reminder_summary")


def queue_pending():
    """Hand every recorded reminder not queued yet to the outbox; returns how many were queued.

    A batch of rows is claimed under a lock (skipped by other sweeps), rendered, put in the outbox
    and marked queued in one transaction, so a sweep that dies mid-way leaves its batch for the
    next. No mail server is spoken to here: the outbox sends once the transaction commits (and
    retries, and records refusals). A row that cannot be rendered (a bug, a date out of range) is
    logged and set aside, so that it holds back no other.
    """
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                Reminder.objects.unsent()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("deadline__round", "city", "recipient__profile")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return queued
            programmes = _programmes_of(batch)
            with outbox.one_drain():
                done = _queue_batch(batch, programmes)
            Reminder.objects.filter(pk__in=done).update(queued_at=timezone.now())
            queued += len(done)


def _queue_batch(batch, programmes):
    """Queue each reminder of a claimed batch; returns the pks of those queued."""
    done = []
    for reminder in batch:
        programme = programmes.get((reminder.deadline.round_id, reminder.city_id))
        if reminder.kind == Reminder.Kind.CITY and _outdated(reminder, programme):
            # Recorded before the city submitted or its date moved: the next
            # sweep plans again from what is true now.
            reminder.delete()
            continue
        try:
            with transaction.atomic():
                mail = _queue(reminder, programme)
        except Exception as error:
            logger.exception("Reminder %s to %s could not be queued; set aside", reminder.pk, reminder.email)
            _set_aside(reminder, f"{type(error).__name__}: {error}")
            continue
        if mail is None:
            _set_aside(reminder, "The recipient has no active account or address.")
            continue
        done.append(reminder.pk)
    return done


def _programmes_of(reminders):
    """The programmes the city reminders of a batch are about, by (round, city): one query."""
    rounds = {r.deadline.round_id for r in reminders if r.city_id}
    cities = {r.city_id for r in reminders if r.city_id}
    programmes = ActionProgramme.objects.filter(round__in=rounds, city__in=cities).select_related("round__deadline")
    return {(p.round_id, p.city_id): p for p in programmes}


def _set_aside(reminder, error):
    reminder.failed_at, reminder.error = timezone.now(), error[:300]
    reminder.save(update_fields=["failed_at", "error"])


def _outdated(reminder, programme):
    return programme is None or programme.is_submitted or programme.effective_due_date != reminder.due_date


def outbox_key(reminder):
    """ "Step −7 of due date D of deadline L for city C to person P": queued once, whatever happens to the row."""
    city = reminder.city_id or "summary"
    return f"reminder:{reminder.deadline_id}:{city}:{reminder.offset_days}:{reminder.recipient_id}:{reminder.due_date}"


def withdraw_outdated(deadline):
    """Withdraw the city reminders of `deadline` queued but not sent that are no longer true.

    A mail server that was away at 09:00 leaves the reminders in the outbox; a city that submits
    at 10:00, or whose date moves, must not get them at 10:15. Their rows go too, so that the next
    sweep plans again from what is true now. Returns how many were withdrawn.
    """
    queued = outbox.waiting_about(Reminder, MAIL_KINDS)
    candidates = list(
        Reminder.objects.filter(deadline=deadline, kind=Reminder.Kind.CITY, queued_at__isnull=False)
        .filter(pk__in=[int(pk) for pk in queued.values_list("cause_id", flat=True)])
        .select_related("deadline")
    )
    if not candidates:
        return 0
    programmes = _programmes_of(candidates)
    outdated = [r for r in candidates if _outdated(r, programmes.get((r.deadline.round_id, r.city_id)))]
    withdrawn = outbox.withdraw(queued.filter(cause_id__in=[str(r.pk) for r in outdated]))
    Reminder.objects.filter(pk__in=[int(pk) for pk in withdrawn]).delete()
    return len(withdrawn)


def _queue(reminder, programme):
    # Days left as of the step's moment, or of now if it is queued late.
    today = timezone.localdate(max(reminder.scheduled_at, timezone.now()), OSLO)
    context = {
        "reminder": reminder,
        "round": reminder.deadline.round,
        "due_date": reminder.due_date,
        "days_left": (reminder.due_date - today).days,
        "days_late": (today - reminder.due_date).days,
    }
    if reminder.kind == Reminder.Kind.CITY:
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
    return outbox.queue(name, context, to=reminder.recipient, kind=name, key=outbox_key(reminder), cause=reminder)


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
