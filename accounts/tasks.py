"""Celery tasks of the accounts app: thin, named, safe to run twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.models import SecurityEvent


def prune_security_log(now=None):
    """Delete the security log's entries older than SECURITY_LOG_RETENTION_DAYS; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=limit).delete()
    return deleted


@shared_task(name="accounts.prune_security_log")
def prune_security_log_task():
    return prune_security_log()
