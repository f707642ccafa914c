"""Celery tasks: thin, named, safe to run twice. They queue mail; the outbox sends it."""

from celery import shared_task

from results import reminders, services


@shared_task(name="results.sweep")
def sweep():
    """The reports of those who became reporters since their round opened, then the reminders of the reports
    not submitted (`results.reminders`)."""
    services.ensure_current_reports()
    reminders.sweep()
