"""E-mails about events: a submission came in, an extension was asked for or decided.

Each event is mailed once: in one transaction the task claims the event's `*_notified_at`
marker with a conditional update and queues one mail per recipient in the outbox (keyed by the
event and the person), so a task run twice finds nothing to do; if queuing fails, the
transaction rolls back, the marker with it, and the task is retried. The outbox sends the mails.
"""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionProgramme, ExtensionRequest, Review, StatusChange
from cities.models import Membership
from lib.mail import absolute_url
from outbox.services import queue

Role = Membership.Role


@contextmanager
def _claimed(model, pk, marker):
    """Yields True if this run claimed the event; the claim and the queued mails commit together."""
    with transaction.atomic():
        yield model.objects.filter(pk=pk, **{f"{marker}__isnull": True}).update(**{marker: timezone.now()}) == 1


def _people(*roles, city=None):
    """Active users with an e-mail address holding one of `roles` (for `city`, if given)."""
    memberships = Membership.objects.filter(role__in=roles, user__is_active=True).exclude(user__email="")
    if city is not None:
        memberships = memberships.filter(Q(city=city))
    users = {m.user.pk: m.user for m in memberships.select_related("user__profile")}
    return sorted(users.values(), key=lambda u: u.username)


def _send_each(name, context, users, *, cause):
    """Queue mail `name` to each of `users`, once per event and person."""
    for user in users:
        queue(name, context, to=user, kind=name, key=f"{name}:{cause.pk}:{user.pk}", cause=cause)


def _programme_url(programme):
    return absolute_url(reverse("actionplans:programme_detail", args=[programme.pk]))


def notify_submission(status_change_id):
    """Tell the coordinators, network leaders and programme management that a programme came in."""
    with _claimed(StatusChange, status_change_id, "notified_at") as claimed:
        if not claimed:
            return
        change = StatusChange.objects.select_related(
            "programme__city", "programme__round", "programme__submitted_draft"
        ).get(pk=status_change_id)
        programme = change.programme
        people = _people(Role.COORDINATOR, Role.NETWORK_LEADER, Role.PROGRAMME_MANAGEMENT)
        context = {"programme": programme, "url": _programme_url(programme)}
        _send_each("submission_received", context, people, cause=change)


def notify_extension_requested(request_id):
    """Tell the programme management that a city asks for more time."""
    with _claimed(ExtensionRequest, request_id, "request_notified_at") as claimed:
        if not claimed:
            return
        request = ExtensionRequest.objects.select_related("programme__city", "programme__round").get(pk=request_id)
        url = absolute_url(reverse("actionplans:extension_decide", args=[request.pk]))
        people = _people(Role.PROGRAMME_MANAGEMENT)
        _send_each("extension_requested", {"request": request, "url": url}, people, cause=request)


def notify_extension_decided(request_id):
    """Tell the city's contacts what the programme management decided."""
    with _claimed(ExtensionRequest, request_id, "decision_notified_at") as claimed:
        if not claimed:
            return
        request = ExtensionRequest.objects.select_related("programme__city", "programme__round__deadline").get(
            pk=request_id
        )
        context = {"request": request, "url": _programme_url(request.programme)}
        people = _people(Role.CITY_CONTACT, city=request.programme.city)
        _send_each("extension_decided", context, people, cause=request)


def notify_review_completed(review_id):
    """Tell the city's contacts that a theme's review of their programme is complete."""
    with _claimed(Review, review_id, "completion_notified_at") as claimed:
        if not claimed:
            return
        review = Review.objects.select_related("programme__city", "programme__round", "theme_area").get(pk=review_id)
        context = {"review": review, "programme": review.programme, "url": _programme_url(review.programme)}
        people = _people(Role.CITY_CONTACT, city=review.programme.city)
        _send_each("review_completed", context, people, cause=review)


# Events newer than this are left to their own task; older ones are mailed by the sweep.
GRACE = datetime.timedelta(minutes=2)
# Events older than this are history, not news.
MAX_AGE = datetime.timedelta(days=2)


def send_missed(now=None):
    """Mail the events whose task never ran (the broker was down when they happened)."""
    now = now or timezone.now()
    window = (now - MAX_AGE, now - GRACE)
    submissions = StatusChange.objects.filter(
        to_status=ActionProgramme.Status.SUBMITTED, notified_at__isnull=True, changed_at__range=window
    )
    for pk in submissions.values_list("pk", flat=True):
        notify_submission(pk)
    requested = ExtensionRequest.objects.filter(request_notified_at__isnull=True, requested_at__range=window)
    for pk in requested.values_list("pk", flat=True):
        notify_extension_requested(pk)
    decided = ExtensionRequest.objects.filter(decision_notified_at__isnull=True, decided_at__range=window)
    for pk in decided.values_list("pk", flat=True):
        notify_extension_decided(pk)
    completed = Review.objects.filter(
        theme_area__isnull=False, completion_notified_at__isnull=True, completed_at__range=window
    )
    for pk in completed.values_list("pk", flat=True):
        notify_review_completed(pk)
