"""Participants' feedback on a gathering, and its summary for the organisers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings import services
from meetings.access import get_meeting_for_user
from meetings.forms import FeedbackForm
from meetings.models import Feedback
from meetings.views.meetings import meeting_url


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.give_feedback")
    mine = Feedback.objects.filter(meeting=meeting, user=request.user).first()
    is_open = meeting.feedback_open()
    form = FeedbackForm(request.POST if request.method == "POST" else None, instance=mine)
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("The feedback survey for this meeting is closed."))
            return redirect(meeting_url(meeting))
        if form.is_valid():
            try:
                services.give_feedback(meeting, user=request.user, answers=form.answers())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect(meeting_url(meeting))
    return render(
        request,
        "meetings/feedback_form.html",
        {
            "meeting": meeting,
            "form": form,
            "mine": mine,
            "is_open": is_open,
            "has_closed": timezone.now() >= meeting.feedback_closes_at,
        },
    )


@login_required
def feedback_summary(request, pk):
    meeting = get_meeting_for_user(request.user, pk, "meetings.change_meeting")
    if not meeting.feedback_has_opened():
        if meeting.is_gathering:
            messages.info(request, _("The feedback summary is there once the gathering has been held."))
        else:
            messages.info(request, _("Only gatherings have a feedback survey."))
        return redirect(meeting_url(meeting))
    return render(
        request,
        "meetings/feedback_summary.html",
        {
            "meeting": meeting,
            **services.feedback_summary(meeting),
            "trend": services.feedback_trend(request.user, meeting),
        },
    )
