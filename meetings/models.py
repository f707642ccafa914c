"""Meetings of the network: agenda, invitations and registration, attachments,
minutes with decisions and action items, participants' feedback and the
hosting checklist."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import DeadlineExtension, Measure
from cities.models import City, ThemeArea
from lib import limits
from lib.transitions import Transitions
from lib.uploads import StoredFile


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        COORDINATION_GROUP = "coordination_group", _("Coordination group")
        ADMINISTRATIVE = "administrative", _("Administrative meeting")
        NETWORK_GATHERING = "network_gathering", _("Network gathering")
        GRAND_GATHERING = "grand_gathering", _("Grand gathering")
        POLITICAL = "political", _("Political meeting and city conference")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        BROKEN_OFF = "broken_off", _("Broken off")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = limits.text_field(_("description"), limits.DESCRIPTION, blank=True)
    theme_areas = models.ManyToManyField(
        ThemeArea, blank=True, related_name="meetings", verbose_name=_("theme areas (networks)")
    )
    host_city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host city"),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), validators=[limits.validate_programme_date])
    ends_at = models.DateTimeField(_("ends"), validators=[limits.validate_programme_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("continues the meeting"),
    )
    registration_deadline = models.DateField(
        _("registration deadline"), null=True, blank=True, validators=[limits.validate_programme_date]
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("days the feedback survey stays open"), default=14, validators=[MaxValueValidator(90)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    survey_sent_at = models.DateTimeField(_("survey sent at"), null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"),
            limits.length_check("description", limits.DESCRIPTION, "meeting_description_length"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_gathering(self):
        return self.kind in (self.Kind.NETWORK_GATHERING, self.Kind.GRAND_GATHERING)

    @property
    def feedback_closes_at(self):
        return self.ends_at + datetime.timedelta(days=self.feedback_days)

    def feedback_open(self, now=None):
        now = now or timezone.now()
        return self.is_gathering and self.status == self.Status.HELD and self.ends_at <= now < self.feedback_closes_at


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        SITE_VISIT = "site_visit", _("Site visit")
        DISCUSSION = "discussion", _("Discussion")
        PLENARY = "plenary", _("Plenary")
        PARALLEL = "parallel", _("Parallel session")
        BREAK = "break", _("Break")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    starts_at = models.DateTimeField(_("starts"), validators=[limits.validate_programme_date])
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, validators=[limits.validate_programme_date])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Where a site visit goes."))
    measures = models.ManyToManyField(Measure, blank=True, related_name="site_visits", verbose_name=_("measures shown"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class Invitation(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", _("Not answered")
        ATTENDING = "attending", _("Attending")
        NOT_ATTENDING = "not_attending", _("Not attending")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("invitee")
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    response = models.CharField(_("response"), max_length=20, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("survey sent at"), null=True, blank=True, editable=False)
    feedback_reminded_at = models.DateTimeField(_("feedback reminder sent at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "user__last_name", "user__username"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="invitation_once_per_person")]

    def __str__(self):
        return f"{self.user} → {self.meeting}"


def attachment_upload_to(instance, filename):
    """A name the server makes; the uploaded name is kept only for display."""
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(StoredFile):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


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
            limits.length_check("comment", limits.NOTE, "feedback_comment_length"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.rating}"


class ChecklistTemplateItem(models.Model):
    """The hosting recipe: what a host city sees to for a network gathering."""

    text = models.CharField(_("task"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("hosting recipe item")
        verbose_name_plural = _("hosting recipe")

    def __str__(self):
        return self.text


class ChecklistItem(models.Model):
    """One gathering's own copy of a recipe item, ticked off by the host city."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("meeting"))
    text = models.CharField(_("task"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return self.text
