"""The security log: its page with filters and the locked accounts, its CSV export, and unlocking."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import lockout
from accounts.filters import SecurityLogFilter
from accounts.models import SecurityEvent
from lib.csvfiles import csv_response
from lib.formats import person_name

PER_PAGE = 50


def _may_read(user):
    if not user.has_perm("accounts.view_security_log"):
        raise PermissionDenied


def _entries(request):
    return SecurityLogFilter(request.GET, SecurityEvent.objects.select_related("user"))


def detail_text(event):
    return ", ".join(f"{key}: {value}" for key, value in sorted(event.detail.items()))


@login_required
@require_safe
def security_log(request):
    """The log, newest first, a page at a time; above it the accounts locked now."""
    _may_read(request.user)
    filters = _entries(request)
    if filters.is_bound and not filters.is_valid():
        messages.error(request, _("Some filters were not understood and are left out; see the fields marked."))
    page = Paginator(filters.qs, PER_PAGE).get_page(request.GET.get("page"))
    locked = lockout.locked_usernames()
    accounts = get_user_model().objects.in_bulk(locked, field_name=get_user_model().USERNAME_FIELD) if locked else {}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/security_log.html",
        {
            "filters": filters,
            "page": page,
            "locked": [{"username": name, "person": accounts.get(name)} for name in locked],
            "query": query.urlencode(),
            "retention_days": settings.SECURITY_LOG_RETENTION_DAYS,
        },
    )


@login_required
@require_safe
def security_log_csv(request):
    """The log's entries the page's filters choose, all of them, as CSV (`lib.csvfiles`), to the second."""
    _may_read(request.user)
    filters = _entries(request)
    if filters.is_bound and not filters.is_valid():
        problems = "; ".join(
            f"{filters.form.fields[name].label}: {' '.join(errors)}" for name, errors in filters.errors.items()
        )
        return HttpResponseBadRequest(
            _("The export was not made: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    headers = [_("When"), _("What"), _("Person"), _("User name"), _("Address"), _("Address in the portal"), _("Detail")]
    rows = (
        (
            event.created_at,
            event.get_kind_display(),
            person_name(event.user) if event.user else "",
            event.username,
            event.address,
            event.path,
            detail_text(event),
        )
        for event in filters.qs.iterator(chunk_size=2000)
    )
    return csv_response(request.GET, "security-log.csv", headers, rows, seconds=True)


@login_required
@require_POST
def unlock(request):
    """Unlock the account named by the form's `username` at once (records UNLOCK), then go back."""
    if not request.user.has_perm("accounts.unlock_account"):
        raise PermissionDenied
    username = request.POST.get("username", "").strip()[:150]
    if not username:
        messages.error(request, _("No account was named to unlock."))
    else:
        lockout.unlock(username, request=request)
        messages.success(
            request, _("The account %(username)s is unlocked and may log in again.") % {"username": username}
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "accounts:security_log"
    return redirect(back)
