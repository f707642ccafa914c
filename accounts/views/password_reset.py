"""Password reset by e-mail with Django's own views and tokens, recorded in the security log."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from accounts import lockout
from accounts.forms import PortalPasswordResetForm
from accounts.models import SecurityEvent
from lib.security import record


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an address; the page after it says the same whether the address has an account or not."""

    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # The address as typed, whether it exists or not.
        record(SecurityEvent.Kind.PASSWORD_RESET_ASKED, request=self.request, email=form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets the new password from the mail's link (once). Whoever holds the mailbox is the person:
    a lockout of the account ends with it, so the lockout page may point here."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        was_locked = lockout.is_locked(form.user)
        lockout.forget_failures(form.user)
        record(
            SecurityEvent.Kind.PASSWORD_RESET_DONE,
            request=self.request,
            user=form.user,
            **({"unlocked": "yes"} if was_locked else {}),
        )
        return response
