"""Celery tasks: thin, named, safe to run twice."""

import smtplib

from celery import shared_task

from meetings import notifications, reminders


@shared_task(name="meetings.sweep")
def sweep():
    """What the meetings have due: action item reminders, feedback surveys and
    their reminders, and the minutes mails whose own task never ran."""
    reminders.sweep()
    notifications.send_missed()


@shared_task(
    name="meetings.notify_minutes_published",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=30,
    max_retries=8,
)
def notify_minutes_published(minutes_id):
    notifications.send_minutes_published(minutes_id)
