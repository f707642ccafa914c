"""What the state offers, and what the cities asked of it: the state bodies' instruments and the cities'
requests with the bodies' answers, in 2009 and in the current round.

The coordination group found in December 2008 that the state had not been clear and concrete enough about
what it could contribute, and made that the main task of following up the action programmes. So, after
the administrative meeting of 22.01.2009, the bodies put what they offered in the register: the reward
scheme for public transport (SD), the framework agreement with Enova, Husbanken's passive-house courses
and help with area development, DSB's and NVE's guidance on climate adaptation, Difi's procurement
guidance and courses, and the joint studies and shared data of the ministry (MD). The cities asked for
them on their measures once the reviews had found the candidates; the bodies' partners answered, with
offers, a referral, a refusal, and two of the offers became the agreements of autumn 2009. The 2009
instruments were retired when their windows closed.

The current round has instruments of its own, open around the round's deadline, and requests from
several cities with their answers so far: offers (one of them published by its body for the other cities),
a referral, a refusal, one withdrawn, two acknowledged and waiting, and two not yet acknowledged, of which
one was asked long enough ago for its body to have been reminded.

A request that waited for its answer past a reminder step was reminded to its body then, as the sweep
(`state.reminders`) would have done: the reminder is recorded as sent at its moment, and, as every event of
the demo, mailed to no one (the seed queues no mail).

Every step goes through the services of `state` at the moment it happened (demo.clock); the instruments
through the form their page uses, so that the demo holds nothing the page would refuse."""

import datetime

from django.utils import timezone

from actionplans.models import Round
from actionplans.reminders import OSLO, send_moment
from agreements.models import Agreement
from demo import round_current
from demo.clock import at, when, working_days_back
from demo.round_2009 import add_working_days
from demo.state_data import (
    INSTRUMENTS_2009,
    KEEPERS,
    LINKS,
    REQUESTS_2009,
    ROUND_2009,
    Status,
    current_instruments,
    current_requests,
)
from state import services
from state.forms import InstrumentForm
from state.models import Instrument, ReminderStep, RequestReminder, StateRequest

# The moves that answer a request (or withdraw it): from then on it is reminded to no one.
CLOSING = ("offer", "refer", "refuse", "withdraw")


def seed_2009(demo):
    """The 2009 instruments and requests, after the agreements of 2009 (two requests became two of them)."""
    instruments = {}
    for registered, offered in INSTRUMENTS_2009:
        instruments[offered.body, offered.name_nb] = _register(demo, offered, when(registered, 10, 0))
    programmes = {p.city.slug: p for p in Round.objects.get(slug=ROUND_2009).programmes.select_related("city")}
    for asked in REQUESTS_2009:
        _request(demo, programmes[asked.city], asked, instruments, lambda moment: moment)
    # Each 2009 instrument is retired on the first working day after its window closed.
    for _registered, offered in INSTRUMENTS_2009:
        instrument = instruments[offered.body, offered.name_nb]
        if instrument.active:
            _retire(demo, offered, instrument, when(add_working_days(offered.open_until + datetime.timedelta(1), 0), 9))


