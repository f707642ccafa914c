"""Celery tasks: thin, named, taking ids, safe to run twice."""

import smtplib

from celery import shared_task

from actionplans import notifications, reminders

# A mail server that is down or refuses for a while is worth trying again.
RETRY = {"autoretry_for": (OSError, smtplib.SMTPException), "retry_backoff": 30, "max_retries": 8}


@shared_task(name="actionplans.sweep_reminders")
def sweep_reminders():
    reminders.sweep()
    reminders.send_pending()
    notifications.send_missed()


@shared_task(name="actionplans.notify_submission", **RETRY)
def notify_submission(status_change_id):
    notifications.notify_submission(status_change_id)


@shared_task(name="actionplans.notify_extension_requested", **RETRY)
def notify_extension_requested(request_id):
    notifications.notify_extension_requested(request_id)


@shared_task(name="actionplans.notify_extension_decided", **RETRY)
def notify_extension_decided(request_id):
    notifications.notify_extension_decided(request_id)


@shared_task(name="actionplans.notify_review_completed", **RETRY)
def notify_review_completed(review_id):
    notifications.notify_review_completed(review_id)
