"""Minutes: drafting them with their decisions and action items, approving and publishing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from slugify import slugify

from meetings import reports, services
from meetings.access import get_meeting_for_user
from meetings.minutes_forms import MORE_ROWS, minutes_forms
from meetings.models import Minutes
from meetings.views.meetings import meeting_url


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    if not meeting.has_taken_place():
        messages.error(request, not_yet_minutes(meeting))
        return redirect(meeting_url(meeting))
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    posted = request.POST if request.method == "POST" else None
    more = posted.get(MORE_ROWS) if posted is not None else None
    form, decisions, action_items, added = minutes_forms(meeting, minutes, posted, more=more)
    if more is not None:
        # "Add a row" without JavaScript: the page again, as typed, with the row; nothing is saved.
        if added:
            messages.info(request, _("A row was added. Nothing is saved until you save the minutes."))
        else:
            messages.warning(request, _("No more rows can be added here."))
    elif posted is not None and all([form.is_valid(), decisions.is_valid(), action_items.is_valid()]):
        services.save_minutes(meeting, form=form, decisions=decisions, action_items=action_items)
        messages.success(request, _("The minutes were saved."))
        return redirect(f"{meeting_url(meeting)}#minutes")
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "decisions": decisions,
            "action_items": action_items,
            "more_rows": MORE_ROWS,
            "attendance": reports.attendees(meeting),
        },
    )


def not_yet_minutes(meeting):
    """Why `meeting` has no minutes to write (yet)."""
    if meeting.status == meeting.Status.CANCELLED:
        return _("The meeting was cancelled, so it has no minutes.")
    return _("Minutes can be written once the meeting has started.")


def _change_status(request, pk, change, success_message):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    minutes = get_object_or_404(Minutes, meeting=meeting)
    try:
        change(minutes)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success_message)
    return redirect(f"{meeting_url(meeting)}#minutes")


@login_required
@require_POST
def minutes_approve(request, pk):
    return _change_status(
        request, pk, lambda m: services.approve_minutes(m, by=request.user), _("The minutes were approved.")
    )


@login_required
@require_POST
def minutes_publish(request, pk):
    return _change_status(
        request,
        pk,
        services.publish_minutes,
        _("The minutes were published; those who attended get an e-mail."),
    )


@login_required
def minutes_pdf(request, pk):
    """The minutes as PDF: for whoever reads them on the meeting page (organisers always, others once published)."""
    meeting = get_meeting_for_user(request.user, pk)
    minutes = reports.minutes_with_parts(meeting)
    if minutes is None or not request.user.has_perm("meetings.view_minutes", minutes):
        raise Http404
    pdf = reports.render_minutes_pdf(minutes, language=request.LANGUAGE_CODE)
    filename = (
        f"{slugify(_('minutes'))}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{slugify(meeting.title)[:60]}.pdf"
    )
    response = FileResponse(ContentFile(pdf), as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
