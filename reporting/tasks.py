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
