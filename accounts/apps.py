from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logging in and staying safe: the security log, lockout, password reset, two-factor,
    single sign-on, sessions and the person's own profile page."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The security log's receivers, and the second factor asked for at login.
        from accounts import receivers, two_factor  # noqa: F401
