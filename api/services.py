"""Making, revoking and using personal API tokens."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import DISPLAY_LENGTH, ApiToken, new_secret, secret_digest

# How many tokens in use one person may have: enough for every program they run, few enough to keep track.
MAX_USABLE_TOKENS = 20
# `last_used_at` (and the security log's entry of the use) is written at most this often per token.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


def create_token(user, *, name, scope, expires_at=None):
    """A new token of `user`'s and its secret, which is returned here once and stored nowhere (only its
    SHA-256 is). Raises ValidationError when `user` already has MAX_USABLE_TOKENS in use."""
    with transaction.atomic():
        # The owner's row is locked so that two requests at once cannot both pass the count.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user).usable().count() >= MAX_USABLE_TOKENS:
            raise ValidationError(
                _("You have %(count)s tokens in use already. Revoke one you no longer need first.")
                % {"count": MAX_USABLE_TOKENS},
                code="too_many",
            )
        secret = new_secret()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            scope=scope,
            digest=secret_digest(secret),
            prefix=secret[:DISPLAY_LENGTH],
            expires_at=expires_at,
        )
    return token, secret


def revoke_token(token, now=None):
    """Revoke `token` for good. Returns whether this call revoked it (False: it was revoked already)."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


def token_for_secret(secret):
    """The token whose secret is `secret` (with its owner), or None."""
    return ApiToken.objects.select_related("user").filter(digest=secret_digest(secret)).first()


def claim_use(token, now=None):
    """Note that `token` was just used: sets `last_used_at` unless it was set less than USE_RECORDED_EVERY
    ago, in one update, so that of many requests at once one wins. Returns whether this call set it."""
    now = now or timezone.now()
    claimed = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RECORDED_EVERY))
        .update(last_used_at=now)
    )
    if claimed:
        token.last_used_at = now
    return bool(claimed)
