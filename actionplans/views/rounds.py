"""Rounds and deadlines: moving them, reminder steps, extension requests and the reminder log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actionplans import reminders, services
from actionplans.access import get_extension_request_for_user, get_programme_for_user, get_round_for_user
from actionplans.extensions import DATE_ERRORS
from actionplans.forms import (
    ExtendDeadlineForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReminderStepsForm,
)
from actionplans.models import Deadline, ExtensionRequest, Reminder
from cities.models import City
from outbox import services as outbox


@login_required
def round_detail(request, pk):
    round_ = get_round_for_user(request.user, pk)
    deadline = getattr(round_, "deadline", None)
    steps = []
    if deadline is not None:
        steps = [
            {"offset": s.offset_days, "moment": reminders.send_moment_or_none(deadline.due_date, s.offset_days)}
            for s in deadline.reminder_steps.all()
        ]
    return render(
        request,
        "actionplans/round_detail.html",
        {
            "round": round_,
            "deadline": deadline,
            "extensions": deadline.extensions.select_related("decided_by") if deadline else [],
            "steps": steps,
            "city_extensions": round_.programmes.filter(extended_due_date__isnull=False).select_related("city"),
            "can_manage": request.user.has_perm("actionplans.manage_round", round_),
            "without_contact": City.objects.without_contact()
            if request.user.has_perm("actionplans.view_reminder_log")
            else City.objects.none(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_extend(request, pk):
    round_ = get_round_for_user(request.user, pk, "actionplans.manage_round")
    deadline = get_object_or_404(Deadline, round=round_)
    form = ExtendDeadlineForm(request.POST or None, initial={"new_date": deadline.due_date}, deadline=deadline)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(
                deadline,
                new_date=form.cleaned_data["new_date"],
                reason=form.cleaned_data["reason"],
                decided_by_text=form.cleaned_data["decided_by_text"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("new_date", error)
        else:
            messages.success(request, _("The deadline was moved; the contacts of the cities it concerns are told."))
            return redirect("actionplans:round_detail", pk=round_.pk)
    return render(
        request, "actionplans/round_form.html", {"round": round_, "form": form, "title": _("Move the deadline")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_steps(request, pk):
    round_ = get_round_for_user(request.user, pk, "actionplans.manage_round")
    deadline = get_object_or_404(Deadline, round=round_)
    current = ", ".join(str(s.offset_days) for s in deadline.reminder_steps.all())
    form = ReminderStepsForm(request.POST or None, initial={"offsets": current})
    if request.method == "POST" and form.is_valid():
        services.set_reminder_steps(deadline, form.cleaned_data["offsets"])
        messages.success(request, _("The reminder steps were saved."))
        return redirect("actionplans:round_detail", pk=round_.pk)
    return render(request, "actionplans/round_form.html", {"round": round_, "form": form, "title": _("Reminder steps")})


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request, pk):
    programme = get_programme_for_user(request.user, pk, "actionplans.request_extension")
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_extension(
                programme, new_date=form.cleaned_data["new_date"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error("new_date" if error.code in DATE_ERRORS else None, error)
        else:
            messages.success(request, _("Your request was sent to the programme management."))
            return redirect("actionplans:programme_detail", pk=programme.pk)
    return render(request, "actionplans/extension_request.html", {"programme": programme, "form": form})


@login_required
def extension_list(request):
    if not request.user.has_perm("actionplans.decide_extension"):
        raise PermissionDenied
    requests = ExtensionRequest.objects.select_related(
        "programme__city", "programme__round__deadline", "requested_by", "decided_by"
    )
    pending = requests.filter(status=ExtensionRequest.Status.PENDING).order_by("requested_at", "pk")
    decided = requests.exclude(status=ExtensionRequest.Status.PENDING).order_by("-decided_at", "-pk")
    return render(
        request,
        "actionplans/extension_list.html",
        {"pending": pending, "page": Paginator(decided, 50).get_page(request.GET.get("page"))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def extension_decide(request, pk):
    extension = get_extension_request_for_user(request.user, pk)
    form = ExtensionDecisionForm(request.POST or None, extension=extension)
    if extension.status == ExtensionRequest.Status.PENDING and request.method == "POST" and form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == form.CLOSE:
                services.close_extension_request(extension, comment=comment, by=request.user)
            else:
                services.decide_extension(
                    extension,
                    approve=decision == form.APPROVE,
                    granted_date=form.cleaned_data["granted_date"],
                    comment=comment,
                    by=request.user,
                )
        except ValidationError as error:
            form.add_error("granted_date" if error.code in DATE_ERRORS else None, error)
        else:
            messages.success(request, _("The decision was saved and the city was told."))
            return redirect("actionplans:extension_list")
    return render(request, "actionplans/extension_decide.html", {"extension": extension, "form": form})


@login_required
def reminder_log(request):
    if not request.user.has_perm("actionplans.view_reminder_log"):
        raise PermissionDenied
    queued = Reminder.objects.filter(queued_at__isnull=False).select_related("deadline__round", "city", "recipient")
    page = Paginator(queued.order_by("-queued_at", "-pk"), 50).get_page(request.GET.get("page"))
    # What became of each: the outbox's row is the one truth about a mail.
    mails = outbox.mails_about(page.object_list)
    for reminder in page.object_list:
        reminder.mail = mails.get(reminder.pk)
    without_contact = list(City.objects.without_contact())
    return render(
        request,
        "actionplans/reminder_log.html",
        {
            "page": page,
            "waiting": Reminder.objects.unsent().select_related("deadline__round", "city", "recipient"),
            "set_aside": Reminder.objects.filter(failed_at__isnull=False).select_related("city")[:50],
            "refused": outbox.undelivered(kinds=reminders.MAIL_KINDS)[:50],
            "upcoming": reminders.upcoming(timezone.now()),
            "without_contact": without_contact,
            "without_contact_ids": {city.pk for city in without_contact},
        },
    )
