"""The two-factor pages: set up, the code at login, recovery codes, remove."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import two_factor
from accounts.forms_two_factor import CodeForm


def _throttled_message(error):
    return ngettext(
        "Too many wrong codes in a row. Wait %(seconds)d second and try again.",
        "Too many wrong codes in a row. Wait %(seconds)d seconds and try again.",
        error.seconds,
    ) % {"seconds": error.seconds}


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    if two_factor.confirmed_totp(request.user) is not None:
        messages.info(request, _("Two-factor login is already set up."))
        return redirect("accounts:profile")
    if request.method == "POST":
        device = two_factor.setup_device(request.user)
        if device is None:  # a code for a key this page never showed (a form posted again, or forged)
            messages.error(request, _("Scan the QR code below, then type the code the app shows."))
            return redirect("accounts:two_factor_setup")
    else:
        device = two_factor.start_setup(request.user)
    form = CodeForm(request.POST or None, recovery=False)
    if form.is_valid():
        try:
            codes = two_factor.confirm_setup(request, device, form.cleaned_data["code"])
        except two_factor.Throttled as error:
            form.add_error("code", _throttled_message(error))
        else:
            if codes is None:
                form.add_error(
                    "code",
                    _("That code is not right. Check the time on your phone and type the code the app shows now."),
                )
            else:
                request.session[two_factor.NEW_CODES_KEY] = codes
                messages.success(
                    request, _("Two-factor login is set up. From now on you are asked for a code after your password.")
                )
                return redirect("accounts:two_factor_recovery_codes")
    context = {
        "form": form,
        "qr_code": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.pending_step(request) == two_factor.SETUP,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if two_factor.pending_step(request) != two_factor.VERIFY:
        return redirect(_safe_next(request))
    if not two_factor.has_two_factor(request.user):
        # The device went while this session waited (removed in another one, or in the admin).
        request.session[two_factor.STEP_KEY] = two_factor.step_for(request.user)
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = two_factor.verify(request, form.cleaned_data["code"])
        except two_factor.Throttled as error:
            form.add_error("code", _throttled_message(error))
        else:
            if device is None:
                form.add_error("code", _("That code is not right, or it has been used already."))
            else:
                if two_factor.is_recovery_code(device):
                    left = two_factor.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        ngettext(
                            "You logged in with a recovery code. %(count)d recovery code is left: make new ones on your profile page.",
                            "You logged in with a recovery code. %(count)d recovery codes are left: make new ones on your profile page.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(_safe_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes, shown once: right after set-up, or made anew here (the old ones stop working)."""
    if not two_factor.has_two_factor(request.user):
        messages.info(request, _("Set up two-factor login first."))
        return redirect("accounts:profile")
    if request.method == "POST":
        request.session[two_factor.NEW_CODES_KEY] = two_factor.new_recovery_codes(request.user)
        messages.success(request, _("New recovery codes are made. The old ones no longer work."))
        return redirect("accounts:two_factor_recovery_codes")
    codes = request.session.pop(two_factor.NEW_CODES_KEY, None)
    context = {"codes": codes, "left": two_factor.recovery_codes_left(request.user)}
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def remove(request):
    if not two_factor.has_two_factor(request.user):
        messages.info(request, _("Two-factor login is not set up."))
        return redirect("accounts:profile")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            removed = two_factor.remove(request, form.cleaned_data["code"])
        except two_factor.Throttled as error:
            form.add_error("code", _throttled_message(error))
        else:
            if not removed:
                form.add_error("code", _("That code is not right, or it has been used already."))
            elif two_factor.pending_step(request) == two_factor.SETUP:
                messages.warning(request, _("Two-factor login is removed. Your role requires it: set it up again now."))
                return redirect("accounts:two_factor_setup")
            else:
                messages.success(request, _("Two-factor login is removed."))
                return redirect("accounts:profile")
    context = {"form": form, "required": two_factor.is_required(request.user)}
    return render(request, "accounts/two_factor_remove.html", context)
