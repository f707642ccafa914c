"""Messages to many: the list of those sent, writing one (with its recipients and a preview in
both languages before it goes), and a sent message with what became of each mail."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from cities import rules as cities_rules
from lib.mail import render_mail
from outbox import services as outbox
from people import access
from people import messages as bulk
from people.forms import BulkMessageForm
from people.models import BulkMessage

PER_PAGE = 50


def _messages_for(user):
    sent = BulkMessage.objects.select_related("author", "round", "theme_area", "meeting", "county")
    return sent if user.is_superuser or cities_rules.is_programme_management(user) else sent.filter(author=user)


@login_required
@require_GET
def message_list(request):
    access.require(request.user, "people.send_message")
    page = Paginator(_messages_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "people/message_list.html", {"page": page, "sent": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def message_compose(request):
    access.require(request.user, "people.send_message")
    form = BulkMessageForm(request.POST or None, user=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "send":
            message = bulk.send(
                by=request.user,
                audience=data["audience"],
                subject_nb=data["subject_nb"],
                body_nb=data["body_nb"],
                subject_en=data["subject_en"],
                body_en=data["body_en"],
                **form.scope(),
            )
            flash.success(
                request,
                ngettext(
                    "The message is queued to %(count)d person.",
                    "The message is queued to %(count)d people.",
                    message.recipient_count,
                )
                % {"count": message.recipient_count},
            )
            return redirect("people:message_detail", message.pk)
        preview = form.save(commit=False)
        preview.author = request.user
        people = list(bulk.recipients(data["audience"], **form.scope()))
        context |= {
            "recipients": people,
            "previews": [
                (code, name, *render_mail("bulk_message", {"message": preview}, language=code)[:2])
                for code, name in [("nb", _("Norwegian")), ("en", _("English"))]
            ],
        }
    return render(request, "people/message_compose.html", context)


@login_required
@require_GET
def message_detail(request, pk):
    access.require(request.user, "people.send_message")
    message = get_object_or_404(_messages_for(request.user), pk=pk)
    mails = Paginator(outbox.mails_caused_by(message).select_related("recipient"), PER_PAGE)
    page = mails.get_page(request.GET.get("page"))
    counts = outbox.status_counts(outbox.mails_caused_by(message))
    context = {"message": message, "page": page, "mails": page.object_list, "counts": counts}
    return render(request, "people/message_detail.html", context)
