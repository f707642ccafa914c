"""A city's requests for more time: asked, and decided by the programme management."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actionplans.models.programmes import ActionProgramme
from lib import limits
from lib.transitions import Transitions


class ExtensionRequest(models.Model):
    """A city asks for more time; the programme management decides."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("extension request", "Pending")
        APPROVED = "approved", pgettext_lazy("extension request", "Approved")
        DECLINED = "declined", pgettext_lazy("extension request", "Declined")
        # The city submitted while the request waited, and the management closed it without more time.
        CLOSED = "closed", pgettext_lazy("extension request", "Closed: the programme was submitted")

    # The programme management decides a pending request once; a decision is final.
    TRANSITIONS = Transitions(
        Status,
        {
            Status.PENDING: dict.fromkeys(
                [Status.APPROVED, Status.DECLINED, Status.CLOSED], "actionplans.decide_extension"
            ),
            Status.APPROVED: {},
            Status.DECLINED: {},
            Status.CLOSED: {},
        },
    )

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="extension_requests", verbose_name=_("action programme")
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
    # The management may grant another date than the one asked for.
    granted_date = models.DateField(
        _("granted new date"), null=True, blank=True, validators=[limits.validate_programme_date]
    )
    # The city submitted its programme while the request waited for a decision (the last such time).
    submitted_while_pending_at = models.DateTimeField(
        _("programme submitted while pending at"), null=True, blank=True, editable=False
    )
    comment = limits.text_field(_("comment"), limits.NOTE, blank=True)
    request_notified_at = models.DateTimeField(_("management notified at"), null=True, blank=True, editable=False)
    decision_notified_at = models.DateTimeField(_("city notified at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=Q(status="pending"), name="one_pending_extension_request"
            ),
            limits.length_check("reason", limits.NOTE, "extension_request_reason_length"),
            limits.length_check("comment", limits.NOTE, "extension_request_comment_length"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(granted_date__isnull=False),
                name="extension_request_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.requested_date:%d.%m.%Y}"

    @property
    def granted_other_date(self):
        """Approved, for another date than the city asked for."""
        return self.status == self.Status.APPROVED and self.granted_date != self.requested_date
