"""Meetings: the list, one meeting, planning it, its agenda and attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actionplans.access import programmes_visible_to
from actionplans.models import Measure
from cities.models import City, ThemeArea
from lib.downloads import safe_download_response
from lib.uploads import uploaded_files
from meetings import reports, services
from meetings.access import (
    get_agenda_item_for_user,
    get_attachment_for_user,
    get_meeting_for_user,
    get_minutes_for_user,
    meetings_visible_to,
)
from meetings.filters import MeetingFilter
from meetings.forms import AgendaItemForm, AttachmentForm, MeetingForm, RegistrationForm
from meetings.models import Feedback, Invitation, Meeting
from meetings.rules import organisable_theme_area_ids

PER_PAGE = 25


def meeting_url(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def my_invitation(user, meeting):
    """The user's invitation to `meeting`, from the prefetched ones; None if not invited."""
    return next((i for i in meeting.invitations.all() if i.user_id == user.pk), None)


@login_required
def meeting_list(request):
    if not request.user.has_perm("meetings.list_meetings"):
        raise PermissionDenied
    chosen = MeetingFilter(request.GET, meetings_visible_to(request.user))
    past, filters = chosen.past, chosen.chosen()
    meetings = chosen.qs.select_related("host_city").prefetch_related(
        "theme_areas",
        Prefetch("invitations", queryset=Invitation.objects.filter(user=request.user), to_attr="mine"),
    )
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "past": past,
            "filters": filters,
            "query": urlencode(query),
            "kinds": Meeting.Kind.choices,
            "themes": ThemeArea.objects.all(),
            "cities": City.objects.filter(hosted_meetings__isnull=False).distinct(),
            "can_add": request.user.has_perm("meetings.add_meeting"),
        },
    )


def _site_visit_measures(user):
    """The measures a site visit shows, each saying whether `user` may open its programme (in the
    same query): the page links only those, and names the others."""
    readable = programmes_visible_to(user).filter(pk=OuterRef("programme_id"))
    return Prefetch("measures", queryset=Measure.objects.annotate(readable=Exists(readable)))


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    user = request.user
    can_change = user.has_perm("meetings.change_meeting", meeting)
    invitation = my_invitation(user, meeting)
    minutes = get_minutes_for_user(user, meeting)
    can_tick = user.has_perm("meetings.tick_checklist", meeting)
    # One query for all documents, handed to their agenda items here rather than one query per item.
    attachments = {}
    for attachment in meeting.attachments.all():
        attachments.setdefault(attachment.agenda_item_id, []).append(attachment)
    agenda = list(meeting.agenda.select_related("city").prefetch_related(_site_visit_measures(user)))
    for item in agenda:
        item.documents = attachments.get(item.pk, [])
    checklist = list(meeting.checklist.select_related("done_by")) if can_tick else []
    invitations = meeting.invitations.all()
    counts = {
        "invited": len(invitations),
        "attending": sum(i.response == Invitation.Response.ATTENDING for i in invitations),
        "not_attending": sum(i.response == Invitation.Response.NOT_ATTENDING for i in invitations),
        "pending": sum(i.response == Invitation.Response.PENDING for i in invitations),
        "attended": sum(i.attended is True for i in invitations),
    }
    feedback_open = meeting.feedback_open()
    taken_place = meeting.has_taken_place()
    can_give_feedback = feedback_open and invitation is not None and user.has_perm("meetings.give_feedback", meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "attachments": attachments.get(None, []),
            "continuations": meeting.continuations.all(),
            "invitation": invitation,
            "counts": counts,
            "registration_open": meeting.registration_open(),
            "registration_closes_at": meeting.registration_closes_at,
            "registration_form": RegistrationForm(initial={"response": invitation.response} if invitation else None),
            "minutes": minutes,
            "checklist": checklist,
            "checklist_done": sum(item.done_at is not None for item in checklist),
            "can_change": can_change,
            "taken_place": taken_place,
            "can_write_minutes": can_change and taken_place,
            "can_read_feedback": can_change and meeting.feedback_has_opened(),
            "attendance": reports.attendees(meeting) if minutes else None,
            "can_tick": can_tick,
            "can_upload": user.has_perm("meetings.add_attachment", meeting),
            "feedback_open": feedback_open,
            "can_give_feedback": can_give_feedback,
            "my_feedback": can_give_feedback and Feedback.objects.filter(meeting=meeting, user=user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not request.user.has_perm("meetings.add_meeting"):
        raise PermissionDenied
    form = MeetingForm(
        request.POST or None,
        theme_area_ids=organisable_theme_area_ids(request.user),
        continuable=meetings_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        fields, theme_areas = form.service_fields()
        try:
            meeting = services.create_meeting(by=request.user, theme_areas=theme_areas, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting was created."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_update(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        theme_area_ids=organisable_theme_area_ids(request.user),
        continuable=meetings_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        fields, theme_areas = form.service_fields()
        try:
            services.update_meeting(meeting, theme_areas=theme_areas, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


# Agenda


@login_required
@require_http_methods(["GET", "POST"])
def agenda_create(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    return _save_agenda_item(request, meeting, form, _("The agenda item was added."))


@login_required
@require_http_methods(["GET", "POST"])
def agenda_update(request, pk):
    item, meeting = get_agenda_item_for_user(request.user, pk)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    return _save_agenda_item(request, meeting, form, _("The agenda item was saved."))


def _save_agenda_item(request, meeting, form, success_message):
    if request.method == "POST" and form.is_valid():
        services.save_agenda_item(meeting, form)
        messages.success(request, success_message)
        return redirect(f"{meeting_url(meeting)}#agenda")
    return render(request, "meetings/agenda_form.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_delete(request, pk):
    item, meeting = get_agenda_item_for_user(request.user, pk)
    if request.method == "POST":
        services.delete_agenda_item(item)
        messages.success(request, _("The agenda item “%(title)s” was removed.") % {"title": item.title})
        return redirect(f"{meeting_url(meeting)}#agenda")
    return render(request, "meetings/agenda_confirm_delete.html", {"meeting": meeting, "item": item})


# Registration


@login_required
@require_POST
def register(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.register")
    invitation = my_invitation(request.user, meeting)
    form = RegistrationForm(request.POST)
    if invitation is None:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choose whether you will attend."))
    else:
        try:
            services.register(invitation, attending=form.cleaned_data["response"] == "attending")
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Thank you, your answer was saved."))
    return redirect(f"{meeting_url(meeting)}#registration")


# Attachments


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.add_attachment")
    initial = {"agenda_item": request.GET.get("item")} if request.GET.get("item", "").isdigit() else {}
    form = AttachmentForm(request.POST or None, uploaded_files(request) or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_attachment(
                meeting,
                file=form.cleaned_data["file"],
                inspected=form.inspected,
                title=form.cleaned_data["title"],
                agenda_item=form.cleaned_data["agenda_item"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect(f"{meeting_url(meeting)}#documents")
    return render(request, "meetings/attachment_form.html", {"meeting": meeting, "form": form})


@login_required
def attachment_download(request, pk):
    attachment, _meeting = get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    return safe_download_response(
        handle, name=attachment.original_name, content_type=attachment.content_type, extension=attachment.extension
    )


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment, meeting = get_attachment_for_user(request.user, pk, "meetings.change_meeting")
    services.delete_attachment(attachment)
    messages.success(request, _("The document “%(title)s” was removed.") % {"title": attachment.title})
    return redirect(f"{meeting_url(meeting)}#documents")
