"""The demo as a whole: loaded twice it is the same; who takes part; the meetings of 2008–2009 and
the coordination group's minutes of December 2008; the agreements and their history; nothing dated
after the day it was loaded unless it is planned; no mail. (The 2009 round, the autumn gatherings and
the current round have their own test modules.)"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import models
from django.test import RequestFactory

from actionplans.models import ActionProgramme, Deadline, DeadlineExtension, Measure, Round, end_of_day
from agreements.models import Agreement
from cities.models import City, Membership, Organisation, ThemeArea
from meetings.models import ChecklistTemplateItem, Invitation, Meeting, Minutes
from opendata.models import Publication
from outbox.models import OutgoingMail
from results.models import MeasureProgress, ReportingRound
from tests.demo.story.conftest import LOADED

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date


def test_loading_the_demo_twice_changes_nothing(story):
    changed = {label: (n, story["second"][label]) for label, n in story["first"].items() if story["second"][label] != n}
    assert changed == {}


def test_the_programme_and_its_parties(story):
    assert City.objects.count() == 13
    assert ThemeArea.objects.count() == 4
    assert Round.objects.count() == 2
    assert ActionProgramme.objects.count() == 26
    oslo, baerum = City.objects.get(name="Oslo"), City.objects.get(name="Bærum")
    assert (oslo.municipality_number, oslo.county.name, oslo.population) == ("0301", "Oslo", 575475)
    assert (baerum.slug, baerum.municipality_number, baerum.population) == ("baerum", "0219", None)
    # The four ministries, KS, the three business organisations and the agencies, by their names of then.
    names = dict(Organisation.objects.values_list("short_name", "name"))
    assert names["FNO"] == "Finansnæringens Fellesorganisasjon"
    assert names["MD"] == "Miljøverndepartementet"
    assert names["HSH"] == "Handels- og Servicenæringens Hovedorganisasjon"
    kinds = dict(Organisation.objects.values_list("short_name", "kind"))
    assert [k for k, kind in kinds.items() if kind == "county_authority"] == ["HFK", "RFK", "STFK", "ØFK"]
    assert {"Enova", "Husbanken", "DSB", "NVE", "Difi"} <= {k for k, kind in kinds.items() if kind == "state_agency"}


def test_demo_users_log_in_with_demo(story):
    for username in ["kontakt-oslo", "kontakt-tromso", "koordinator-klima", "nettverksleder-atp", "politisk-ledelse"]:
        assert authenticate(RequestFactory().post("/"), username=username, password="demo") is not None, username
    assert authenticate(RequestFactory().post("/"), username="admin", password="demo").is_superuser


def roles():
    return {
        (
            m.user.username,
            m.role,
            m.theme_area.code if m.theme_area else None,
            m.organisation.short_name if m.organisation else None,
        )
        for m in Membership.objects.select_related("user", "theme_area", "organisation").exclude(role="city_contact")
    }


def test_the_people_of_the_programme_are_roles(story):
    # A contact for each of the 13 cities, so that every city's reminders reach someone.
    contacts = Membership.objects.filter(role="city_contact")
    assert contacts.count() == 13 and not City.objects.without_contact().exists()
    assert {m.user.last_name for m in contacts.select_related("user")} == set(
        City.objects.values_list("name", flat=True)
    )
    # Coordinators of all four themes: three from consultancies, climate adaptation's from DSB.
    coordinators = {(theme, org) for _u, role, theme, org in roles() if role == "coordinator"}
    assert coordinators == {
        ("atp", "Byplan"),
        ("energy", "Energiråd"),
        ("consumption", "Kretsløp"),
        ("adaptation", "DSB"),
    }
    assert set(
        Organisation.objects.filter(short_name__in=["Byplan", "Energiråd", "Kretsløp"]).values_list("kind", flat=True)
    ) == {"consultancy"}
    # Network leaders from the ministries responsible: SD, OED and KRD, MD, MD.
    leaders = {(theme, org) for _u, role, theme, org in roles() if role == "network_leader"}
    assert leaders == {("atp", "SD"), ("energy", "OED"), ("energy", "KRD"), ("consumption", "MD"), ("adaptation", "MD")}
    others = {(user, role, org) for user, role, _t, org in roles() if role not in ("coordinator", "network_leader")}
    assert others == {
        ("departementet", "programme_management", "MD"),
        ("ks", "partner", "KS"),
        # The state bodies' partners, who answer the cities' requests (demo/state.py).
        ("partner-sd", "partner", "SD"),
        ("partner-enova", "partner", "Enova"),
        ("partner-husbanken", "partner", "Husbanken"),
        ("partner-dsb", "partner", "DSB"),
        ("partner-nve", "partner", "NVE"),
        ("partner-difi", "partner", "Difi"),
        ("konsulent", "consultant", "Konsulent"),
        ("politisk-ledelse", "partner", "MD"),
        ("fylkeskommune-hordaland", "county_authority", "HFK"),
        ("fylkeskommune-rogaland", "county_authority", "RFK"),
        ("fylkeskommune-sor-trondelag", "county_authority", "STFK"),
        ("fylkeskommune-ostfold", "county_authority", "ØFK"),
    }
    # Roles, never real names: every demo user is named by the role and what it is for.
    from django.contrib.auth import get_user_model

    firsts = set(get_user_model().objects.exclude(username="admin").values_list("first_name", flat=True))
    assert firsts == {
        "Hovedkontakt",
        "Koordinator",
        "Nettverksleder",
        "Programledelsen",
        "Partner",
        "Konsulent",
        "Politisk ledelse",
        "Fylkeskommunen",
    }


def test_the_hosting_recipe_that_december_asked_for(story):
    recipe = list(ChecklistTemplateItem.objects.values_list("text", flat=True))
    assert len(recipe) == 10
    assert recipe[0].startswith("Lag et program med god tid til diskusjon")
    assert any("fylkeskommunen" in text for text in recipe)


def test_the_programme_meetings_2008_2009(story):
    historic = Meeting.objects.filter(starts_at__year__lt=2010).exclude(kind="network_gathering").order_by("starts_at")
    assert [
        (m.starts_at.astimezone(OSLO).date(), m.ends_at.astimezone(OSLO).date(), m.kind, m.status) for m in historic
    ] == [
        (D(2008, 6, 17), D(2008, 6, 17), "political", "held"),
        (D(2008, 8, 21), D(2008, 8, 22), "administrative", "held"),
        (D(2008, 9, 24), D(2008, 9, 24), "administrative", "held"),
        (D(2008, 10, 16), D(2008, 10, 16), "coordination_group", "held"),
        (D(2008, 12, 4), D(2008, 12, 4), "coordination_group", "broken_off"),
        (D(2008, 12, 16), D(2008, 12, 16), "coordination_group", "held"),
        (D(2009, 1, 22), D(2009, 1, 22), "administrative", "held"),
        (D(2009, 3, 9), D(2009, 3, 10), "grand_gathering", "held"),
        (D(2009, 5, 19), D(2009, 5, 19), "political", "held"),
    ]
    first, broken_off, continued = historic[1], historic[4], historic[5]
    assert first.starts_at == datetime.datetime(2008, 8, 21, 10, 0, tzinfo=OSLO) and first.host_city.name == "Oslo"
    assert continued.continues == broken_off
    # The coordination group: network leaders, coordinators, KS and the programme management, no cities.
    group = set(continued.invitations.values_list("user__username", flat=True))
    assert group == {
        "nettverksleder-atp",
        "nettverksleder-energi",
        "nettverksleder-bygg",
        "nettverksleder-avfall",
        "nettverksleder-klima",
        "koordinator-atp",
        "koordinator-energi",
        "koordinator-forbruk",
        "koordinator-klima",
        "ks",
        "departementet",
    }
    political = historic[8].invitations.values_list("user__username", flat=True)
    assert "politisk-ledelse" in political and "kontakt-tromso" in political
    # Each meeting was planned weeks ahead: made before it was held, not when the demo was loaded.
    assert all(m.created_at < m.starts_at - datetime.timedelta(days=20) for m in historic)


# The note's points, as the portal words them in the minutes of 16.12.2008.
NOTE_POINTS = [
    "godt inntrykk av samlingene",  # the positive impression
    "legge samlingene til byene fungerte godt",  # hosting in the cities worked
    "«oppskrift»",  # a recipe for hosting
    "invitere fylkeskommunen",  # inviting the county authorities worked …
    "fylkesnivået til å delta aktivt er likevel fortsatt en utfordring",  # … their participation a challenge
    "for tette",  # programmes too tight
    "mer tid til diskusjon",
    "ikke var tydelig og konkret nok",  # the state bodies must be more concrete …
    "hovedoppgave når handlingsprogrammene følges opp og avtalene avklares",  # … the main task
    "ingen felles mal",
    "holder kontakt med byene i innspurten",
    "fra årsskiftet til 15.01.2009",
    "oppfordres sterkt",
    "temaer og tiltak som kan bli avtaler",  # the review's aim
    "likeartede tiltak",  # grouping municipalities
    "innleid konsulent",  # the cross-theme review
    "samlede klimaeffekten",
    "belønningsordningen for kollektivtransport",
    "rammeavtale med Enova",
    "by- og boligutstilling",
    "passivhus",
    "offentlige innkjøp",
    "avfallsforebygging",
    "klimatilpasning",
    "utslippsstatistikk",
    "klimaregnskap",
    "22.01.2009",
    "09.–10.03.2009 i Oslo-området",
    "Politisk møte og bykonferanse 19.05.2009",
]


def test_the_december_minutes_hold_the_notes_points(story):
    minutes = Minutes.objects.get(meeting__starts_at__date=D(2008, 12, 16))
    assert minutes.status == "published"
    assert [point for point in NOTE_POINTS if point not in minutes.main_points] == []
    broken_off = Minutes.objects.get(meeting__starts_at__date=D(2008, 12, 4))
    assert "avbrutt" in broken_off.main_points and "innspurten" in broken_off.main_points.lower()
    extension = DeadlineExtension.objects.get(deadline__round__slug="handlingsprogram-2009")
    linked = minutes.decisions.get(deadline_extension__isnull=False)
    assert linked.deadline_extension == extension and "15.01.2009" in linked.text
    assert minutes.decisions.count() == 8
    assert minutes.approved_at.astimezone(OSLO).date() == D(2008, 12, 18)


def test_the_december_action_items_have_owners_and_due_dates(story):
    items = Minutes.objects.get(meeting__starts_at__date=D(2008, 12, 16)).action_items.select_related("owner")
    by_text = {item.text: (item.owner.username, item.due_date, item.status) for item in items}
    recipe = next(v for t, v in by_text.items() if "oppskrift" in t)
    assert recipe == ("nettverksleder-avfall", D(2009, 2, 13), "done")
    assert next(v for t, v in by_text.items() if "konsulent" in t)[0] == "departementet"
    reviews = {v[0] for t, v in by_text.items() if t.startswith("Starte gjennomgangen")}
    assert reviews == {"koordinator-atp", "koordinator-energi", "koordinator-forbruk", "koordinator-klima"}
    concrete = {v[0] for t, v in by_text.items() if "statens bidrag konkret" in t}
    assert concrete == {"nettverksleder-atp", "nettverksleder-energi", "nettverksleder-avfall", "nettverksleder-klima"}
    assert all(due < D(2009, 5, 19) for _owner, due, _status in by_text.values())


def test_the_agreements_and_their_history(story):
    kinds = set(Agreement.objects.values_list("kind", flat=True))
    assert kinds == {
        "framework",
        "long_term_economic",
        "pilot_project",
        "competence_building",
        "joint_study",
        "shared_data",
    }
    signed = Agreement.objects.filter(signed_date=D(2009, 5, 19)).order_by("title")
    assert [(a.title, a.kind, a.status) for a in signed] == [
        ("Intensjonsavtale mellom staten, KS og næringslivet", "framework", "completed"),
        ("Samarbeidsavtale mellom staten, KS og kommunene i Framtidens byer", "framework", "completed"),
    ]
    business = signed[0]
    assert sorted(p.organisation.short_name for p in business.parties.all()) == ["FNO", "HSH", "KS", "MD", "NHO"]
    state_cities = signed[1]
    assert state_cities.parties.filter(city__isnull=False).count() == 13
    # Signed at the political meeting, on its decision, and dated so.
    signing = state_cities.status_changes.get(to_status="signed")
    assert signing.decision.minutes.meeting.starts_at.astimezone(OSLO).date() == D(2009, 5, 19)
    assert signing.changed_at.astimezone(OSLO).date() == D(2009, 5, 19)
    created = state_cities.status_changes.first()
    assert (created.to_status, created.changed_at.astimezone(OSLO).date()) == ("identified", D(2008, 12, 16))
    assert state_cities.created_at.astimezone(OSLO).date() == D(2008, 12, 16)
    # The reward scheme grew from the reviews' candidates in four cities.
    reward = Agreement.objects.get(title__startswith="Belønningsordningen")
    assert sorted({m.programme.city.name for m in reward.measures.all()}) == [
        "Bergen",
        "Kristiansand",
        "Oslo",
        "Trondheim",
    ]
    assert {m.candidate_kind for m in reward.measures.all()} == {"long_term_economic"}
    assert list(reward.status_changes.values_list("to_status", flat=True)) == [
        "identified",
        "in_preparation",
        "negotiating",
        "signed",
        "active",
        "completed",
    ]
    # Nothing signed in the future; the history of every agreement in order and in the past.
    assert not Agreement.objects.filter(signed_date__gt=LOADED.date()).exists()
    for agreement in Agreement.objects.prefetch_related("status_changes"):
        moments = [c.changed_at for c in agreement.status_changes.all()]
        assert moments == sorted(moments) and moments[-1] < LOADED, agreement.title
    assert Agreement.objects.filter(status="dropped").count() == 1


def test_the_current_rounds_first_agreements_are_under_way(story):
    current = Agreement.objects.filter(measures__programme__round__slug="handlingsprogram-2027").distinct()
    assert sorted(current.values_list("status", flat=True)) == ["identified", "in_preparation", "negotiating", "signed"]
    for agreement in current:
        # grown from the candidates of the reviews under way, and begun this autumn
        assert {m.candidate_kind for m in agreement.measures.all()} == {agreement.kind}
        assert agreement.created_at > LOADED - datetime.timedelta(days=60)


# Fields that say when something is planned, due or valid, not when it happened.
PLANNED = {
    "meetings.Meeting": {"starts_at", "ends_at", "registration_deadline"},
    "meetings.AgendaItem": {"starts_at", "ends_at"},
    "meetings.ActionItem": {"due_date"},
    "actionplans.Deadline": {"due_date"},
    "actionplans.HistoricalDeadline": {"due_date"},
    "actionplans.DeadlineExtension": {"old_date", "new_date"},
    "actionplans.ExtensionRequest": {"requested_date", "granted_date"},
    "actionplans.ActionProgramme": {"extended_due_date"},
    "agreements.Agreement": {"period_start", "period_end"},
    "state.Instrument": {"open_from", "open_until", "application_deadline"},
    "state.HistoricalInstrument": {"open_from", "open_until", "application_deadline"},
    "state.StateRequest": {"needed_by", "offer_from"},
    "state.HistoricalStateRequest": {"needed_by", "offer_from"},
    "results.ReportingRound": {"due_date"},
    "results.HistoricalReportingRound": {"due_date"},
}


def test_nothing_is_dated_after_the_day_it_was_loaded_unless_planned(story):
    late = LOADED + datetime.timedelta(minutes=30)  # "told" markers are stamped as the load ends
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name in PLANNED.get(model._meta.label, ()):
                continue
            if isinstance(field, models.DateTimeField):
                bound = late
            elif isinstance(field, models.DateField):
                bound = late.date()
            else:
                continue
            count = model._default_manager.filter(**{f"{field.name}__gt": bound}).count()
            if count:
                found.append((model._meta.label, field.name, count))
    assert found == []


def test_the_rounds_deadlines(story):
    historic = Deadline.objects.get(round__slug="handlingsprogram-2009")
    assert historic.due_date == D(2009, 1, 15)
    extension = historic.extensions.get()
    assert (extension.old_date, extension.new_date) == (D(2008, 12, 31), D(2009, 1, 15))
    assert extension.decided_at.astimezone(OSLO).date() == D(2008, 12, 16)
    assert Deadline.objects.get(round__slug="handlingsprogram-2027").due_date == D(2027, 1, 15)


def test_the_upcoming_gathering_in_bergen(story):
    gathering = Meeting.objects.get(starts_at__year__gte=2010)
    assert (gathering.kind, gathering.host_city.name, gathering.status) == ("network_gathering", "Bergen", "planned")
    # A few weeks after the day the demo was loaded (30.11.2026), on a Tuesday, Oslo time, but not in
    # the weeks of Christmas and New Year.
    assert gathering.starts_at == datetime.datetime(2027, 1, 12, 10, 0, tzinfo=OSLO)
    assert gathering.ends_at == datetime.datetime(2027, 1, 13, 15, 0, tzinfo=OSLO)
    assert gathering.registration_deadline == D(2027, 1, 5)
    kinds = set(gathering.agenda.values_list("kind", flat=True))
    assert {"presentation", "site_visit", "discussion"} <= kinds
    visit = gathering.agenda.get(kind="site_visit")
    measure = visit.measures.get()
    assert measure.title.startswith("Bybanen") and measure.programme.city.name == "Bergen"
    assert measure.programme.round.slug == "handlingsprogram-2027"
    # Every demo user but the superuser: 13 city contacts and 23 others.
    assert gathering.invitations.count() == 36
    assert Invitation.objects.filter(meeting=gathering, response="attending").count() == 5
    assert gathering.checklist.count() == 10
    assert gathering.checklist.filter(done_at__isnull=False).count() == 4


def test_no_mail_is_queued(story):
    assert OutgoingMail.objects.count() == 0


def test_what_came_of_the_2009_programmes(story):
    grant, yearly, current = (
        ReportingRound.objects.get(slug="tilskudd-2009"),
        ReportingRound.objects.get(slug="arsrapport-2011"),
        ReportingRound.objects.get(slug="arsrapport-2026"),
    )
    assert (grant.kind, grant.due_date, grant.programme_round.slug) == (
        "grant_use",
        D(2010, 5, 1),
        "handlingsprogram-2009",
    )
    for reporting_round in (grant, yearly):
        reports = reporting_round.reports.filter(city__isnull=False)
        # Every city of 2009 reported, on a working day before the due date (or its own date).
        assert reports.count() == reports.filter(status="submitted", submitted_on_time=True).count() == 13
        assert all(r.submitted_at < end_of_day(r.extended_due_date or r.reporting_round.due_date) for r in reports)
        # On every measure of its 2009 programme.
        for report in reports:
            assert (
                report.measure_rows.count()
                == report.city.programmes.get(round__slug="handlingsprogram-2009").measures.count()
            )
    tromso = grant.reports.get(city__slug="tromso")
    assert tromso.extended_due_date == D(2010, 5, 7) and tromso.extension_requests.get().status == "approved"
    # The measures came further from 2010 to 2011, and some are done by then.
    shares = {p.measure_id: p.share_done for p in MeasureProgress.objects.filter(report__reporting_round=grant)}
    later = {p.measure_id: p for p in MeasureProgress.objects.filter(report__reporting_round=yearly)}
    assert all(later[m].share_done >= s for m, s in shares.items())
    assert {p.status for p in later.values()} >= {"done", "under_way", "stopped"}
    # The current round's first yearly report is open, with drafts only.
    assert current.due_date > LOADED.date() and not current.reports.filter(status="submitted").exists()


def test_the_2009_round_is_open_data(story, client):
    publication = Publication.objects.get(round__slug="handlingsprogram-2009")
    assert publication.withdrawn_at is None and publication.published_at.astimezone(OSLO).date() == D(2009, 6, 2)
    client.cookies["django_language"] = "en"
    page = client.get("/open/handlingsprogram-2009/")
    assert page.status_code == 200 and "Bergen" in page.content.decode()
    assert client.get("/open/handlingsprogram-2027/").status_code == 404  # the current round is not


def test_the_consultant_assessed_the_2009_claims(story):
    measures = Measure.objects.filter(programme__round__slug="handlingsprogram-2009")
    claimed = measures.filter(expected_effect__gt=0)
    assert (
        claimed.count() == claimed.filter(assessed_effect__isnull=False, assessed_by__username="konsulent").count() > 0
    )
    assert all(m.assessed_effect <= m.expected_effect and m.assessed_reason for m in claimed)
    # The measures name the sector they cut, but adaptation's cut none.
    assert not measures.filter(theme_area__code="atp").exclude(sector="road_traffic").exists()
    assert not measures.filter(theme_area__code="adaptation").exclude(sector="").exists()
