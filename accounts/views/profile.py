"""The person's own profile page, and changing their password. There is no profile of anyone
else to see: the pages always show the logged-in person's own."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import two_factor
from accounts.forms_profile import ProfileForm
from accounts.models import SecurityEvent
from accounts.profile import update_profile
from cities.models import language_of, notices_of
from lib.security import record


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user, language=language_of(user), notices=notices_of(user))
    if form.is_valid():
        language = form.cleaned_data["language"]
        update_profile(
            user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            language=language,
            notices=form.cleaned_data["notices"],
        )
        with translation.override(language):
            messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        # The language switch's cookie comes first (portal.middleware): it must follow the choice.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        request._language_from_profile = False  # so the middleware does not set the old one again
        return response
    context = {
        "form": form,
        "has_two_factor": two_factor.has_two_factor(user),
        "two_factor_required": two_factor.is_required(user),
        "by_sso": bool(request.session.get(two_factor.SSO_KEY)),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
        "has_password": user.has_usable_password(),
    }
    return render(request, "accounts/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, in the portal's layout; the session stays logged in (update_session_auth_hash) and
    the change is logged. A person who has only ever used single sign-on sets a first password."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_class(self):
        return self.form_class if self.request.user.has_usable_password() else SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        record(SecurityEvent.Kind.PASSWORD_CHANGED, request=self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
