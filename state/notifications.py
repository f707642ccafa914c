"""E-mails about requests to the state: the body hears of a new request (and of one referred to it), the city
of the answer. The reminders of unanswered requests are `state.reminders`'.

Queued in the transaction of the move (`state.services`), one mail per recipient, keyed by the move and the
person: a move is made once (its row of history), and a second call for it queues nothing.
"""

from django.urls import reverse

from cities.models import Membership
from lib.mail import absolute_url
from outbox.services import one_drain, queue

Role = Membership.Role


def _people(memberships):
    """The active people of `memberships` with an address, each once, by user name."""
    users = {
        m.user.pk: m.user
        for m in memberships.filter(user__is_active=True).exclude(user__email="").select_related("user__profile")
    }
    return sorted(users.values(), key=lambda u: u.username)


def partners_of(body):
    return _people(Membership.objects.filter(role=Role.PARTNER, organisation=body))


def contacts_of(city):
    return _people(Membership.objects.filter(role=Role.CITY_CONTACT, city=city))


def managers():
    return _people(Membership.objects.filter(role=Role.PROGRAMME_MANAGEMENT))


def _send_each(name, context, users, *, change):
    with one_drain():
        for user in users:
            queue(name, context, to=user, kind=name, key=f"{name}:{change.pk}:{user.pk}", cause=change, notice=True)


def request_url(request):
    return absolute_url(reverse("state:request_detail", args=[request.pk]))


def _context(request):
    return {"request": request, "url": request_url(request)}


def request_made(request, change):
    """Tell the partners of the body that a city asks it for something (`change`: the request's first row)."""
    _send_each("state_request_made", _context(request), partners_of(request.body), change=change)


def request_answered(request, change):
    """Tell the city's contacts (and whoever raised it on their behalf) what the body answered."""
    people = contacts_of(request.programme.city)
    if request.on_behalf and request.raised_by.is_active and request.raised_by.email:
        people = sorted({u.pk: u for u in [*people, request.raised_by]}.values(), key=lambda u: u.username)
    _send_each("state_request_answered", _context(request), people, change=change)


def request_referred(request, change):
    """Tell the partners of the body the city was referred to that it may turn to them (`change`: the referral).
    A referral to another instrument of the request's own body tells no one: its partners made it."""
    if request.referred_body_id is None or request.referred_body_id == request.body_id:
        return
    context = {**_context(request), "comment": change.comment}
    _send_each("state_request_referred", context, partners_of(request.referred_body), change=change)