def seed_current(demo):
    """The current round's instruments and the requests on its measures so far, counted back from the load."""
    round_ = Round.objects.current()
    due = round_.deadline.due_date
    opened = round_current.opening_day(demo.today, due)
    instruments = {}
    for k, offered in enumerate(current_instruments(opened, due)):
        moment = when(add_working_days(opened, 1 + k // 3), 10, 10 * (k % 3))
        instruments[offered.body, offered.name_nb] = _register(demo, offered, moment)

    def moment(step):
        working_days, hour, minute = step
        return when(working_days_back(demo.today, working_days), hour, minute)

    programmes = {p.city.slug: p for p in round_.programmes.select_related("city")}
    for asked in current_requests(due):
        _request(demo, programmes[asked.city], asked, instruments, moment)


def _form_data(demo, offered, *, active):
    return {
        "body": demo.orgs[offered.body].pk,
        "name_nb": offered.name_nb,
        "name_en": offered.name_en,
        "kind": offered.kind,
        "theme_areas": [demo.themes[code].pk for code in offered.themes],
        "offers_nb": offered.offers_nb,
        "offers_en": offered.offers_en,
        "terms_nb": offered.terms_nb,
        "terms_en": offered.terms_en,
        "open_from": offered.open_from,
        "open_until": offered.open_until,
        "application_deadline": offered.application_deadline,
        "contact_role": offered.contact_role,
        "link": LINKS[offered.body],
        "active": active,
    }


def _save(demo, offered, moment, *, instance=None, active):
    """Through the instrument form and its service, as the body's keeper on its page, at `moment`."""
    keeper = demo.users[KEEPERS[offered.body]]
    with at(moment):
        form = InstrumentForm(_form_data(demo, offered, active=active), instance=instance, user=keeper)
        if not form.is_valid():
            raise ValueError(f"The demo instrument {offered.name_nb!r} is refused: {form.errors.as_json()}")
        form.instance._history_user = keeper
        return services.save_instrument(form)


def _register(demo, offered, moment):
    existing = Instrument.objects.filter(body=demo.orgs[offered.body], name_nb=offered.name_nb).first()
    return existing or _save(demo, offered, moment, active=True)


def _retire(demo, offered, instrument, moment):
    _save(demo, offered, moment, instance=instrument, active=False)


def _request(demo, programme, asked, instruments, moment):
    """One request and its moves, each at its moment; nothing if the city asked it already."""
    body = demo.orgs[asked.body]
    measure = programme.measures.filter(title=asked.measure).first() if asked.measure else None
    if asked.measure and measure is None:
        return
    if StateRequest.objects.filter(programme=programme, measure=measure, body=body).exists():
        return
    contact = demo.users[f"kontakt-{programme.city.slug}"]
    raiser = demo.users[asked.raised_by] if asked.raised_by else contact
    with at(moment(asked.asked)):
        request = services.ask(
            programme=programme,
            measure=measure,
            body=body,
            instrument=instruments[asked.body, asked.instrument] if asked.instrument else None,
            need=asked.need,
            needed_by=asked.needed_by,
            by=raiser,
        )
    partner = demo.users[KEEPERS[asked.body]]
    closing = [moment(when_) for when_, move, _fields in asked.steps if move in CLOSING]
    _reminded(request, until=closing[0] if closing else timezone.now())
    for when_, move, fields in asked.steps:
        fields = dict(fields)
        comment = fields.pop("comment", "")
        with at(moment(when_)):
            if move == "acknowledge":
                services.acknowledge(request, by=partner, comment=comment)
            elif move == "offer":
                services.answer(request, to_status=Status.OFFERED, by=partner, comment=comment, **fields)
            elif move == "refer":
                referred = instruments[fields["referred_instrument"]]
                services.answer(
                    request, to_status=Status.REFERRED, by=partner, comment=comment, referred_instrument=referred
                )
            elif move == "refuse":
                services.answer(request, to_status=Status.REFUSED, by=partner, comment=comment, **fields)
            elif move == "withdraw":
                services.withdraw(request, by=raiser, comment=comment)
            elif move == "publish":
                services.publish_offer(request, publish=True, by=partner)
            elif move == "agree":
                agreement = Agreement.objects.get(title=fields["agreement"])
                services.turn_into_agreement(request, agreement=agreement, by=demo.users["departementet"])
            else:
                raise ValueError(f"Unknown move {move!r}")


def _reminded(request, *, until):
    """The reminders of `request` whose moment came while it waited for its answer (before `until`), recorded
    as the sweep records them and marked sent at that moment, with no mail: once the portal runs, its sweep
    finds them done and reminds no one again of what the demo already reminded."""
    asked_on = timezone.localdate(request.created_at, OSLO)
    for days in ReminderStep.objects.days():
        due = send_moment(asked_on, days)
        if due < until:
            RequestReminder.objects.get_or_create(
                request=request, days=days, defaults={"scheduled_at": due, "created_at": due, "sent_at": due}
            )
