"""What reporting keeps: status reports built in the background."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import Round


def report_upload_to(instance, filename):
    """A name the server makes: the job's own id."""
    return f"reports/{instance.pk}.pdf"


class ReportJob(models.Model):
    """A status report a Celery worker builds for one person, and the PDF it made.

    The task claims the row with one conditional update, so a task delivered
    twice builds the report once. A worker killed at the hard time limit
    leaves the row running; the next delivery takes it over, up to
    MAX_ATTEMPTS times.
    """

    MAX_ATTEMPTS = 2

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("requested by")
    )
    # A job is a passing artefact: it goes with its round.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("round"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        # The table it had when it belonged to `portal`, so no stored job is lost.
        db_table = "portal_reportjob"
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self):
        return f"{self.round} ({self.get_status_display()})"

    @property
    def is_waiting(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def is_stalled(self, now=None):
        """Running for longer than a worker may: the worker died, and no one took the job over."""
        limit = datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + settings.REPORT_TIME_LIMIT_GRACE)
        return self.status == self.Status.RUNNING and self.started_at < (now or timezone.now()) - limit
