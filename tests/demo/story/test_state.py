"""The state's side of the demo (demo/state.py): the bodies' instruments of 2009 and of the current round,
the cities' requests on their measures, the answers of each kind and the history of every move."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from cities.models import Membership
from demo.clock import is_working_day
from outbox.models import OutgoingMail
from state import reminders
from state.models import Instrument, RequestReminder, StateRequest
from tests.demo.story.conftest import LOADED

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date
ROUND_2009, CURRENT = "handlingsprogram-2009", "handlingsprogram-2027"
FRONT_PAGES = {
    "SD": "https://www.regjeringen.no/",
    "MD": "https://www.regjeringen.no/",
    "Enova": "https://www.enova.no/",
    "Husbanken": "https://www.husbanken.no/",
    "DSB": "https://www.dsb.no/",
    "NVE": "https://www.nve.no/",
    "Difi": "https://www.difi.no/",
}
KEEPERS = {
    "SD": "partner-sd",
    "Enova": "partner-enova",
    "Husbanken": "partner-husbanken",
    "DSB": "partner-dsb",
    "NVE": "partner-nve",
    "Difi": "partner-difi",
    "MD": "departementet",
}
ASK, ACK, OFFER, REFER, REFUSE, WITHDRAW, AGREE = (
    "asked",
    "acknowledged",
    "offered",
    "referred",
    "refused",
    "withdrawn",
    "agreed",
)

# (round, city, measure (None: the programme), body, instrument (None: other), raised by, its moves).
REQUESTS = [
    (ROUND_2009, "Bergen", "Kartlegging av skredfare", "DSB", "Veiledning om klimatilpasning i kommunal planlegging", "kontakt-bergen", [ASK, ACK, REFER]),
    (ROUND_2009, "Trondheim", "Utbygging av fjernvarme fra Heimdal varmesentral", "Enova", "Rammeavtale med byene i Framtidens byer", "kontakt-trondheim", [ASK, ACK, OFFER, AGREE]),
    (ROUND_2009, "Tromsø", None, "DSB", None, "kontakt-tromso", [ASK, ACK, OFFER]),
    (ROUND_2009, "Fredrikstad", "Miljøkrav i kommunens anskaffelser", "Difi", "Veiledning om miljøkrav i offentlige anskaffelser", "koordinator-forbruk", [ASK, ACK, OFFER]),
    (ROUND_2009, "Skien", "Fjernvarme i Skien sentrum", "Enova", "Rammeavtale med byene i Framtidens byer", "kontakt-skien", [ASK, ACK, WITHDRAW]),
    (ROUND_2009, "Oslo", "Flere avganger på trikk og T-bane", "SD", "Belønningsordningen for bedre kollektivtransport og mindre bilbruk", "kontakt-oslo", [ASK, ACK, OFFER, AGREE]),
    (ROUND_2009, "Drammen", "Fortetting rundt Drammen stasjon", "Husbanken", "Faglig bistand til områdeutvikling", "kontakt-drammen", [ASK, ACK, OFFER]),
    (ROUND_2009, "Stavanger", "Passivhus i nye kommunale bygg", "Husbanken", "Kurs i passivhus for kommunale byggherrer", "kontakt-stavanger", [ASK, ACK, OFFER]),
    (ROUND_2009, "Tromsø", "Bedre bussbetjening av Tromsøya", "SD", "Belønningsordningen for bedre kollektivtransport og mindre bilbruk", "kontakt-tromso", [ASK, ACK, REFUSE]),
    (CURRENT, "Drammen", "Flomsikring langs Drammenselva", "NVE", "Bistand til flom- og skredsikring", "kontakt-drammen", [ASK, ACK]),
    (CURRENT, "Bærum", "Kommunale bygg som plusshus", "Enova", "Støtte til energitiltak i kommunale bygg", "kontakt-baerum", [ASK, ACK, WITHDRAW]),
    (CURRENT, "Stavanger", "Havnivå og stormflo i Vågen", "NVE", "Bistand til flom- og skredsikring", "kontakt-stavanger", [ASK, ACK, REFER]),
    (CURRENT, "Fredrikstad", "Havnivåstigning og stormflo langs Glomma", "DSB", "Veiledning om havnivåstigning og stormflo i planleggingen", "kontakt-fredrikstad", [ASK]),
    (CURRENT, "Oslo", "Utslippsfrie bygge- og anleggsplasser", "Enova", "Støtte til utslippsfrie bygge- og anleggsplasser", "kontakt-oslo", [ASK, ACK, OFFER]),
    (CURRENT, "Skien", "Flere bussavganger og elektriske busser i Grenland", "SD", "Belønningsmidler til nullutslipp i kollektivtrafikken", "kontakt-skien", [ASK, ACK, REFUSE]),
    (CURRENT, "Bergen", "Nye skoler som plusshus", "Enova", "Støtte til energitiltak i kommunale bygg", "kontakt-bergen", [ASK, ACK, OFFER]),
    (CURRENT, "Trondheim", "Kartlegging og sikring av kvikkleire", "NVE", "Bistand til flom- og skredsikring", "koordinator-klima", [ASK, ACK]),
    (CURRENT, "Kristiansand", "Landstrøm for ferjene til Danmark", "Enova", "Støtte til landstrøm", "kontakt-kristiansand", [ASK]),
]  # fmt: skip


def local(moment):
    return moment.astimezone(OSLO)


def requests():
    return list(
        StateRequest.objects.select_related(
            "programme__round", "programme__city", "measure", "body", "instrument", "raised_by", "referred_body"
        )
        .prefetch_related("status_changes__changed_by")
        .order_by("created_at", "pk")
    )


def instruments(**filters):
    return Instrument.objects.filter(**filters).select_related("body").prefetch_related("theme_areas")


def test_the_state_is_seeded_once(story):
    models = ["state.Instrument", "state.HistoricalInstrument", "state.StateRequest"]
    models += ["state.StateRequestStatusChange", "state.HistoricalStateRequest", "state.RequestReminder"]
    assert {m: story["first"][m] for m in models} == {m: story["second"][m] for m in models}
    assert story["first"]["state.StateRequest"] == len(REQUESTS)


def test_the_2009_instruments_are_those_of_the_note(story):
    found = {(i.body.short_name, i.kind, i.name_nb) for i in instruments(created_at__year=2009)}
    assert found == {
        ("SD", "grant", "Belønningsordningen for bedre kollektivtransport og mindre bilbruk"),
        ("Enova", "framework_agreement", "Rammeavtale med byene i Framtidens byer"),
        ("Husbanken", "course", "Kurs i passivhus for kommunale byggherrer"),
        ("Husbanken", "pilot_support", "Faglig bistand til områdeutvikling"),
        ("DSB", "guidance", "Veiledning om klimatilpasning i kommunal planlegging"),
        ("NVE", "guidance", "Veiledning om flom- og skredfare i arealplanleggingen"),
        ("Difi", "guidance", "Veiledning om miljøkrav i offentlige anskaffelser"),
        ("Difi", "course", "Kurs i miljøvennlige offentlige innkjøp"),
        ("MD", "guidance", "Felles utredninger med byene"),
        ("MD", "data_or_tool", "Utslippsstatistikk og klimaregnskapsmodell for kommunene"),
    }
    themes = {i.name_nb: {t.code for t in i.theme_areas.all()} for i in instruments(created_at__year=2009)}
    assert themes["Belønningsordningen for bedre kollektivtransport og mindre bilbruk"] == {"atp"}
    assert themes["Rammeavtale med byene i Framtidens byer"] == {"energy"}
    assert themes["Felles utredninger med byene"] == {"consumption", "adaptation"}
    assert all(themes.values())


def test_the_2009_instruments_were_open_in_2009_and_are_retired(story):
    for instrument in instruments(created_at__year=2009):
        assert (instrument.open_from.year, instrument.open_until.year) == (2009, 2009), instrument.name_nb
        deadline = instrument.application_deadline
        assert deadline is None or instrument.open_from <= deadline <= instrument.open_until
        assert local(instrument.created_at) < datetime.datetime(2009, 2, 2, tzinfo=OSLO)
        assert instrument.active is False
        # Registered and retired by the body's keeper, retired on the first working day after it closed.
        keeper = KEEPERS[instrument.body.short_name]
        first, *_middle, last = instrument.history.order_by("history_date", "history_id")
        assert (first.history_type, first.history_user.username, first.active) == ("+", keeper, True)
        assert (last.history_type, last.history_user.username, last.active) == ("~", keeper, False)
        retired = local(last.history_date).date()
        assert retired > instrument.open_until and is_working_day(retired)
        assert (retired - instrument.open_until).days <= 4


def test_the_current_instruments_are_open_around_the_round(story):
    current = list(instruments(active=True))
    assert {(i.body.short_name, i.kind) for i in current} == {
        ("SD", "grant"),
        ("Enova", "grant"),
        ("Husbanken", "pilot_support"),
        ("NVE", "grant"),
        ("NVE", "data_or_tool"),
        ("DSB", "guidance"),
    }
    assert len(current) == 8
    for instrument in current:
        # Registered after the round opened on 01.09.2026, before the load; open through the year it is due.
        assert D(2026, 9, 1) < local(instrument.created_at).date() < LOADED.date()
        assert instrument.open_from == D(2026, 9, 1)
        assert instrument.open_until in (None, D(2027, 12, 31))
        deadline = instrument.application_deadline
        assert deadline is None or (LOADED.date() < deadline <= instrument.open_until), instrument.name_nb
        if deadline:
            assert f"{deadline:%d.%m.%Y}" in instrument.terms_nb and f"{deadline:%d.%m.%Y}" in instrument.terms_en
    reward = Instrument.objects.get(name_nb="Belønningsmidler til nullutslipp i kollektivtrafikken")
    assert reward.application_deadline == D(2027, 3, 1)


def test_every_instrument_is_valid_in_both_languages_and_links_its_bodys_front_page(story):
    for instrument in instruments():
        instrument.full_clean()  # the https-only link, the lengths, the order of the window
        assert instrument.link == FRONT_PAGES[instrument.body.short_name]
        assert re.fullmatch(r"https://www\.[a-z]+\.no/", instrument.link)
        texts = [instrument.name_nb, instrument.name_en, instrument.offers_nb, instrument.offers_en]
        texts += [instrument.terms_nb, instrument.terms_en, instrument.contact_role]
        assert all(texts), instrument.name_nb
        assert instrument.body.short_name in instrument.contact_role or instrument.body.name in instrument.contact_role


def test_the_requests_of_the_cities(story):
    found = [
        (
            r.programme.round.slug,
            r.programme.city.name,
            r.measure.title if r.measure else None,
            r.body.short_name,
            r.instrument.name_nb if r.instrument else None,
            r.raised_by.username,
            [c.to_status for c in r.status_changes.all()],
        )
        for r in requests()
    ]
    assert found == REQUESTS
    for r in requests():
        assert r.status == r.status_changes.all()[len(r.status_changes.all()) - 1].to_status
        assert r.measure is None or r.measure.programme_id == r.programme_id
        assert r.instrument is None or r.instrument.body_id == r.body_id
    # Several cities in each round.
    assert len({row[1] for row in REQUESTS if row[0] == ROUND_2009}) == 8
    assert len({row[1] for row in REQUESTS if row[0] == CURRENT}) == 9


def test_every_kind_of_answer_is_there_in_the_current_round_and_in_2009(story):
    assert {r.status for r in requests()} == set(StateRequest.Status.values)
    by_round = {}
    for r in requests():
        by_round.setdefault(r.programme.round.slug, set()).add(r.status)
    assert by_round[ROUND_2009] == {
        OFFER,
        REFER,
        REFUSE,
        WITHDRAW,
        AGREE,
    }  # the requests of 2009 were all answered or withdrawn
    assert by_round[CURRENT] == {ASK, ACK, OFFER, REFER, REFUSE, WITHDRAW}


def test_the_answers_hold_what_each_kind_needs(story):
    for r in requests():
        offered = r.status in (OFFER, AGREE)
        assert bool(r.offer) == offered and bool(r.offer_conditions) == offered, r.need
        assert (r.offer_from is not None) == offered
        assert (r.referred_body is not None) == (r.status == REFER)
        assert bool(r.refusal_reason) == (r.status == REFUSE)
        answered = [c for c in r.status_changes.all() if c.to_status in (OFFER, REFER, REFUSE)]
        assert (r.answered_at is not None) == bool(answered)
        if answered:
            assert r.answered_at == answered[0].changed_at
    amounts = {r.measure.title: r.offer_amount for r in requests() if r.offer_amount is not None}
    assert amounts == {
        "Utbygging av fjernvarme fra Heimdal varmesentral": 25_000_000,
        "Flere avganger på trikk og T-bane": 150_000_000,
        "Fortetting rundt Drammen stasjon": 4_000_000,
        "Passivhus i nye kommunale bygg": 300_000,
        "Utslippsfrie bygge- og anleggsplasser": 4_500_000,
        "Nye skoler som plusshus": 18_000_000,
    }
    referrals = {
        (r.body.short_name, r.referred_body.short_name, r.referred_instrument.name_nb)
        for r in requests()
        if r.status == REFER
    }
    assert referrals == {
        ("DSB", "NVE", "Veiledning om flom- og skredfare i arealplanleggingen"),
        ("NVE", "DSB", "Veiledning om havnivåstigning og stormflo i planleggingen"),
    }
    refused = [r.refusal_reason for r in requests() if r.status == REFUSE]
    assert "15.06.2009" in refused[0] and "Grenland" in refused[1]


def test_the_offers_that_became_agreements(story):
    agreed = [r for r in requests() if r.status == AGREE]
    assert [(r.programme.city.name, r.agreement.title) for r in agreed] == [
        ("Trondheim", "Rammeavtale med Enova om energi i bygg"),
        ("Oslo", "Belønningsordningen for bedre kollektivtransport og mindre bilbruk"),
    ]
    for r in agreed:
        agreement = r.agreement
        parties = {p.city_id or p.organisation_id for p in agreement.parties.all()}
        assert {r.programme.city_id, r.body_id} <= parties
        assert r.measure in agreement.measures.all()
        # Made into the agreement by the programme management on the day it was signed.
        change = r.status_changes.get(to_status=AGREE)
        assert change.changed_by.username == "departementet"
        assert local(change.changed_at).date() == agreement.signed_date
    assert not StateRequest.objects.exclude(status=AGREE).filter(agreement__isnull=False).exists()


def test_every_move_is_made_by_someone_who_may_and_dated_when_it_happened(story):
    User = get_user_model()
    users = {u.pk: u for u in User.objects.all()}  # fresh objects: their memberships are read once each
    partners = {
        (m.user.username, m.organisation.short_name)
        for m in Membership.objects.filter(role="partner").select_related("user", "organisation")
    }
    for r in requests():
        changes = list(r.status_changes.all())
        moments = [c.changed_at for c in changes]
        assert moments == sorted(moments) and moments[-1] < LOADED
        assert changes[0].changed_at == r.created_at and changes[0].from_status == ""
        assert [c.from_status for c in changes[1:]] == [c.to_status for c in changes[:-1]]
        assert all(is_working_day(local(moment).date()) for moment in moments)
        if r.programme.round.slug == ROUND_2009:
            assert all(moment.year == 2009 for moment in moments)
        else:
            assert r.created_at > r.measure.created_at and r.created_at > LOADED - datetime.timedelta(days=50)
        assert r.instrument is None or r.instrument.created_at < r.created_at
        for change in changes:
            user = users[change.changed_by_id]
            if change.to_status == ASK:
                assert user == r.raised_by
                perm = "state.ask_for_measure" if r.measure else "state.ask_for_programme"
                assert user.has_perm(perm, r.measure or r.programme)
            elif change.to_status in (ACK, OFFER, REFER, REFUSE):
                # the body's own partner answers, not the programme management
                assert (user.username, r.body.short_name) in partners
                assert user.has_perm("state.answer_request", r)
            elif change.to_status == WITHDRAW:
                assert user == r.raised_by and user.has_perm("state.withdraw_request", r)
            else:
                assert user.username == "departementet" and user.has_perm("state.turn_into_agreement", r)


def test_requests_raised_on_the_citys_behalf(story):
    behalf = [(r.programme.city.name, r.raised_by.username) for r in requests() if r.on_behalf]
    assert behalf == [("Fredrikstad", "koordinator-forbruk"), ("Trondheim", "koordinator-klima")]
    for r in requests():
        if r.on_behalf:
            # by the coordinator of the measure's theme, for a programme submitted for review
            assert r.programme.submitted_at < r.created_at
            assert Membership.objects.filter(
                user=r.raised_by, role="coordinator", theme_area=r.measure.theme_area
            ).exists()


def test_every_body_that_answers_has_a_partner(story):
    bodies = set(StateRequest.objects.values_list("body__short_name", flat=True))
    assert bodies == {"SD", "Enova", "Husbanken", "DSB", "NVE", "Difi"}
    partners = dict(
        Membership.objects.filter(role="partner", user__username__startswith="partner-").values_list(
            "organisation__short_name", "user__username"
        )
    )
    assert partners == {body: KEEPERS[body] for body in bodies}
    assert set(
        get_user_model().objects.filter(username__startswith="partner-").values_list("first_name", flat=True)
    ) == {"Partner"}


def test_the_requests_that_waited_past_the_reminder_step_were_reminded_once_without_mail(story):
    sent = list(RequestReminder.objects.select_related("request__programme__city", "request__programme__round"))
    reminded = {(r.request.programme.round.slug, r.request.programme.city.name, r.days) for r in sent}
    # The two still waiting past 14 days (Drammen's acknowledged, Fredrikstad's not), and those that waited
    # past it before their answer came: Bærum's, withdrawn after 16 days, and most of 2009's.
    assert {(city, days) for round_, city, days in reminded if round_ == CURRENT} == {
        ("Drammen", 14),
        ("Fredrikstad", 14),
        ("Bærum", 14),
    }
    in_2009 = [r for r in sent if r.request.programme.round.slug == ROUND_2009]
    assert sorted((r.request.programme.city.name, local(r.sent_at).date()) for r in in_2009) == [
        ("Drammen", D(2009, 4, 3)),
        ("Oslo", D(2009, 3, 30)),
        ("Skien", D(2009, 3, 16)),
        ("Stavanger", D(2009, 4, 20)),
        ("Tromsø", D(2009, 3, 10)),
        ("Tromsø", D(2009, 8, 31)),
        ("Trondheim", D(2009, 3, 4)),
    ]
    for reminder in sent:
        request = reminder.request
        moment = local(reminder.sent_at)
        assert reminder.sent_at == reminder.scheduled_at == reminder.created_at
        assert (moment.hour, moment.minute) == (9, 0) and is_working_day(moment.date())
        assert local(request.created_at).date() + datetime.timedelta(days=14) <= moment.date() < LOADED.date()
        # Sent while the request waited: nothing answered or withdrew it before.
        closed = request.status_changes.filter(to_status__in=[OFFER, REFER, REFUSE, WITHDRAW]).first()
        assert closed is None or reminder.sent_at < closed.changed_at
    open_ones = [r for r in requests() if r.is_open and r.programme.round.slug == CURRENT]
    assert {r.programme.city.name for r in open_ones} == {"Drammen", "Fredrikstad", "Trondheim", "Kristiansand"}
    # The portal's first sweep after the load finds every due reminder done, and mails no one.
    assert reminders.plan(LOADED) == []
    assert not OutgoingMail.objects.filter(kind=reminders.MAIL_KIND).exists()


def test_enova_published_its_offer_to_oslo(story):
    published = [r for r in requests() if r.published_at is not None]

    assert [(r.programme.city.name, r.body.short_name, r.status) for r in published] == [("Oslo", "Enova", OFFER)]
    (offer,) = published
    assert offer.published_by.username == "partner-enova"
    assert offer.published_by.has_perm("state.publish_offer", offer)
    assert offer.answered_at < offer.published_at < LOADED
    assert is_working_day(local(offer.published_at).date())
