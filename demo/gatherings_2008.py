"""The network gatherings of autumn 2008: one per theme network, each hosted by a city, with the host
city's own presentations and site visits to its measures, other cities' action programmes so far,
the state bodies of the theme, and the county authority of the host county invited.

Replayed through the meeting services: created, invited four weeks ahead, answered, attended, held,
and then the participants' feedback that the coordination group went through in December 2008 (the
programmes were too tight, too little time for exchange between the cities, the state not concrete
enough). The hosting recipe was made after these gatherings, so they have no checklist."""

import datetime

from django.db import transaction
from django.utils import timezone
from slugify import slugify

from actionplans.models import Measure
from cities.models import Membership
from demo.clock import at, is_working_day, when, working_day_before, working_days_back
from demo.gatherings_2008_data import ANSWERED, GATHERINGS
from demo.people import COORDINATORS, USERS
from meetings import services
from meetings.models import AgendaItem, Invitation, Meeting, Minutes
from meetings.reminders import feedback_reminder_moment
from outbox.services import suppressed

Kind = AgendaItem.Kind
NETWORK_LEADER = Membership.Role.NETWORK_LEADER
ROUND_2009 = "handlingsprogram-2009"
# Invited four weeks ahead; registration closed ten days before.
INVITED_BEFORE = datetime.timedelta(days=28)
REGISTRATION_BEFORE = datetime.timedelta(days=10)


def title(gathering):
    return f"Nettverkssamling i {gathering.host}: {gathering.label}"


def seed(demo):
    """The four gatherings of autumn 2008, held, with their agenda, invitations, feedback and minutes."""
    if Meeting.objects.filter(kind=Meeting.Kind.NETWORK_GATHERING, title=title(GATHERINGS[0])).exists():
        return
    with suppressed(), transaction.atomic():
        for gathering in GATHERINGS:
            hold(demo, gathering)


def hold(demo, gathering):
    host, theme = demo.cities[slugify(gathering.host)], demo.themes[gathering.theme]
    schedule = _schedule(gathering)
    starts_at, ends_at = schedule[0][1], schedule[-1][2]
    first_day = gathering.days[0][0]
    invited_at = when(working_day_before(first_day - INVITED_BEFORE), 9, 0)
    with at(when(working_days_back(invited_at.date(), 5), 14, 0)):
        meeting = services.create_meeting(
            by=demo.users["departementet"],
            theme_areas=[theme],
            kind=Meeting.Kind.NETWORK_GATHERING,
            title=title(gathering),
            description=gathering.description,
            host_city=host,
            venue=gathering.venue,
            starts_at=starts_at,
            ends_at=ends_at,
            registration_deadline=working_day_before(first_day - REGISTRATION_BEFORE),
        )
        # The coordination group decided on a hosting recipe only in December 2008.
        meeting.checklist.all().delete()
        _agenda(meeting, schedule, demo, host, theme)
    with at(invited_at):
        services.invite(meeting, users=_invitees(demo, gathering.theme), county_authorities=True)
    _answer(meeting, gathering, invited_at)
    with at(starts_at + datetime.timedelta(hours=1)):
        came = meeting.invitations.filter(response=Invitation.Response.ATTENDING).exclude(
            user__username__in=gathering.absent
        )
        services.record_attendance(meeting, attended=list(came))
    with at(ends_at):
        services.update_meeting(meeting, theme_areas=[theme], status=Meeting.Status.HELD)
        meeting.checklist.all().delete()
        # The survey went out as the gathering ended; nothing is left for the sweep to mail.
        meeting.invitations.filter(attended=True).update(survey_sent_at=ends_at)
        Meeting.objects.filter(pk=meeting.pk).update(survey_sent_at=ends_at)
    meeting.refresh_from_db()
    _feedback(meeting, gathering, demo)
    _minutes(meeting, gathering, demo)
    return meeting


def _schedule(gathering):
    """(item, starts, ends) for every item, each day's items one after the other."""
    schedule = []
    for (day, hour, minute), items in zip(gathering.days, gathering.agenda, strict=True):
        moment = when(day, hour, minute)
        for item in items:
            ends = moment + datetime.timedelta(minutes=item.minutes)
            schedule.append((item, moment, ends))
            moment = ends
    return schedule


