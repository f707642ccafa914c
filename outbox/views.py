"""The outbox for programme management: every mail, as it was sent, and a way to send one again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outbox import services
from outbox.filters import OutboxFilter
from outbox.models import OutgoingMail

PAGE_SIZE = 50


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def get_mail_for_user(user, pk):
    """A mail of the outbox: programme management only (403 for everyone else)."""
    _require(user, "outbox.view_outbox")
    return get_object_or_404(OutgoingMail.objects.select_related("recipient", "cause_type"), pk=pk)


@login_required
def mail_list(request):
    _require(request.user, "outbox.view_outbox")
    mails = OutgoingMail.objects.select_related("recipient").defer("text", "html")
    filter_ = OutboxFilter(request.GET or None, queryset=mails)
    page = Paginator(filter_.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outbox/mail_list.html", {"filter": filter_, "page": page, "mails": page.object_list})


@login_required
def mail_detail(request, pk):
    mail = get_mail_for_user(request.user, pk)
    return render(request, "outbox/mail_detail.html", {"mail": mail, "cause": mail.cause})


@login_required
@require_POST
def mail_resend(request, pk):
    _require(request.user, "outbox.resend_mail")
    mail = get_mail_for_user(request.user, pk)
    if services.resend(mail):
        messages.success(request, _("The mail to %(address)s is queued again.") % {"address": mail.address})
    else:
        messages.error(request, _("Only a failed or refused mail can be sent again."))
    return redirect("outbox:detail", mail.pk)
