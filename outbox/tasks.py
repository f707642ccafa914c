"""Celery tasks: thin, named, safe to run twice (a second drain finds nothing due)."""

from celery import shared_task

from outbox import sender


@shared_task(name="outbox.drain")
def drain():
    sender.drain()


@shared_task(name="outbox.sweep")
def sweep():
    """Every minute: rows of dead workers queued again, then everything due sent (after a broker outage too)."""
    sender.sweep()