def _agenda(meeting, schedule, demo, host, theme):
    """The agenda; each site visit shows one of the host city's 2009 measures of the theme, if it has any."""
    measures = list(
        Measure.objects.filter(programme__round__slug=ROUND_2009, programme__city=host, theme_area=theme)
        .select_related("category")
        .order_by("pk")
    )
    for item, starts, ends in schedule:
        agenda_item = AgendaItem.objects.create(
            meeting=meeting,
            kind=item.kind,
            title=item.title,
            presenter=item.presenter,
            city=demo.cities[slugify(item.city)] if item.city else None,
            place=item.place,
            starts_at=starts,
            ends_at=ends,
        )
        if item.kind == Kind.SITE_VISIT and measures:
            shown = _matching(measures, item.keywords)
            agenda_item.measures.add(shown)
            measures.remove(shown)


def _matching(measures, keywords):
    """The first measure whose text has the first of the keywords that any has, else the first one."""
    texts = [
        (measure, " ".join([measure.title, measure.description, measure.category.name_nb if measure.category else ""]))
        for measure in measures
    ]
    for keyword in keywords:
        for measure, text in texts:
            if keyword in text.casefold():
                return measure
    return measures[0]


def _invitees(demo, theme):
    """Every city's contact, the theme's coordinator and network leaders, programme management and KS.
    (The county authority of the host county is invited by the service, from the host city's county.)"""
    usernames = [f"kontakt-{slug}" for slug in sorted(demo.cities)]
    usernames += [COORDINATORS[theme], *_leaders(theme), "departementet", "ks"]
    return [demo.users[username] for username in usernames]


def _leaders(theme):
    return [username for username, _f, _l, role, code, _o in USERS if role == NETWORK_LEADER and code == theme]


def _answer(meeting, gathering, invited_at):
    """Everyone answers within a fortnight of the invitation, before registration closes."""
    deadline = when(meeting.registration_deadline, 15, 0)
    invitations = meeting.invitations.select_related("user", "meeting").order_by("user__username")
    for index, invitation in enumerate(invitations):
        day = _working_days_after(invited_at.date(), 1 + index * 5 % 11)
        moment = min(when(day, 8 + index * 3 % 8, index * 17 % 60), deadline)
        with at(moment):
            services.register(invitation, attending=invitation.user.username not in gathering.declined)


def _working_days_after(day, count):
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _respondents(meeting, gathering, demo):
    """Those who came, in the order they answered: the host city, the presenting cities, the other
    cities by name, the county authority and KS. The organisers do not answer their own survey."""
    came = {
        invitation.user.username: invitation.user
        for invitation in meeting.invitations.filter(attended=True).select_related("user")
    }
    presenting = [item.city for items in gathering.agenda for item in items if item.city]
    cities = dict.fromkeys([*presenting, *sorted(city.name for city in demo.cities.values())])
    order = [f"kontakt-{slugify(city)}" for city in cities]
    order += [username for username in came if username.startswith("fylkeskommune-")] + ["ks"]
    return [came[username] for username in order if username in came]


def _feedback(meeting, gathering, demo):
    respondents = _respondents(meeting, gathering, demo)
    end = timezone.localtime(meeting.ends_at)
    for user, answer, (days, hour, minute) in zip(respondents, gathering.answers, ANSWERED, strict=False):
        rating, pace, enough, host_usefulness, comment = answer
        answers = {
            "rating": rating,
            "pace": pace,
            "enough_discussion": enough,
            "host_usefulness": host_usefulness,
            "comment": comment,
        }
        with at(when(end.date() + datetime.timedelta(days=days), hour, minute)):
            services.give_feedback(meeting, user=user, answers=answers)
    # Those who had not answered three days after were reminded once.
    reminded = feedback_reminder_moment(meeting)
    answered = meeting.feedback.filter(created_at__lt=reminded).values("user_id")
    meeting.invitations.filter(attended=True).exclude(user_id__in=answered).update(feedback_reminded_at=reminded)


def _minutes(meeting, gathering, demo):
    """Short minutes, approved by the network leader and published a week after."""
    leader = _leaders(gathering.theme)[0]
    day = _working_days_after(timezone.localdate(meeting.ends_at), 5)
    with at(when(day, 10, 0)):
        minutes = Minutes.objects.create(meeting=meeting, main_points=gathering.minutes)
        services.approve_minutes(minutes, by=demo.users[leader])
    with at(when(day, 14, 0)):
        services.publish_minutes(minutes)
        # Told to the participants then; the notification after the commit finds nothing to send.
        Minutes.objects.filter(pk=minutes.pk).update(published_notified_at=timezone.now())
