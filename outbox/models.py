"""One row per outgoing mail, and the addresses that the mail server refuses for good."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=OutgoingMail.Status.QUEUED, due_at__lte=now or timezone.now())


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")
        # No longer true before it left (a reminder to submit, and the city submitted).
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # A notice its recipient reads once a day: held for the digest, then sent in it.
        HELD = "held", _("Held for the daily digest")
        IN_DIGEST = "in_digest", _("Sent in the daily digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="outgoing_mails"
    )
    address = models.EmailField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # Text files sent with the mail (a meeting's .ics): [{"filename", "content_type", "content"}].
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    kind = models.SlugField(_("kind"), max_length=50)
    cause_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cause_id = models.CharField(max_length=64, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    # A personal link (password reset, invitation): not shown in the outbox, and emptied once sent.
    holds_secret = models.BooleanField(default=False)
    # "What this mail is": the same key is queued only once.
    key = models.CharField(_("key"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="notices", verbose_name=_("digest")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_mail_key_unique")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="outbox_mail_status_due"),
            models.Index(fields=["cause_type", "cause_id"], name="outbox_mail_cause"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.address} ({self.status})"

    @property
    def message_id(self):
        """The same key makes the same Message-ID, so a resend after a crash is the same message."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        return f"<{digest}@{settings.OUTBOX_MESSAGE_ID_DOMAIN}>"

    @property
    def can_resend(self):
        return self.status in (self.Status.FAILED, self.Status.REFUSED)


class BouncingAddress(models.Model):
    """An address the mail server refused for good (a 5xx answer)."""

    address = models.EmailField(_("address"), max_length=254, unique=True)
    first_refused_at = models.DateTimeField(_("first refused"), default=timezone.now)
    last_refused_at = models.DateTimeField(_("last refused"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("bouncing address")
        verbose_name_plural = _("bouncing addresses")
        ordering = ["address"]

    def __str__(self):
        return self.address

    def save(self, *args, **kwargs):
        self.address = self.address.lower()
        super().save(*args, **kwargs)
