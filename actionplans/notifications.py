"""E-mails about events: a submission came in, an extension was asked for or decided.

Each event is mailed once: in one transaction the task claims the event's `*_notified_at`
marker with a conditional update and queues one mail per recipient in the outbox (keyed by the
event and the person), so a task run twice finds nothing to do; if queuing fails, the
transaction rolls back, the marker with it, and the task is retried. The outbox sends the mails.
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionProgramme, DeadlineExtension, ExtensionRequest, Review, StatusChange
from cities.models import Membership
from lib.mail import absolute_url
from outbox.services import one_drain, queue

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


def _send_each(name, context, users, *, cause, notice=True):
    """Queue mail `name` to each of `users`, once per event and person."""
    with one_drain():
        for user in users:
            queue(name, context, to=user, kind=name, key=f"{name}:{cause.pk}:{user.pk}", cause=cause, notice=notice)


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
        context = {
            "programme": programme,
            "url": _programme_url(programme),
            # Submitted again after it was given back: the reviewers' earlier work is outdated.
            "resubmission": change.programme.status_changes.filter(
                to_status=ActionProgramme.Status.SUBMITTED, changed_at__lt=change.changed_at
            ).exists(),
        }
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


# --- Queued at once, in the transaction of the change (a few recipients; exactly once by their keys) ---


def comments_sent(review, change):
    """Tell the city's contacts that the coordinators have sent them comments (`change`: the status change)."""
    review = Review.objects.select_related("programme__city", "programme__round", "theme_area").get(pk=review.pk)
    context = {
        "review": review,
        "programme": review.programme,
        "count": review.comments.count(),
        "url": _programme_url(review.programme),
    }
    _send_each("comments_sent", context, _people(Role.CITY_CONTACT, city=review.programme.city), cause=change)


def _thread(comment, *, but):
    """The people of a comment's thread (its author and who has answered), but `but`, with an address."""
    users = [comment.author, *(reply.author for reply in comment.replies.select_related("author__profile"))]
    unique = {u.pk: u for u in users if u.pk != but.pk and u.is_active and u.email}
    return sorted(unique.values(), key=lambda u: u.username)


def comment_answered(reply):
    """Tell the others in the thread (the coordinator who wrote the comment, first) that it was answered."""
    comment = reply.comment
    context = {
        "comment": comment,
        "reply": reply,
        "programme": comment.review.programme,
        "url": _programme_url(comment.review.programme),
    }
    _send_each("comment_answered", context, _thread(comment, but=reply.author), cause=reply)


def comment_resolved(comment):
    """Tell the others in the thread that the comment was marked resolved, and by whom."""
    context = {
        "comment": comment,
        "programme": comment.review.programme,
        "url": _programme_url(comment.review.programme),
    }
    _send_each("comment_resolved", context, _thread(comment, but=comment.resolved_by), cause=comment)


def draft_shared(programme, *, by):
    """Tell the theme coordinators and network leaders that a city shares its draft with them
    (once a programme: sharing again after taking it back tells no one twice)."""
    programme = ActionProgramme.objects.select_related("city", "round").get(pk=programme.pk)
    context = {"programme": programme, "by": by, "url": _programme_url(programme)}
    _send_each("draft_shared", context, _people(Role.COORDINATOR, Role.NETWORK_LEADER), cause=programme)


def draft_note_added(note):
    """Tell the city's contacts that a coordinator left a note on the draft they shared."""
    programme = note.programme
    context = {"programme": programme, "note": note, "url": _programme_url(programme)}
    _send_each("draft_note", context, _people(Role.CITY_CONTACT, city=programme.city), cause=note)


def submission_receipt(change):
    """The city's receipt: what was submitted, when, by whom, and whether it came in on time."""
    programme = change.programme
    context = {"programme": programme, "change": change, "draft": change.draft, "url": _programme_url(programme)}
    contacts = _people(Role.CITY_CONTACT, city=programme.city)
    _send_each("submission_receipt", context, contacts, cause=change, notice=False)  # a receipt comes at once


def cities_moved_with(deadline):
    """The programmes whose due date is the round's own: not submitted, and no later date of their own."""
    return (
        ActionProgramme.objects.filter(round__deadline=deadline, extended_due_date__isnull=True)
        .exclude(status=ActionProgramme.Status.SUBMITTED)
        .select_related("city", "round")
    )


def notify_deadline_moved(extension_id):
    """Tell the contacts of every city whose date moved with the round's deadline: the old and the new date."""
    with _claimed(DeadlineExtension, extension_id, "announced_at") as claimed:
        if not claimed:
            return
        extension = DeadlineExtension.objects.select_related("deadline__round", "decided_by").get(pk=extension_id)
        programmes = list(cities_moved_with(extension.deadline))
        contacts = defaultdict(list)
        for m in (
            Membership.objects.filter(
                role=Role.CITY_CONTACT, city__in=[p.city_id for p in programmes], user__is_active=True
            )
            .exclude(user__email="")
            .select_related("user__profile")
        ):
            contacts[m.city_id].append(m.user)
        for programme in programmes:
            context = {
                "extension": extension,
                "round": extension.deadline.round,
                "city": programme.city,
                "earlier": extension.new_date < extension.old_date,
                "url": _programme_url(programme),
            }
            # A new date is news at once, as the reminders are.
            _send_each("deadline_moved", context, contacts[programme.city_id], cause=extension, notice=False)


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
    moved = DeadlineExtension.objects.filter(announced_at__isnull=True, decided_at__range=window)
    for pk in moved.values_list("pk", flat=True):
        notify_deadline_moved(pk)
