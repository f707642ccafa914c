"""Starting a report or export job: one row per request, its task queued once the transaction commits.

A status report over more than `REPORT_ASYNC_CITIES` cities is built by a
Celery task (`portal.build_status_report`, see `reporting.tasks`) into a
`ReportJob`, started by a POST from the page the report's address shows,
while the user watches a progress page. A job is seen only by the one who
asked for it (`reporting.access`).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lib.tasks import delay_on_commit
from reporting import tasks
from reporting.models import ExportJob, ReportJob


def start_status_report(user, round_, *, language, now=None):
    """Record a job that builds `round_`'s status report for `user`, queued once the transaction commits.

    A job of the same person, round and language that is still waiting is
    reused rather than queued again, so that a second click costs nothing.
    """
    now = now or timezone.now()
    recent = now - datetime.timedelta(seconds=2 * (settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE))
    with transaction.atomic():
        job = ReportJob.objects.filter(
            user=user,
            round=round_,
            language=language,
            status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING],
            created_at__gte=recent,
        ).first()
        if job is None:
            job = ReportJob.objects.create(user=user, round=round_, language=language, created_at=now)
            # A broker that is away leaves the job pending; its page says so after a while.
            delay_on_commit(tasks.build_status_report, str(job.pk))
    return job


def start_export_job(user, table, params, *, language, now=None):
    """Record a job that builds `table` with the filters `params` (a QueryDict) as XLSX for `user`,
    its task queued once the transaction commits. The caller has checked that `user` may export the
    table (`exports.table_for`).

    A job of the same person, table, filters and language that is still waiting is reused rather
    than queued again, so that a second click costs nothing.
    """
    now = now or timezone.now()
    recent = now - datetime.timedelta(seconds=2 * (settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE))
    query = params.urlencode()
    with transaction.atomic():
        job = ExportJob.objects.filter(
            user=user,
            table=table,
            params=query,
            language=language,
            status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING],
            created_at__gte=recent,
        ).first()
        if job is None:
            job = ExportJob.objects.create(user=user, table=table, params=query, language=language, created_at=now)
            # A broker that is away leaves the job pending; its page says so after a while.
            delay_on_commit(tasks.build_export, str(job.pk))
    return job
