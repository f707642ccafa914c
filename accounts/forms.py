"""The password reset form: Django's, with its mail in the person's own language."""

import logging

from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse

from cities.models import language_of
from lib.mail import absolute_url, send_mail

logger = logging.getLogger(__name__)


class PortalPasswordResetForm(PasswordResetForm):
    """Sends the reset link by lib.mail's `password_reset` triplet, in the language of the person.

    Django's form chooses who gets it: an active user with that address and a usable password, no
    one else (a deactivated person gets nothing). A mail server that fails is logged, not shown:
    the page after asking says the same in every case.
    """

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        link = absolute_url(
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        )
        try:
            send_mail("password_reset", {"user": user, "url": link}, to=[to_email], language=language_of(user))
        except Exception:  # the page must not tell whether an address has an account
            logger.exception("The password reset mail to user %s could not be sent", user.pk)
