"""What a worker does for a report job (build its PDF) or an export job (build its XLSX): once, and keep it."""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone, translation

from reporting import exports
from reporting.models import ExportJob, ReportJob, export_upload_to, report_upload_to
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


def _stale(now):
    return now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE)


def run_export_job(job_id, now=None):
    """Build the XLSX of a pending export job and store it under MEDIA_ROOT/exports/.

    The rows are those the job's user may read now, with the job's filters, in
    the job's language. Claimed as a report job is (`run_job`): a task that runs
    twice, or after another finished, does nothing; a job left running by a
    killed worker is taken over until it has used its attempts. Records the
    number of rows, and how many are written every few thousand, for its page.
    Any error (the user no longer allowed included) marks it failed.
    """
    now = now or timezone.now()
    waiting = Q(status=ExportJob.Status.PENDING) | Q(status=ExportJob.Status.RUNNING, started_at__lt=_stale(now))
    claimed = ExportJob.objects.filter(waiting, pk=job_id, attempts__lt=ExportJob.MAX_ATTEMPTS).update(
        status=ExportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1, rows_done=0
    )
    if not claimed:
        ExportJob.objects.filter(waiting, pk=job_id).update(
            status=ExportJob.Status.FAILED, finished_at=now, error="Stopped at the time limit too often."
        )
        return
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    mine = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING)
    try:
        with translation.override(job.language):
            table = exports.table_for(job.user, job.table, "xlsx", job.query)
            mine.update(rows_total=table.count())
            name = export_upload_to(job, "")
            with tempfile.TemporaryFile() as out:
                written = exports.write_xlsx(table, out, progress=lambda rows: mine.update(rows_done=rows))
                out.seek(0)
                job.file.storage.delete(name)  # left by a worker stopped before it could finish
                job.file.save(name, File(out), save=False)
    except Exception as error:  # the soft time limit, and a refusal of the table, included
        logger.exception("Export job %s failed", job_id)
        mine.update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(), error=str(error)[:300] or type(error).__name__
        )
        return
    mine.update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        filename=f"{table.name}.xlsx",
        rows_done=written,
        rows_total=written,
        finished_at=timezone.now(),
        error="",
    )
