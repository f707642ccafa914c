"""Celery tasks: thin, named, taking ids, safe to run twice."""

from celery import shared_task
from django.conf import settings

from reporting import jobs


# The name it had in `portal`, so that a task queued before the move still runs.
@shared_task(
    name="portal.build_status_report",
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE,
)
def build_status_report(job_id):
    jobs.run_job(job_id)


# An export of one of the lists as XLSX, too large to be made while the user waits (`reporting.jobs`).
@shared_task(
    name="reporting.build_export",
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE,
)
def build_export(job_id):
    jobs.run_export_job(job_id)
