"""Results: reporting rounds, and what the cities and the other parties report in them on their measures and
their agreements (status, share done, money spent, effect now), with extensions and reminders."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from actionplans.models import Measure, Round, days_until, end_of_day
from agreements.models import Agreement, Party
from cities.models import City, Organisation
from lib import limits
from lib.transitions import Transitions

# When a reporting round reminds, unless the programme management sets other steps: days before (negative),
# on (0) and after (positive) the due day, at 09:00 Oslo time.
DEFAULT_REMINDER_OFFSETS = (-14, -7, 0, 7)
SHARE_MESSAGE = _("Enter a share from 0 to 100.")


class ReportingRoundQuerySet(models.QuerySet):
    def with_counts(self):
        """How many reports each round has, and how many of them are submitted (one query for a list)."""
        submitted = Q(reports__status=ProgressReport.Status.SUBMITTED)
        return self.annotate(
            report_count=models.Count("reports", distinct=True),
            submitted_count=models.Count("reports", filter=submitted, distinct=True),
        )


class ReportingRound(models.Model):
    """A round of reporting opened by the programme management: the yearly report, or the report of 1 May on
    the use of the grant. The cities report on the measures of their programmes submitted in `programme_round`
    and on the agreements they are party to; the other parties of an agreement on their obligations."""

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly report")
        GRANT_USE = "grant_use", _("Report on the use of the grant")

    name = models.CharField(_("name"), max_length=limits.TITLE)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.YEARLY)
    programme_round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="reporting_rounds",
        verbose_name=_("reported-on round"),
        help_text=_("The round whose submitted action programmes are reported on."),
    )
    due_date = models.DateField(_("due date"), validators=[limits.validate_programme_date])
    description = limits.text_field(_("description"), limits.DESCRIPTION, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    history = HistoricalRecords()

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-due_date", "name", "pk"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [limits.length_check("description", limits.DESCRIPTION, "reporting_round_description_length")]

    def __str__(self):
        return self.name

    @property
    def due_at(self):
        """The first moment that is late: midnight after the due day, Oslo time."""
        return end_of_day(self.due_date)

    def days_left(self, now=None):
        return days_until(self.due_date, now)


class ReminderStep(models.Model):
    """When a reporting round reminds the reporters who have not submitted: days relative to their due day."""

    reporting_round = models.ForeignKey(
        ReportingRound, on_delete=models.CASCADE, related_name="reminder_steps", verbose_name=_("reporting round")
    )
    offset_days = models.SmallIntegerField(_("days relative to the due date"))

    class Meta:
        ordering = ["reporting_round", "offset_days"]
        verbose_name = _("reminder step of a reporting round")
        verbose_name_plural = _("reminder steps of reporting rounds")
        constraints = [
            models.UniqueConstraint(fields=["reporting_round", "offset_days"], name="results_reminder_step_unique"),
            models.CheckConstraint(
                condition=Q(offset_days__gte=-366, offset_days__lte=366), name="results_reminder_step_within_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.offset_days:+d}"


class ProgressReportQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ProgressReport.Status.SUBMITTED)


class ProgressReport(models.Model):
    """What one reporter (a city, or an organisation party to agreements) reports in a reporting round."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("progress report", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("progress report", "Submitted")

    # The reporter submits its draft; the programme management gives a submitted report back.
    TRANSITIONS = Transitions(
        Status,
        {
            Status.DRAFT: {Status.SUBMITTED: "results.submit_report"},
            Status.SUBMITTED: {Status.DRAFT: "results.reopen_report"},
        },
    )

    reporting_round = models.ForeignKey(
        ReportingRound, on_delete=models.PROTECT, related_name="reports", verbose_name=_("reporting round")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="progress_reports", verbose_name=_("city")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_on_time = models.BooleanField(_("submitted on time"), null=True, blank=True)
    extended_due_date = models.DateField(
        _("extended due date"),
        null=True,
        blank=True,
        validators=[limits.validate_programme_date],
        help_text=_("The reporter's own due date, from an approved extension request."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("saved at"), default=timezone.now)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["reporting_round", "city__name", "organisation__name", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False, organisation__isnull=True)
                | Q(city__isnull=True, organisation__isnull=False),
                name="progress_report_by_a_city_or_an_organisation",
            ),
            models.UniqueConstraint(
                fields=["reporting_round", "city"],
                condition=Q(city__isnull=False),
                name="progress_report_once_per_city",
            ),
            models.UniqueConstraint(
                fields=["reporting_round", "organisation"],
                condition=Q(organisation__isnull=False),
                name="progress_report_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False, submitted_on_time__isnull=False),
                name="progress_report_submitted_is_pinned",
            ),
        ]

    def __str__(self):
        return f"{self.reporter} – {self.reporting_round}"

    @property
    def reporter(self):
        return self.city if self.city_id else self.organisation

    @property
    def reporter_name(self):
        return self.city.name if self.city_id else self.organisation.short_name

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def effective_due_date(self):
        """The reporter's own extended date if it has one, else the round's."""
        return self.extended_due_date or self.reporting_round.due_date

    @property
    def effective_due_at(self):
        return end_of_day(self.effective_due_date)

    def days_left(self, now=None):
        return days_until(self.effective_due_date, now)

    def is_on_time(self, moment):
        return moment < self.effective_due_at


