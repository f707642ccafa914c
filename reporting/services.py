"""Starting a report job: one row per request, its task queued once the transaction commits.

A status report over more than `REPORT_ASYNC_CITIES` cities is built by a
Celery task (`portal.build_status_report`, see `reporting.tasks`) into a
`ReportJob`, started by a POST from the page the report's address shows,
while the user watches a progress page. A job is seen only by the one who
asked for it (`reporting.access`).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reporting import tasks
from reporting.models import ReportJob

logger = logging.getLogger(__name__)


def _queue(job_id):
    def send():
        try:
            tasks.build_status_report.delay(str(job_id))
        except Exception:
            # The job stays pending; its page says so after a while, and the user may ask again.
            logger.exception("Could not queue the report job %s", job_id)

    transaction.on_commit(send)


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
            _queue(job.pk)
    return job
