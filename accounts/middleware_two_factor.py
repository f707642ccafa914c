"""Holds a logged-in session at its second step until it is done.

A person with a confirmed device who has typed only the password is sent to the code page; a person
whose role requires two-factor and who has none is sent to set it up. Until then only logging out,
that one page, static files and the language switch answer. The admin is covered like every page.
Runs after django-otp's OTPMiddleware and the message middleware.
"""

from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self):
        """For each step, the paths a session may reach before it is done."""
        if self._open_paths is None:
            always = {reverse("logout"), reverse("set_language"), reverse("favicon")}
            self._open_paths = {
                two_factor.VERIFY: always | {reverse("accounts:two_factor_verify")},
                two_factor.SETUP: always | {reverse("accounts:two_factor_setup")},
            }
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            step = two_factor.pending_step(request)
            if step and not self.is_open(request.path_info, step):
                return self.send_to(step, request)
        return self.get_response(request)

    def is_open(self, path, step):
        return path.startswith(settings.STATIC_URL) or path in self.open_paths()[step]

    @staticmethod
    def send_to(step, request):
        if step == two_factor.VERIFY:
            next_path = request.get_full_path() if request.method == "GET" else reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(f"{reverse('accounts:two_factor_verify')}?next={quote(next_path)}")
        return redirect("accounts:two_factor_setup")
