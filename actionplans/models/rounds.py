"""Rounds and their deadlines: extensions, reminder steps and the reminders sent."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import City
from lib import limits

OSLO = ZoneInfo("Europe/Oslo")


class RoundQuerySet(models.QuerySet):
    def current(self):
        """The round due next (today included), else the one due last; of two due the same day,
        the one opened first."""
        today = timezone.localdate(timezone.now(), OSLO)
        rounds = self.filter(deadline__isnull=False).select_related("deadline")
        upcoming = rounds.filter(deadline__due_date__gte=today).order_by("deadline__due_date", "pk").first()
        return upcoming or rounds.order_by("-deadline__due_date", "pk").first()

    def open_to_cities(self, today=None):
        """The rounds whose submitted programmes every city contact may read (see `Round.Openness`)."""
        today = today or timezone.localdate(timezone.now(), OSLO)
        return self.filter(
            models.Q(open_to_cities=Round.Openness.ALWAYS)
            | models.Q(open_to_cities=Round.Openness.AFTER_DEADLINE, deadline__due_date__lt=today)
        )


class Round(models.Model):
    """One cycle of what is due, e.g. "Handlingsprogram 2009"."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    description = limits.text_field(_("description"), limits.DESCRIPTION, blank=True)

    class Openness(models.TextChoices):
        AFTER_DEADLINE = "after_deadline", _("Once the deadline has passed")
        ALWAYS = "always", _("As soon as each is submitted")
        NEVER = "never", _("Never")

    # So that cities learn from each other: what they may read of the other cities' work.
    open_to_cities = models.CharField(
        _("cities read each other's submitted programmes"),
        max_length=20,
        choices=Openness.choices,
        default=Openness.AFTER_DEADLINE,
        help_text=_("The submitted version and its measures; never drafts, reviews or comments."),
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline__due_date", "name"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [limits.length_check("description", limits.DESCRIPTION, "round_description_length")]

    def __str__(self):
        return self.name

    def opens_to_cities(self, today=None):
        """Whether the city contacts of other cities read this round's submitted programmes now."""
        if self.open_to_cities != self.Openness.AFTER_DEADLINE:
            return self.open_to_cities == self.Openness.ALWAYS
        deadline = getattr(self, "deadline", None)
        today = today or timezone.localdate(timezone.now(), OSLO)
        return deadline is not None and deadline.due_date < today


class Deadline(models.Model):
    """When a round's action programmes are due: the end of the day in Oslo."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="deadline", verbose_name=_("round"))
    due_date = models.DateField(_("due date"), validators=[limits.validate_programme_date])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self):
        return f"{self.round}: {self.due_date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        """A new deadline starts with the default reminder steps."""
        is_new = self._state.adding
        super().save(*args, **kwargs)
        if is_new:
            ReminderStep.objects.bulk_create(
                [ReminderStep(deadline=self, offset_days=offset) for offset in DEFAULT_REMINDER_OFFSETS]
            )

    @property
    def due_at(self):
        """The first moment that is late: midnight after the due day, Oslo time."""
        return end_of_day(self.due_date)

    def days_left(self, now=None):
        return days_until(self.due_date, now)

    def is_on_time(self, moment):
        return moment < self.due_at


def days_until(day, now=None):
    """Whole calendar days from today (Oslo) to `day`; negative when past."""
    return (day - timezone.localdate(now or timezone.now(), OSLO)).days


def end_of_day(day):
    if day == datetime.date.max:  # stored by mistake: a day that never ends
        return datetime.datetime.max.replace(tzinfo=OSLO)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=OSLO)


class DeadlineExtension(models.Model):
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("deadline")
    )
    old_date = models.DateField(_("old date"))
    new_date = models.DateField(_("new date"))
    reason = limits.text_field(_("reason"), limits.NOTE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_text = models.CharField(
        _("decided by (body)"), max_length=200, blank=True, help_text=_("E.g. the coordination group.")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["decided_at"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [limits.length_check("reason", limits.NOTE, "deadline_extension_reason_length")]

    def __str__(self):
        return f"{self.old_date:%d.%m.%Y} → {self.new_date:%d.%m.%Y}"


DEFAULT_REMINDER_OFFSETS = (-14, -7, -2, 0, 1, 7)


class ReminderStep(models.Model):
    """When a deadline reminds: a number of calendar days before (negative),
    on (0) or after (positive) the due day, at 09:00 Oslo time."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminder_steps", verbose_name=_("deadline")
    )
    offset_days = models.SmallIntegerField(_("days relative to the deadline"))

    class Meta:
        ordering = ["deadline", "offset_days"]
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder steps")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "offset_days"], name="reminder_step_unique"),
            models.CheckConstraint(
                condition=Q(offset_days__gte=-366, offset_days__lte=366), name="reminder_step_within_a_year"
            ),
        ]

    def __str__(self):
        return str(self.offset_days)


class ReminderQuerySet(models.QuerySet):
    def unsent(self):
        """Waiting to be handed to the outbox: neither queued nor set aside."""
        return self.filter(queued_at__isnull=True, failed_at__isnull=True)


class Reminder(models.Model):
    """One reminder mail to one person: recorded when the sweep decides it is
    due, handed to the outbox by whoever claims it first (the outbox sends it
    and records what the mail server said). The unique constraints make the
    decision happen once per (deadline, city, step, recipient)."""

    class Kind(models.TextChoices):
        CITY = "city", _("Reminder to a city")
        OVERDUE_SUMMARY = "overdue_summary", _("Overdue summary to the programme management")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("deadline")
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("city")
    )
    offset_days = models.SmallIntegerField(_("step (days relative to the deadline)"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("recipient")
    )
    email = models.EmailField(_("e-mail address"))
    due_date = models.DateField(_("due date reminded of"))
    scheduled_at = models.DateTimeField(_("scheduled for"))
    late_cities = models.JSONField(_("late cities"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    # Could not even be queued (a bug, a date out of range); refusals by the mail server are the outbox's.
    failed_at = models.DateTimeField(_("set aside at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "city", "offset_days", "recipient"],
                condition=Q(city__isnull=False),
                name="reminder_once_per_city_step_recipient",
            ),
            models.UniqueConstraint(
                fields=["deadline", "offset_days", "recipient"],
                condition=Q(city__isnull=True),
                name="summary_once_per_step_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["queued_at"], name="reminder_queued_at_idx"),
            # What the sweep claims: the rows not queued yet, a few among many.
            models.Index(
                fields=["id"], condition=Q(queued_at__isnull=True, failed_at__isnull=True), name="reminder_unsent_idx"
            ),
        ]

    def __str__(self):
        return f"{self.deadline} {self.offset_days:+d} → {self.email}"