class ReportStatusChange(models.Model):
    """Who moved a report from which status to which, and when."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("progress report")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ProgressReport.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProgressReport.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    comment = limits.text_field(_("comment"), limits.NOTE, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("progress report status change")
        verbose_name_plural = _("progress report status changes")
        constraints = [limits.length_check("comment", limits.NOTE, "progress_report_change_comment_length")]

    def __str__(self):
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("progress", "Not started")
    UNDER_WAY = "under_way", pgettext_lazy("progress", "Under way")
    DONE = "done", pgettext_lazy("progress", "Done")
    STOPPED = "stopped", pgettext_lazy("progress", "Stopped")


class Progress(models.Model):
    """What is reported on one measure or one obligation: how far it has come, what it cost and what it does."""

    status = models.CharField(_("status"), max_length=20, choices=ProgressStatus.choices, default="not_started")
    share_done = models.PositiveSmallIntegerField(
        _("share done (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=SHARE_MESSAGE), MaxValueValidator(100, message=SHARE_MESSAGE)],
    )
    spent = models.DecimalField(
        _("spent (NOK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=limits.amount_validators(),
    )
    effect_now = models.DecimalField(
        _("effect now (t CO₂e per year)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=limits.effect_validators(),
        help_text=_("The reduction achieved, or expected as things stand now. A negative value is an increase."),
    )
    text = limits.text_field(_("comment"), limits.NOTE, blank=True)

    class Meta:
        abstract = True


def progress_checks(prefix):
    """The database's side of the bounds of `Progress`'s numbers."""
    return [
        models.CheckConstraint(
            condition=Q(share_done__isnull=True) | Q(share_done__gte=0, share_done__lte=100),
            name=f"{prefix}_share_within_bounds",
        ),
        models.CheckConstraint(
            condition=Q(spent__isnull=True) | Q(spent__gte=0, spent__lte=limits.MAX_AMOUNT),
            name=f"{prefix}_spent_within_bounds",
        ),
        models.CheckConstraint(
            condition=Q(effect_now__isnull=True)
            | Q(effect_now__gte=-limits.MAX_EFFECT, effect_now__lte=limits.MAX_EFFECT),
            name=f"{prefix}_effect_within_bounds",
        ),
        limits.length_check("text", limits.NOTE, f"{prefix}_text_length"),
    ]


# The measures and agreements reported on belong to apps that may delete them (a measure of a reopened
# programme, a party taken off an agreement) and know nothing of results: their reports go with them.
class MeasureProgress(Progress):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="measure_rows", verbose_name=_("progress report")
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress", verbose_name=_("measure"))

    class Meta:
        ordering = ["report", "measure__theme_area__order", "measure__title", "pk"]
        verbose_name = _("progress of a measure")
        verbose_name_plural = _("progress of measures")
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="measure_progress_once_per_report"),
            *progress_checks("measure_progress"),
        ]

    def __str__(self):
        return f"{self.measure} ({self.report_id})"


class AgreementProgress(Progress):
    """A party's report on its obligations under an agreement: a city's in its city's report, an
    organisation's in its own, written by its partners."""

    reporting_round = models.ForeignKey(
        ReportingRound, on_delete=models.PROTECT, related_name="agreement_rows", verbose_name=_("reporting round")
    )
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="agreement_rows", verbose_name=_("progress report")
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="progress", verbose_name=_("agreement")
    )
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="progress", verbose_name=_("party"))

    class Meta:
        ordering = ["report", "agreement__title", "pk"]
        verbose_name = _("progress of an agreement")
        verbose_name_plural = _("progress of agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_round", "agreement", "party"], name="agreement_progress_once_per_round_and_party"
            ),
            *progress_checks("agreement_progress"),
        ]

    def __str__(self):
        return f"{self.agreement} – {self.party_id} ({self.reporting_round_id})"


class ExtensionRequest(models.Model):
    """A reporter asks for more time; the programme management approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("extension request", "Pending")
        APPROVED = "approved", pgettext_lazy("extension request", "Approved")
        DECLINED = "declined", pgettext_lazy("extension request", "Declined")

    TRANSITIONS = Transitions(
        Status,
        {
            Status.PENDING: dict.fromkeys([Status.APPROVED, Status.DECLINED], "results.decide_extension"),
            Status.APPROVED: {},
            Status.DECLINED: {},
        },
    )

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="extension_requests", verbose_name=_("progress report")
    )
    requested_date = models.DateField(_("requested new date"), validators=[limits.validate_programme_date])
    reason = limits.text_field(_("reason"), limits.NOTE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = limits.text_field(_("comment"), limits.NOTE, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("extension request of a progress report")
        verbose_name_plural = _("extension requests of progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="pending"), name="results_one_pending_extension"
            ),
            limits.length_check("reason", limits.NOTE, "results_extension_reason_length"),
            limits.length_check("comment", limits.NOTE, "results_extension_comment_length"),
        ]

    def __str__(self):
        return f"{self.report}: {self.requested_date:%d.%m.%Y}"


class ReminderQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class Reminder(models.Model):
    """One reminder of a report not submitted to one person, recorded once per (report, step, recipient) by
    the sweep (under the unique constraint) and handed to the outbox by whoever claims it first."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("progress report")
    )
    offset_days = models.SmallIntegerField(_("step (days relative to the due date)"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    due_date = models.DateField(_("due date reminded of"))
    scheduled_at = models.DateTimeField(_("scheduled for"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "pk"]
        verbose_name = _("reminder of a progress report")
        verbose_name_plural = _("reminders of progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "offset_days", "recipient"], name="results_reminder_once_per_step_recipient"
            )
        ]
        indexes = [models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="results_reminder_unsent_idx")]

    def __str__(self):
        return f"{self.report_id} {self.offset_days:+d} → {self.recipient_id}"
