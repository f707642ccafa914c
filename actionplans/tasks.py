"""Celery tasks: thin, named, taking ids, safe to run twice. They queue mail; the outbox sends it."""

from celery import shared_task

from actionplans import documents, notifications, reminders, similarity
from lib.tasks import delay


@shared_task(name="actionplans.sweep_reminders")
def sweep_reminders():
    reminders.sweep()
    reminders.queue_pending()
    notifications.send_missed()
    documents.read_unread()
    delay(regroup_stale_similar)  # a task of its own: seconds of work, which must not hold up the reminders


@shared_task(name="actionplans.notify_submission")
def notify_submission(status_change_id):
    notifications.notify_submission(status_change_id)


@shared_task(name="actionplans.notify_extension_requested")
def notify_extension_requested(request_id):
    notifications.notify_extension_requested(request_id)


@shared_task(name="actionplans.notify_extension_decided")
def notify_extension_decided(request_id):
    notifications.notify_extension_decided(request_id)


@shared_task(name="actionplans.notify_review_completed")
def notify_review_completed(review_id):
    notifications.notify_review_completed(review_id)


@shared_task(name="actionplans.notify_deadline_moved")
def notify_deadline_moved(extension_id):
    notifications.notify_deadline_moved(extension_id)


@shared_task(name="actionplans.read_draft")
def read_draft(draft_id):
    documents.read_draft(draft_id)


@shared_task(name="actionplans.regroup_similar")
def regroup_similar(round_id):
    similarity.regroup_if_stale(round_id)


@shared_task(name="actionplans.refigure_similar")
def refigure_similar(round_id):
    similarity.refigure(round_id)


@shared_task(name="actionplans.regroup_stale_similar")
def regroup_stale_similar():
    similarity.regroup_stale()
