"""Celery tasks: thin, named, taking ids, safe to run twice."""

from celery import shared_task
from django.conf import settings

from portal import reports


@shared_task(
    name="portal.build_status_report",
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE,
)
def build_status_report(job_id):
    reports.run_job(job_id)
