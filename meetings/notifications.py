"""E-mails about meetings' events: people were invited, minutes were published.

Each event is mailed once: in one transaction the task claims the event's
`*_notified_at` marker with a conditional update and queues one mail per
recipient in the outbox (keyed by the minutes and the person), so a task run
twice finds nothing to do; if queuing fails, the transaction rolls back, the
marker with it. The outbox sends the mails.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lib.mail import absolute_url
from meetings.calendar import meeting_dates, meeting_file
from meetings.models import Invitation, Meeting, Minutes
from outbox.services import one_drain, queue


def invitation_context(meeting):
    return {
        "meeting": meeting,
        "dates": meeting_dates(meeting),
        # The last day to answer, or None: registration is open until the meeting starts.
        "last_day": meeting.registration_deadline if meeting.registration_closes_at < meeting.starts_at else None,
        "url": absolute_url(reverse("meetings:meeting_detail", args=[meeting.pk])),
    }


def queue_invitations(meeting, invitations, now=None):
    """Mail each new invitee the invitation, with the meeting as an .ics file, once per invitation.

    Only for a planned meeting that has not started: an invitation to the past is a record, not news.
    """
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= (now or timezone.now()):
        return 0
    context = invitation_context(meeting)
    filename, content = meeting_file(meeting)
    with one_drain():
        return sum(_queue_invitation(invitation, context, filename, content) is not None for invitation in invitations)


def _queue_invitation(invitation, context, filename, content):
    return queue(
        "meeting_invitation",
        context,
        to=invitation.user,
        kind="meeting_invitation",
        key=f"meeting_invitation:{invitation.pk}",
        cause=invitation,
        attachments=[(filename, "text/calendar", content.decode())],
    )


def minutes_recipients(meeting):
    """The invitations of those who attended or registered as attending, with an e-mail address."""
    return (
        meeting.invitations.filter(Q(attended=True) | Q(response=Invitation.Response.ATTENDING), user__is_active=True)
        .exclude(user__email="")
        .select_related("user__profile")
    )


def send_minutes_published(minutes_id):
    """Tell those who attended, or registered as attending, that the minutes are published."""
    with transaction.atomic():
        claimed = Minutes.objects.filter(
            pk=minutes_id, status=Minutes.Status.PUBLISHED, published_notified_at__isnull=True
        ).update(published_notified_at=timezone.now())
        if not claimed:
            return
        minutes = (
            Minutes.objects.select_related("meeting__host_city")
            .prefetch_related("decisions", "action_items__owner")
            .get(pk=minutes_id)
        )
        meeting = minutes.meeting
        context = {
            "meeting": meeting,
            "minutes": minutes,
            "url": absolute_url(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#minutes"),
        }
        with one_drain():
            for invitation in minutes_recipients(meeting):
                user = invitation.user
                queue(
                    "minutes_published",
                    context,
                    to=user,
                    kind="minutes_published",
                    key=f"minutes_published:{minutes.pk}:{user.pk}",
                    cause=minutes,
                    notice=True,
                )


# Published minutes newer than this are left to their own task; older ones are mailed by `send_missed`.
GRACE = datetime.timedelta(minutes=2)
# Minutes published longer ago than this are history, not news.
MAX_AGE = datetime.timedelta(days=2)


def send_missed(now=None):
    """Mail the published minutes whose task never ran (the broker was down); for the meetings sweep."""
    now = now or timezone.now()
    missed = Minutes.objects.filter(
        status=Minutes.Status.PUBLISHED,
        published_notified_at__isnull=True,
        published_at__range=(now - MAX_AGE, now - GRACE),
    )
    for pk in missed.values_list("pk", flat=True):
        send_minutes_published(pk)
