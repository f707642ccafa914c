"""Celery tasks: thin, named, safe to run twice."""

from celery import shared_task

from meetings import notifications, reminders


@shared_task(name="meetings.sweep")
def sweep():
    """What the meetings have due: action item reminders, feedback surveys and
    their reminders, and the minutes mails whose own task never ran."""
    reminders.sweep()
    notifications.send_missed()
