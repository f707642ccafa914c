"""The security log: what happened to whose account, when and from where. Rows are only ever
added (and removed by the retention sweep), never edited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        LOCKOUT = "lockout", _("Account locked")
        UNLOCK = "unlock", _("Account unlocked")
        PASSWORD_RESET_ASKED = "password_reset_asked", _("Password reset asked")
        PASSWORD_RESET_DONE = "password_reset_done", _("Password reset done")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        TWO_FACTOR_ADDED = "two_factor_added", _("Two-factor set up")
        TWO_FACTOR_REMOVED = "two_factor_removed", _("Two-factor removed")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")
        SSO_REFUSED = "sso_refused", _("Single sign-on refused")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
        ROLE_GIVEN = "role_given", _("Role given")
        ROLE_ENDED = "role_ended", _("Role ended")
        DEACTIVATED = "deactivated", _("Person deactivated")
        REACTIVATED = "reactivated", _("Person reactivated")
        REFUSED = "refused", _("Access refused")
        DRAFT_DOWNLOADED = "draft_downloaded", _("Draft downloaded")
        API_TOKEN_CREATED = "api_token_created", _("API token made")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        API_TOKEN_USED = "api_token_used", _("API token used")
        API_TOKEN_REFUSED = "api_token_refused", _("API token refused")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("who"),
    )
    # The name as typed or as it was, kept when the user row is gone or never existed.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=45, blank=True)
    path = models.CharField(_("address in the portal"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
