"""E-mails about progress reports: the programme management hears that a reporter asks for more time, the
reporter of the decision. The reminders of reports not submitted are `results.reminders`'.

Queued in the transaction of the move (`results.services`), one mail per recipient, keyed by the request,
its status and the person: a request is decided once, and a second call queues nothing.
"""

from django.urls import reverse

from lib.mail import absolute_url
from outbox.services import one_drain, queue
from state.notifications import contacts_of, managers, partners_of


def reporters_of(report):
    """The people who write `report`: the contacts of its city, or the partners of its organisation."""
    return contacts_of(report.city) if report.city_id else partners_of(report.organisation)


def report_url(report):
    return absolute_url(reverse("results:report_detail", args=[report.pk]))


def _send_each(name, context, users, *, request):
    with one_drain():
        for user in users:
            queue(
                name,
                context,
                to=user,
                kind=name,
                key=f"{name}:{request.pk}:{request.status}:{user.pk}",
                cause=request,
                notice=True,
            )


def extension_requested(request):
    """Tell the programme management that a reporter asks for more time."""
    context = {
        "request": request,
        "report": request.report,
        "url": absolute_url(reverse("results:extension_decide", args=[request.pk])),
    }
    _send_each("results_extension_requested", context, managers(), request=request)


def extension_decided(request):
    """Tell the reporter (and whoever asked) what the programme management decided."""
    people = reporters_of(request.report)
    asker = request.requested_by
    if asker.is_active and asker.email and asker.pk not in {u.pk for u in people}:
        people = sorted([*people, asker], key=lambda u: u.username)
    context = {"request": request, "report": request.report, "url": report_url(request.report)}
    _send_each("results_extension_decided", context, people, request=request)
