"""Invitations into the programme: a one-time link, valid for a week, to set a password."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(token):
    """Only a digest of the link's secret is stored: a copy of the database opens no account."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(32)


class AccountInvitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Invitation pending")
        ACCEPTED = "accepted", _("Invitation accepted")
        EXPIRED = "expired", _("Invitation expired")
        WITHDRAWN = "withdrawn", _("Invitation withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_invitations",
        verbose_name=_("person"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("link valid until"))
    token_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"

    @property
    def status(self):
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def is_open(self):
        """Not yet accepted nor withdrawn: it may be sent again (an expired one too)."""
        return self.accepted_at is None and self.withdrawn_at is None


class BulkMessage(models.Model):
    """A message to an audience made from the programme's roles, sent once to each person in it."""

    class Audience(models.TextChoices):
        CITY_CONTACTS = "city_contacts", _("All city contacts")
        NOT_SUBMITTED = "not_submitted", _("Contacts of the cities that have not submitted in a round")
        THEME_NETWORK = "theme_network", _("A theme network (coordinators, network leaders and participants)")
        MEETING_INVITEES = "meeting_invitees", _("The invitees of a meeting")
        COUNTY_AUTHORITIES = "county_authorities", _("The county authorities of a county")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    audience = models.CharField(_("to"), max_length=30, choices=Audience.choices)
    round = models.ForeignKey(
        "actionplans.Round", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("round")
    )
    theme_area = models.ForeignKey(
        "cities.ThemeArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("meeting")
    )
    county = models.ForeignKey(
        "cities.County", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    subject_nb = models.CharField(_("subject (Norwegian)"), max_length=200)
    body_nb = models.TextField(_("message (Norwegian)"), max_length=10000)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), max_length=10000, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.subject_nb
