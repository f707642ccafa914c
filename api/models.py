"""Personal API tokens: a secret a person makes on their profile page for a program that reads
the portal in their name, scoped to part of what they may read. Only the secret's SHA-256 is
kept; the secret itself is shown once, when it is made."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every secret starts with, so that a leaked one is recognised (by a person, or a scanner).
SECRET_PREFIX = "fb_"  # noqa: S105 - not a secret: what every secret starts with
# How much of the secret the pages show, to tell one token from another.
DISPLAY_LENGTH = len(SECRET_PREFIX) + 8


def secret_digest(secret: str) -> str:
    """The SHA-256 of a secret, as stored. A secret is 256 random bits: no salt or slow hash is needed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        PROGRAMMES = "programmes", _("Read programmes")
        REVIEWS = "reviews", _("Read reviews")
        ALL = "all", _("Read all")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the program using it."))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    digest = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("start of the secret"), max_length=DISPLAY_LENGTH, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["programmes", "reviews", "all"]), name="api_token_scope_known"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, scope):
        """Whether the token may read what `scope` (a Scope value, not ALL) covers."""
        return self.scope in (self.Scope.ALL, scope)
