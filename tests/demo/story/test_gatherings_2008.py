"""The network gatherings of autumn 2008 in the demo: hosted in four cities, one per theme, and the
feedback the coordination group went through in December 2008."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q

from actionplans.models import Measure
from meetings.models import AgendaItem, ChecklistItem, Feedback, Invitation, Meeting, Minutes
from meetings.services import feedback_summary

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
END_OF_2008 = datetime.datetime(2009, 1, 1, tzinfo=OSLO)
# host city: (theme, county authority, first day, last day, answers to the survey)
HOSTS = {
    "Stavanger": ("atp", "fylkeskommune-rogaland", datetime.date(2008, 9, 18), datetime.date(2008, 9, 19), 11),
    "Trondheim": ("energy", "fylkeskommune-sor-trondelag", datetime.date(2008, 10, 8), datetime.date(2008, 10, 9), 11),
    "Fredrikstad": (
        "consumption",
        "fylkeskommune-ostfold",
        datetime.date(2008, 10, 28),
        datetime.date(2008, 10, 29),
        10,
    ),
    "Bergen": ("adaptation", "fylkeskommune-hordaland", datetime.date(2008, 11, 12), datetime.date(2008, 11, 13), 12),
}
STATE_BODIES = {
    "atp": ["Samferdselsdepartementet"],
    "energy": ["Enova SF", "Husbanken"],
    "consumption": ["Miljøverndepartementet og Direktoratet for forvaltning og IKT (Difi)"],
    "adaptation": [
        "Direktoratet for samfunnssikkerhet og beredskap (DSB)",
        "Norges vassdrags- og energidirektorat (NVE)",
    ],
}
ORGANISERS = {"departementet", "koordinator-atp", "koordinator-energi", "koordinator-forbruk", "koordinator-klima"}
DISCUSSION_WORDS = ("disku", "erfaring", "snakke", "samtale")
STATE_WORDS = ("staten", "statens", "departement", "enova", "husbanken", "difi", "dsb", "nve")


def gatherings():
    return {
        m.host_city.name: m
        for m in Meeting.objects.filter(
            kind=Meeting.Kind.NETWORK_GATHERING, starts_at__year=2008, title__startswith="Nettverkssamling i "
        ).select_related("host_city__county")
    }


def local(moment):
    return moment.astimezone(OSLO)


def test_gatherings_2008_one_per_theme_in_four_host_cities(story):
    held = gatherings()

    assert sorted(held) == sorted(HOSTS)
    for city, meeting in held.items():
        theme, _county, first, last, _answers = HOSTS[city]
        assert meeting.status == Meeting.Status.HELD
        assert [t.code for t in meeting.theme_areas.all()] == [theme]
        assert (local(meeting.starts_at).date(), local(meeting.ends_at).date()) == (first, last)
        assert first.weekday() < 5 and last.weekday() < 5
        hours = (meeting.ends_at - meeting.starts_at).total_seconds() / 3600
        assert 24 < hours < 30  # from the first morning to midday or the afternoon of the second
        assert meeting.title.startswith(f"Nettverkssamling i {city}: ")
        assert meeting.venue and meeting.description
        assert meeting.created_by.username == "departementet"
    assert {m.host_city.county.name for m in held.values()} == {"Rogaland", "Sør-Trøndelag", "Østfold", "Hordaland"}


def test_gatherings_2008_agendas_have_presentations_state_bodies_site_visits_and_discussion(story):
    for city, meeting in gatherings().items():
        theme = HOSTS[city][0]
        agenda = list(meeting.agenda.select_related("city").prefetch_related("measures"))
        presentations = [item for item in agenda if item.kind == AgendaItem.Kind.PRESENTATION]
        by_cities = [item for item in presentations if item.city is not None]
        others = [item for item in by_cities if item.city != meeting.host_city]

        assert [item.presenter for item in by_cities if item.city == meeting.host_city] == [f"{city} kommune"]
        assert 2 <= len(others) <= 3
        assert all(item.presenter == f"{item.city.name} kommune" for item in others)
        assert agenda[0].title == f"Velkommen til {city}"
        assert agenda[-1].title in ("Oppsummering og veien videre", "Lunsj")
        assert [
            item.presenter for item in presentations if item.city is None and "forventninger" not in item.title
        ] == (STATE_BODIES[theme])
        assert sum(item.kind == AgendaItem.Kind.DISCUSSION for item in agenda) >= 1
        for item in agenda:
            assert meeting.starts_at <= item.starts_at < item.ends_at <= meeting.ends_at

        visits = [item for item in agenda if item.kind == AgendaItem.Kind.SITE_VISIT]
        host_measures = Measure.objects.filter(
            programme__round__slug="handlingsprogram-2009", programme__city=meeting.host_city, theme_area__code=theme
        )
        shown = [measure for visit in visits for measure in visit.measures.all()]
        assert len(visits) == 2
        assert all(visit.place and visit.city == meeting.host_city for visit in visits)
        assert len(shown) == min(2, host_measures.count())
        assert set(shown) <= set(host_measures)

    # The ministry set out the frame and its expectations at three of the four.
    frames = AgendaItem.objects.filter(
        meeting__in=gatherings().values(), title="Rammer og forventninger til byenes handlingsprogrammer"
    )
    assert sorted(frames.values_list("meeting__host_city__name", "presenter")) == [
        ("Bergen", "Miljøverndepartementet"),
        ("Fredrikstad", "Miljøverndepartementet"),
        ("Stavanger", "Miljøverndepartementet"),
    ]


def test_gatherings_2008_site_visits_show_the_host_city_measures(story):
    visits = AgendaItem.objects.filter(meeting__in=gatherings().values(), kind=AgendaItem.Kind.SITE_VISIT)

    shown = sorted(visits.values_list("meeting__host_city__name", "measures__title"))

    assert shown == [
        ("Bergen", "Kartlegging av skredfare"),
        ("Bergen", "Vern mot stormflo på Bryggen"),
        ("Fredrikstad", "Avfallsforebygging og ombruk"),
        ("Fredrikstad", "Miljøkrav i kommunens anskaffelser"),
        ("Stavanger", "Fortetting langs Jærbanen"),
        ("Stavanger", "Hovedsykkelrute Stavanger–Sandnes"),
        ("Trondheim", "Energioppfølging i kommunale bygg"),
        ("Trondheim", "Utbygging av fjernvarme fra Heimdal varmesentral"),
    ]


def test_gatherings_2008_invitations_answered_and_attendance_recorded(story):
    for city, meeting in gatherings().items():
        theme, county, first, _last, _answers = HOSTS[city]
        invitations = list(meeting.invitations.select_related("user"))
        usernames = {invitation.user.username for invitation in invitations}
        contacts = [i for i in invitations if i.user.username.startswith("kontakt-")]
        came = [i for i in contacts if i.attended]

        assert len(contacts) == 13
        assert {"departementet", "ks", county} <= usernames
        assert sum(u.startswith("fylkeskommune-") for u in usernames) == 1
        assert any(u.startswith("koordinator-") for u in usernames) and any(
            u.startswith("nettverksleder") for u in usernames
        )
        assert {local(i.invited_at).date() for i in invitations} == {first - datetime.timedelta(days=28)}
        assert all(i.response != Invitation.Response.PENDING for i in invitations)
        assert all(i.invited_at < i.responded_at <= meeting.starts_at for i in invitations)
        assert all(local(i.responded_at).date() <= meeting.registration_deadline for i in invitations)
        assert all(i.attended is not None for i in invitations)
        assert all(not i.attended for i in invitations if i.response == Invitation.Response.NOT_ATTENDING)
        assert 10 <= len(came) <= 11
        assert meeting.host_city.name in {i.user.last_name for i in came}


def test_gatherings_2008_county_authorities_invited_to_all_two_attended(story):
    county = Q(user__username__startswith="fylkeskommune-")
    invitations = Invitation.objects.filter(county, meeting__in=gatherings().values())

    rows = sorted(invitations.values_list("meeting__host_city__name", "user__username", "response", "attended"))

    assert rows == [
        ("Bergen", "fylkeskommune-hordaland", "attending", True),
        ("Fredrikstad", "fylkeskommune-ostfold", "attending", False),
        ("Stavanger", "fylkeskommune-rogaland", "not_attending", False),
        ("Trondheim", "fylkeskommune-sor-trondelag", "attending", True),
    ]


def test_gatherings_2008_feedback_summary_too_tight_and_asking_for_discussion(story):
    for city, meeting in gatherings().items():
        summary = feedback_summary(meeting)
        figures, answers = summary["figures"], HOSTS[city][4]
        comments = [comment.lower() for comment in summary["comments"]]
        about_discussion = [c for c in comments if any(word in c for word in DISCUSSION_WORDS)]
        state_not_concrete = [c for c in comments if "konkret" in c and any(word in c for word in STATE_WORDS)]

        assert figures["answers"] == answers
        assert figures["pace_too_tight"] > answers / 2
        assert figures["pace_too_loose"] == 0
        assert figures["enough_no"] + figures["enough_partly"] >= answers - 1
        assert 3.8 <= figures["rating"] <= 4.1
        assert 4.3 <= figures["host_usefulness"] <= 4.6
        assert len(comments) == answers - 1
        assert len(about_discussion) > len(comments) / 2
        assert len(state_not_concrete) >= 2
        assert all(c == c.strip() and len(c) > 40 for c in comments)


def test_gatherings_2008_feedback_from_participants_within_a_week(story):
    for meeting in gatherings().values():
        answers = Feedback.objects.filter(meeting=meeting).select_related("user")
        came = set(meeting.invitations.filter(attended=True).values_list("user_id", flat=True))

        assert {a.user_id for a in answers} <= came
        assert not any(a.user.username in ORGANISERS or a.user.username.startswith("nettverksleder") for a in answers)
        assert all(meeting.ends_at < a.created_at < meeting.ends_at + datetime.timedelta(days=7) for a in answers)
        assert {a.rating for a in answers} <= {3, 4, 5}
        assert sum(a.rating == 4 for a in answers) > len(answers) / 2
        assert {a.host_usefulness for a in answers} <= {4, 5}
        assert not meeting.feedback_open()


def test_gatherings_2008_survey_marked_sent_at_the_end(story):
    for meeting in gatherings().values():
        came = meeting.invitations.filter(attended=True)

        assert meeting.survey_sent_at == meeting.ends_at
        assert set(came.values_list("survey_sent_at", flat=True)) == {meeting.ends_at}
        assert not meeting.invitations.filter(attended=False, survey_sent_at__isnull=False).exists()


def test_gatherings_2008_have_no_hosting_checklist(story):
    assert ChecklistItem.objects.filter(meeting__in=gatherings().values()).count() == 0


def test_gatherings_2008_minutes_published_main_points_only(story):
    for city, meeting in gatherings().items():
        minutes = Minutes.objects.get(meeting=meeting)

        assert minutes.status == Minutes.Status.PUBLISHED
        assert minutes.approved_by.username.startswith("nettverksleder-")
        assert meeting.ends_at < minutes.approved_at <= minutes.published_at == minutes.published_notified_at
        assert minutes.main_points.startswith(f"{city} kommune la fram klimaarbeidet")
        assert minutes.decisions.count() == 0 and minutes.action_items.count() == 0


def test_gatherings_2008_nothing_dated_after_2008(story):
    meetings = list(gatherings().values())
    moments = []
    for meeting in meetings:
        moments += [meeting.created_at, meeting.starts_at, meeting.ends_at, meeting.survey_sent_at]
        moments.append(meeting.feedback_closes_at)
    for model, fields in [
        (AgendaItem, ["starts_at", "ends_at"]),
        (Invitation, ["invited_at", "responded_at", "survey_sent_at", "feedback_reminded_at"]),
        (Feedback, ["created_at", "updated_at"]),
        (Minutes, ["approved_at", "published_at", "published_notified_at"]),
    ]:
        for row in model.objects.filter(meeting__in=meetings).values_list(*fields):
            moments += [moment for moment in row if moment is not None]

    assert len(moments) > 400  # the rows were found
    assert max(moments) < END_OF_2008
    assert min(moments) > datetime.datetime(2008, 8, 1, tzinfo=OSLO)
    assert max(m.registration_deadline for m in meetings) < datetime.date(2008, 12, 31)


def test_gatherings_2008_seeded_once(story):
    assert len(gatherings()) == 4
    assert story["second"]["meetings.Feedback"] == story["first"]["meetings.Feedback"]
    assert story["second"]["meetings.Invitation"] == story["first"]["meetings.Invitation"]
