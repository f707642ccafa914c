"""Meetings of the network: agenda, invitations and registration, attachments and
the hosting checklist. What follows a meeting (minutes, decisions, action items,
feedback) is in `meetings.models.followup`."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import Measure
from actionplans.models.rounds import end_of_day
from cities.models import City, ThemeArea
from lib import limits
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

    def has_taken_place(self, now=None):
        """Started (or over) and not cancelled: from then on it has minutes to write."""
        return self.status != self.Status.CANCELLED and self.starts_at <= (now or timezone.now())

    def feedback_has_opened(self, now=None):
        """The survey has opened (it may have closed since): a gathering that was held and has ended."""
        return self.is_gathering and self.status == self.Status.HELD and self.ends_at <= (now or timezone.now())

    def feedback_open(self, now=None):
        now = now or timezone.now()
        return self.feedback_has_opened(now) and now < self.feedback_closes_at

    @property
    def registration_closes_at(self):
        """The end of the registration deadline's day in Oslo, or the start of the meeting if it has none."""
        if self.registration_deadline:
            return min(end_of_day(self.registration_deadline), self.starts_at)
        return self.starts_at

    def registration_open(self, now=None):
        return self.status == self.Status.PLANNED and (now or timezone.now()) < self.registration_closes_at


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
    registration_reminded_at = models.DateTimeField(
        _("registration reminder sent at"), null=True, blank=True, editable=False
    )

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
