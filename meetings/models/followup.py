"""What follows a meeting: minutes with decisions and action items (reminded to their
owners), and participants' feedback."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import DeadlineExtension
from lib import limits
from lib.transitions import Transitions
from meetings.models.meetings import Meeting


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    # Organisers approve a draft and publish approved minutes; approved minutes that are changed
    # go back to draft. Published minutes stay published (corrections are not mailed again).
    TRANSITIONS = Transitions(
        Status,
        {
            Status.DRAFT: {Status.APPROVED: "meetings.change_meeting"},
            Status.APPROVED: dict.fromkeys([Status.DRAFT, Status.PUBLISHED], "meetings.change_meeting"),
            Status.PUBLISHED: {},
        },
    )

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting"))
    main_points = limits.text_field(_("main points"), limits.MAIN_POINTS, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_notified_at = models.DateTimeField(_("participants notified at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [limits.length_check("main_points", limits.MAIN_POINTS, "minutes_main_points_length")]

    def __str__(self):
        return str(self.meeting)


class Decision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("minutes"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = limits.text_field(_("decision"), limits.NOTE)
    deadline_extension = models.ForeignKey(
        DeadlineExtension,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("deadline change it made"),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [limits.length_check("text", limits.NOTE, "decision_text_length")]

    def __str__(self):
        return self.text[:80]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("minutes")
    )
    text = limits.text_field(_("what"), limits.TASK)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[limits.validate_programme_date])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [limits.length_check("text", limits.TASK, "action_item_text_length")]

    def __str__(self):
        return self.text[:80]


class ActionItemReminder(models.Model):
    """One reminder of an action item's due date to its owner, recorded once per step."""

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("action item")
    )
    offset_days = models.SmallIntegerField(_("step (days relative to the due date)"))
    email = models.EmailField(_("e-mail address"))
    scheduled_at = models.DateTimeField(_("scheduled for"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("action item reminder")
        verbose_name_plural = _("action item reminders")
        constraints = [
            models.UniqueConstraint(fields=["action_item", "offset_days"], name="action_item_reminder_once_per_step")
        ]

    def __str__(self):
        return f"{self.action_item} {self.offset_days:+d}"


class Feedback(models.Model):
    """A participant's evaluation of a gathering; one per participant, editable until the survey closes."""

    class Pace(models.TextChoices):
        TOO_TIGHT = "too_tight", _("Too tight")
        RIGHT = "right", _("About right")
        TOO_LOOSE = "too_loose", _("Too loose")

    class Enough(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("meeting"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    rating = models.PositiveSmallIntegerField(
        _("overall rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    pace = models.CharField(_("the programme was"), max_length=10, choices=Pace.choices)
    enough_discussion = models.CharField(
        _("enough time for discussion and exchange between cities"), max_length=10, choices=Enough.choices
    )
    host_usefulness = models.PositiveSmallIntegerField(
        _("usefulness of the host city's presentations and site visits"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    # The coordination group's criticism of the 2008 gatherings: the state was not concrete enough.
    state_concrete = models.PositiveSmallIntegerField(
        _("the state bodies were concrete about what they can contribute"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    state_comment = limits.text_field(_("comments on the state bodies' contribution"), limits.NOTE, blank=True)
    comment = limits.text_field(_("comments"), limits.NOTE, blank=True)
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="feedback_once_per_participant"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(state_concrete__isnull=True) | Q(state_concrete__gte=1, state_concrete__lte=5),
                name="feedback_state_concrete_1_to_5",
            ),
            limits.length_check("comment", limits.NOTE, "feedback_comment_length"),
            limits.length_check("state_comment", limits.NOTE, "feedback_state_comment_length"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.rating}"
