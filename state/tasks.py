"""Celery tasks: thin, named, safe to run twice. They queue mail; the outbox sends it."""

from celery import shared_task

from state import reminders


@shared_task(name="state.sweep_reminders")
def sweep_reminders():
    """The reminders of the requests that wait too long for an answer (`state.reminders`)."""
    reminders.sweep()
