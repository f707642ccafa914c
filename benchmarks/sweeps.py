"""Beat's sweeps at scale: when nothing is due, and when a reminder step is due for every city."""

import datetime
import statistics
import time


def idle(runs=3):
    """Median seconds of beat's three sweeps (reminders, meetings, outbox) when nothing is due."""
    from actionplans import tasks as actionplan_tasks
    from meetings import tasks as meeting_tasks
    from outbox import tasks as outbox_tasks

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        actionplan_tasks.sweep_reminders()
        meeting_tasks.sweep()
        outbox_tasks.sweep()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def due_for_every_city(builder):
    """{'seconds', 'recorded'}: the reminder sweep the hour after a step fell due for every city that
    has not submitted, recording one reminder per contact; then the step and its reminders go again."""
    from django.db import transaction

    from actionplans import reminders
    from actionplans.models import ActionProgramme, Reminder, ReminderStep

    # A step before the round's own (the deadline is 30 days ahead): due an hour ago, for every city.
    step, created = ReminderStep.objects.get_or_create(deadline=builder.round.deadline, offset_days=-29)
    moment = reminders.send_moment(builder.round.deadline.due_date, -29) + datetime.timedelta(hours=1)
    waiting = ActionProgramme.objects.filter(round=builder.round).exclude(status="submitted").count()
    try:
        start = time.perf_counter()
        reminders.sweep(now=moment)
        seconds = time.perf_counter() - start
        recorded = Reminder.objects.count()
    finally:
        with transaction.atomic():
            Reminder.objects.all().delete()
            if created:
                step.delete()
    return {"seconds": seconds, "recorded": recorded, "waiting": waiting}
