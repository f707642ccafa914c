"""The password reset form: Django's, with its mail in the person's own language, through the outbox."""

import logging
import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse

from lib.mail import absolute_url
from outbox.services import queue

logger = logging.getLogger(__name__)


class PortalPasswordResetForm(PasswordResetForm):
    """Queues the reset link by lib.mail's `password_reset` triplet, in the language of the person.

    Django's form chooses who gets it: an active user with that address and a usable password, no
    one else (a deactivated person gets nothing). Each ask is a new mail (its key has a random
    part). A mail that cannot be queued is logged, not shown: the page after asking says the same
    in every case. The mail holds a personal link, so the outbox does not show its text.
    """

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        link = absolute_url(
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        )
        try:
            queue(
                "password_reset",
                {"user": user, "url": link},
                to=user,
                kind="password_reset",
                key=f"password_reset:{user.pk}:{secrets.token_hex(8)}",
                cause=user,
                secret=True,
            )
        except Exception:  # the page must not tell whether an address has an account
            logger.exception("The password reset mail to user %s could not be queued", user.pk)
