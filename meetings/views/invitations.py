"""Invitations: inviting people, the list with its counts, and attendance.

The list's export is the registrations table of `reporting.tables` (CSV and XLSX, one for both)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from meetings import services
from meetings.access import get_meeting_for_user
from meetings.forms import AttendanceForm, InviteForm
from meetings.models import Invitation

Response = Invitation.Response


def _invitations(meeting):
    """The meeting's invitations with each person's roles, for the list."""
    return meeting.invitations.select_related("user").prefetch_related(
        "user__memberships__city", "user__memberships__organisation", "user__memberships__theme_area"
    )


def affiliation(user):
    """Where a person comes from: their cities, organisations and theme areas, from prefetched memberships."""
    names = []
    for membership in user.memberships.all():
        if membership.city:
            name = membership.city.name
        elif membership.organisation:
            name = membership.organisation.short_name
        elif membership.theme_area:
            name = membership.theme_area.name
        else:
            continue
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _counts(meeting):
    return meeting.invitations.aggregate(
        invited=Count("pk"),
        attending=Count("pk", filter=Q(response=Response.ATTENDING)),
        not_attending=Count("pk", filter=Q(response=Response.NOT_ATTENDING)),
        pending=Count("pk", filter=Q(response=Response.PENDING)),
        attended=Count("pk", filter=Q(attended=True)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    form = InviteForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.invite(meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if added:
                messages.success(
                    request,
                    ngettext("%(count)d person was invited.", "%(count)d people were invited.", added)
                    % {"count": added},
                )
            else:
                messages.info(request, _("Everyone you chose was already invited."))
            return redirect("meetings:invitation_list", pk=meeting.pk)
    invitations = list(_invitations(meeting))
    for invitation in invitations:
        invitation.affiliation = affiliation(invitation.user)
    started = meeting.starts_at <= timezone.now()
    return render(
        request,
        "meetings/invitation_list.html",
        {
            "meeting": meeting,
            "form": form,
            "invitations": invitations,
            "counts": _counts(meeting),
            "attendance_form": AttendanceForm(invitations=invitations) if started and invitations else None,
        },
    )


@login_required
@require_POST
def attendance(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    form = AttendanceForm(request.POST, invitations=list(meeting.invitations.select_related("user")))
    if form.is_valid():
        try:
            services.record_attendance(meeting, attended=form.cleaned_data["attended"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The attendance was saved."))
    else:
        messages.error(request, _("The attendance could not be saved; choose from the list."))
    return redirect("meetings:invitation_list", pk=meeting.pk)
