"""What a worker does for a report job: build its PDF, once, and keep it."""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from reporting.models import ReportJob, report_upload_to
from reporting.reports import render_status_report

logger = logging.getLogger(__name__)


def run_job(job_id, now=None):
    """Build the PDF of a pending job and store it under MEDIA_ROOT/reports/.

    Claims the job with one conditional update: a task that runs twice, or
    after another finished, does nothing. A job left running by a worker
    killed at the hard time limit is taken over, until it has used its
    attempts; then it is marked failed. Any error marks it failed too.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE)
    waiting = Q(status=ReportJob.Status.PENDING) | Q(status=ReportJob.Status.RUNNING, started_at__lt=stale)
    claimed = ReportJob.objects.filter(waiting, pk=job_id, attempts__lt=ReportJob.MAX_ATTEMPTS).update(
        status=ReportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        ReportJob.objects.filter(waiting, pk=job_id).update(
            status=ReportJob.Status.FAILED, finished_at=now, error="Stopped at the time limit too often."
        )
        return
    job = ReportJob.objects.select_related("round__deadline", "user").get(pk=job_id)
    try:
        pdf = render_status_report(job.user, job.round, language=job.language, now=now)
        name = report_upload_to(job, "")
        job.file.storage.delete(name)  # left by a worker stopped before it could finish
        job.file.save(name, ContentFile(pdf), save=False)
    except Exception as error:  # the soft time limit included
        logger.exception("Report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.FAILED, finished_at=timezone.now(), error=str(error)[:300] or type(error).__name__
        )
        return
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.DONE, file=job.file.name, finished_at=timezone.now(), error=""
    )
