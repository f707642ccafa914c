"""What reporting keeps: status reports and spreadsheet exports built in the background."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import Round


def report_upload_to(instance, filename):
    """A name the server makes: the job's own id."""
    return f"reports/{instance.pk}.pdf"


class BackgroundJob(models.Model):
    """What a report job and an export job share: who asked, in which language, how far the
    worker is, and when. The task claims the row with one conditional update, so a task
    delivered twice does the work once; a worker killed at the hard time limit leaves the row
    running, and the next delivery takes it over, up to MAX_ATTEMPTS times."""

    MAX_ATTEMPTS = 2

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_waiting(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def is_stalled(self, now=None):
        """Running for longer than a worker may: the worker died, and no one took the job over."""
        limit = datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE)
        return self.status == self.Status.RUNNING and self.started_at < (now or timezone.now()) - limit


class ReportJob(BackgroundJob):
    """A status report a Celery worker builds for one person, and the PDF it made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("requested by")
    )
    # A job is a passing artefact: it goes with its round.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("round"))
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=200, blank=True)

    class Meta(BackgroundJob.Meta):
        # The table it had when it belonged to `portal`, so no stored job is lost.
        db_table = "portal_reportjob"
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self):
        return f"{self.round} ({self.get_status_display()})"


def export_upload_to(instance, filename):
    """A name the server makes: the job's own id."""
    return f"exports/{instance.pk}.xlsx"


class ExportJob(BackgroundJob):
    """A spreadsheet (XLSX) of one of the portal's lists (`reporting.tables`) that a Celery
    worker builds for one person, with the filters they chose, and the file it made.

    The rows are those the person may read when the worker builds it, by the
    table's own rules; the job's page and file are theirs only, and only while
    they may still export the table.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("requested by")
    )
    table = models.CharField(_("list"), max_length=30)
    # The list's filters, as the query string of its page.
    params = models.CharField(_("filters"), max_length=1000, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=export_upload_to, max_length=200, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.table} ({self.get_status_display()})"

    @property
    def query(self):
        """The filters as a QueryDict, as the table functions take them."""
        return QueryDict(self.params)

    @property
    def param_pairs(self):
        """The filters as (name, value) pairs, for the hidden fields of a form that asks again."""
        return [(name, value) for name, values in self.query.lists() for value in values]

    @property
    def percent(self):
        """How much of the file is written, in whole percent (None before the rows are counted)."""
        if not self.rows_total:
            return None
        return min(100, 100 * self.rows_done // self.rows_total)
