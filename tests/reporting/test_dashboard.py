"""The dashboard on the landing page: what each persona sees there, the cities'
statuses, the figures, the charts and what a page of it costs."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from actionplans import services
from actionplans.models import OSLO, ExtensionRequest
from agreements import services as agreement_services
from agreements.models import Agreement
from cities.models import Organisation
from meetings.models import ActionItem, Invitation, Meeting, Minutes
from meetings.services import create_meeting
from reporting import charts, dashboard, effects
from tests import factories
from tests.conftest import upload

ON_TIME = datetime.datetime(2030, 1, 10, 12, tzinfo=OSLO)
LATE = datetime.datetime(2030, 1, 16, 0, 30, tzinfo=OSLO)  # half an hour after the end of the due day
SVG = "{http://www.w3.org/2000/svg}"


def submit(programme, by, at=ON_TIME):
    upload(programme, by)
    return services.submit_programme(programme, by=by, now=at)


def review(programme, theme, status, by):
    services.update_review(services.review_for(programme, theme), assessment="", status=status, by=by)


@pytest.fixture
def cities(round_, manager, contact_oslo, atp, energy):
    """Seven cities, one in each status of the dashboard."""

    def programme(name, slug):
        return factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name=name, slug=slug))

    programme("Arendal", "arendal")
    upload(programme("Bodø", "bodo"), manager)
    extended = programme("Drammen", "drammen")
    upload(extended, manager)
    request = ExtensionRequest.objects.create(
        programme=extended, requested_date=datetime.date(2030, 2, 1), reason="Valg", requested_by=contact_oslo
    )
    services.decide_extension(request, approve=True, comment="", by=manager)
    submit(programme("Fredrikstad", "fredrikstad"), manager)
    submit(programme("Hamar", "hamar"), manager, at=LATE)
    under_review = submit(programme("Kristiansand", "kristiansand"), manager)
    review(under_review, atp, "comments_sent", manager)
    reviewed = submit(programme("Larvik", "larvik"), manager)
    review(reviewed, atp, "completed", manager)
    review(reviewed, energy, "completed", manager)
    return {p.city.name: p for p in round_.programmes.select_related("city")}


# The programme's own state (one vocabulary, `ActionProgramme.state`); the deadline and the
# reviews are told beside it, not mixed into it.
EXPECTED = {
    "Arendal": "not_started",
    "Bodø": "draft",
    "Drammen": "draft",
    "Fredrikstad": "submitted_on_time",
    "Hamar": "submitted_late",
    "Kristiansand": "submitted_on_time",
    "Larvik": "submitted_on_time",
}
SUBMITTED = ["Fredrikstad", "Hamar", "Kristiansand", "Larvik"]


def get_home(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


# The cities' statuses


def test_city_statuses_on_a_known_set(cities, manager):
    rows = dashboard.city_statuses(manager, cities["Arendal"].round)

    assert {row["city"]: row["status"] for row in rows} == EXPECTED
    assert [row["city"] for row in rows] == sorted(EXPECTED)
    assert [row["city"] for row in rows if row["extended"]] == ["Drammen"]
    assert [row["city"] for row in rows if row["reviewed"]] == ["Larvik"]
    assert {row["city"]: row["reviews_completed"] for row in rows if row["submitted_at"]} == {
        "Fredrikstad": 0,
        "Hamar": 0,
        "Kristiansand": 0,
        "Larvik": 2,
    }


def test_a_pending_extension_request_is_told_beside_the_state(round_, manager, contact_oslo):
    programme = factories.ProgrammeFactory(round=round_)
    ExtensionRequest.objects.create(
        programme=programme, requested_date=datetime.date(2030, 2, 1), reason="Valg", requested_by=contact_oslo
    )

    (row,) = dashboard.city_statuses(manager, round_)

    assert (row["status"], row["extended"], row["extension_pending"]) == ("not_started", False, True)


def test_city_statuses_carry_deadline_and_submission(cities, manager):
    rows = {row["city"]: row for row in dashboard.city_statuses(manager, cities["Arendal"].round)}

    assert (rows["Drammen"]["due_date"], rows["Drammen"]["extended"]) == (datetime.date(2030, 2, 1), True)
    assert (rows["Arendal"]["due_date"], rows["Arendal"]["extended"]) == (datetime.date(2030, 1, 15), False)
    assert rows["Hamar"]["submitted_at"] == LATE
    assert rows["Hamar"]["submitted_version"] == 1
    assert (rows["Bodø"]["submitted_at"], rows["Bodø"]["submitted_version"]) == (None, None)


def test_status_counts_list_every_state_of_the_whole_round(cities):
    counts = dashboard.status_counts(cities["Arendal"].round)

    assert [(c["status"], c["count"]) for c in counts] == [
        ("not_started", 1),
        ("draft", 2),
        ("reopened", 0),
        ("submitted_on_time", 3),
        ("submitted_late", 1),
    ]


def test_a_submitted_programme_with_an_extension_is_on_time_or_late_as_pinned(round_, manager):
    programme = factories.ProgrammeFactory(round=round_)
    programme.extended_due_date = datetime.date(2030, 2, 1)
    programme.save(update_fields=["extended_due_date"])
    submit(programme, manager, at=LATE)  # late for the round, on time for its own date

    (row,) = dashboard.city_statuses(manager, round_)

    assert (row["status"], row["due_date"], row["extended"]) == ("submitted_on_time", datetime.date(2030, 2, 1), True)


def test_a_reopened_programme_is_reopened_not_a_plain_draft(round_, manager, atp):
    programme = submit(factories.ProgrammeFactory(round=round_), manager)
    review(programme, atp, "in_progress", manager)
    services.reopen_programme(programme, by=manager, comment="Mangler tiltak")

    with translation.override("nb"):
        (row,) = dashboard.city_statuses(manager, round_)
        label = str(row["status_label"])  # a lazy label: read in the language it is shown in

    assert (row["status"], label, row["submitted_at"]) == ("reopened", "Gjenåpnet", None)


# What each persona sees


def test_management_sees_every_city(client, cities, manager):
    response = get_home(client, manager)

    board = response.context["board"]
    assert [row["city"] for row in board["cities"]] == sorted(EXPECTED)
    html = response.content.decode()
    for name in EXPECTED:
        assert f">{name}</a></th>" in html
    for label in ["extension granted", "Submitted late", "Submitted on time", "Review progress"]:
        assert label in html
    assert "Every action programme of the round" in html


def test_the_city_table_shows_fifty_cities_a_page_and_counts_them_all(client, round_, manager):
    for n in range(55):
        factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name=f"By {n:02d}", slug=f"by-{n:02d}"))
    client.force_login(manager)

    first = client.get(reverse("home"))
    html = first.content.decode()
    assert [row["city"] for row in first.context["board"]["city_page"]] == [f"By {n:02d}" for n in range(50)]
    assert "Side 1 av 2" in html
    assert 'href="?page=2"' in html
    assert '<td class="num">55</td>' in html  # "Not started": every city, not only this page's

    second = client.get(reverse("home"), {"page": "2"})
    assert [row["city"] for row in second.context["board"]["city_page"]] == [f"By {n:02d}" for n in range(50, 55)]
    # A page number that makes no sense shows a page, not an error.
    assert client.get(reverse("home"), {"page": "x"}).status_code == 200
    assert client.get(reverse("home"), {"page": "99"}).context["board"]["city_page"].number == 2


def test_coordinator_sees_submitted_programmes_only(client, cities, coordinator):
    response = get_home(client, coordinator)

    board = response.context["board"]
    assert {row["city"]: row["status"] for row in board["cities"]} == {name: EXPECTED[name] for name in SUBMITTED}
    html = response.content.decode()
    for hidden in ["Arendal", "Bodø", "Drammen"]:
        assert hidden not in html
    assert "Review progress" in html
    assert "Programmes you can read: 4 of 7" in html
    assert board["extension_requests"] == []
    assert "Extension requests waiting" not in html


def test_partner_sees_submitted_programmes_without_their_reviews(client, cities, partner):
    response = get_home(client, partner)

    board = response.context["board"]
    assert {row["city"]: row["status"] for row in board["cities"]} == {
        "Fredrikstad": "submitted_on_time",
        "Hamar": "submitted_late",
        "Kristiansand": "submitted_on_time",
        "Larvik": "submitted_on_time",
    }
    assert board["review_progress"] == []
    html = response.content.decode()
    assert "Review progress" not in html
    assert "Drammen" not in html


def test_city_contact_keeps_its_own_cards(client, contact_oslo, oslo_programme, cities):
    response = get_home(client, contact_oslo)

    assert response.context["board"] is None
    html = response.content.decode()
    assert "Work on the programme" in html
    assert "Where the cities stand" not in html
    for other in EXPECTED:
        assert other not in html


def test_outsider_has_no_dashboard(client, outsider, cities):
    response = get_home(client, outsider)

    assert response.context["board"] is None
    assert "You have no role in the programme yet." in response.content.decode()


def test_dashboard_without_a_round(client, manager, agreements):
    response = get_home(client, manager)

    board = response.context["board"]
    assert (board["deadline"], board["cities"], board["effect_by_theme"]) == (None, [], [])
    html = response.content.decode()
    assert "No round has been opened yet." in html
    assert "Belønningsordning" not in html  # counted, not listed
    assert board["agreements"]["count"] == 3
    assert get_chart(client, manager, "effect-by-city").status_code == 200


def test_deadline_with_days_left(client, cities, manager):
    with time_machine.travel(datetime.datetime(2030, 1, 5, 12, tzinfo=OSLO), tick=False):
        board = get_home(client, manager).context["board"]

    assert board["deadline"]["due_date"] == datetime.date(2030, 1, 15)
    assert board["deadline"]["days_left"] == 10


# Reviews and climate effect


def test_review_progress_counts_submitted_programmes_per_theme(cities, manager, coordinator, atp, energy):
    round_ = cities["Arendal"].round
    expected = [
        {"code": "atp", "submitted": 4, "not_started": 2, "in_progress": 0, "comments_sent": 1, "completed": 1}
        | {"outdated": 0},
        {"code": "energy", "submitted": 4, "not_started": 3, "in_progress": 0, "comments_sent": 0, "completed": 1}
        | {"outdated": 0},
    ]

    for user in [manager, coordinator]:
        rows = dashboard.review_progress(user, round_)
        assert [{k: v for k, v in row.items() if k != "name"} for row in rows] == expected


def test_effect_counts_submitted_programmes_only(cities, manager, partner, atp, energy):
    round_ = cities["Arendal"].round
    factories.MeasureFactory(programme=cities["Fredrikstad"], theme_area=atp, expected_effect=Decimal("100.0"))
    factories.MeasureFactory(programme=cities["Fredrikstad"], theme_area=energy, expected_effect=Decimal("0.3"))
    factories.MeasureFactory(programme=cities["Hamar"], theme_area=energy, expected_effect=Decimal("50.5"))
    factories.MeasureFactory(programme=cities["Hamar"], theme_area=energy, expected_effect=None)
    factories.MeasureFactory(programme=cities["Bodø"], theme_area=atp, expected_effect=Decimal("1000.0"))  # a draft

    for user in [manager, partner]:
        assert [(r["code"], r["effect"], r["count"]) for r in effects.effect_by_theme(user, round_)] == [
            ("atp", Decimal("100.0"), 1),
            ("energy", Decimal("50.8"), 3),
        ]
        assert [(r["city"], r["effect"], r["count"]) for r in effects.effect_by_city(user, round_)] == [
            ("Fredrikstad", Decimal("100.3"), 2),
            ("Hamar", Decimal("50.5"), 2),
        ]
        total = effects.effect_total(user, round_)
        assert (total["effect"], total["count"]) == (Decimal("150.8"), 4)


# Agreements, meetings, action items and extension requests


@pytest.fixture
def agreements(manager, atp, energy, bergen, partner):
    ks = Organisation.objects.get(short_name="KS")

    def agreement(title, kind, status, theme, value=None, parties=()):
        a = Agreement.objects.create(title=title, kind=kind, status=status, value=value, created_by=manager)
        a.theme_areas.set([theme])
        agreement_services.set_parties(a, cities=[bergen], organisations=list(parties))
        return a

    return [
        agreement("Belønningsordning", "long_term_economic", "signed", atp, 300_000_000, parties=[ks]),
        agreement("Passivhuskurs", "competence_building", "identified", energy),
        agreement("Sykkelby", "pilot_project", "signed", atp, 2_000_000),
    ]


def test_agreements_by_status_and_kind_as_far_as_each_may_read(agreements, manager, coordinator, partner):
    def summary(user):
        data = dashboard.agreements(user)
        return (
            data["count"],
            {r["status"]: (r["count"], r["value"]) for r in data["by_status"] if r["count"]},
            {r["kind"]: r["count"] for r in data["by_kind"] if r["count"]},
        )

    assert summary(manager) == (
        3,
        {"signed": (2, 302_000_000), "identified": (1, None)},
        {"long_term_economic": 1, "competence_building": 1, "pilot_project": 1},
    )
    assert summary(coordinator) == (2, {"signed": (2, 302_000_000)}, {"long_term_economic": 1, "pilot_project": 1})
    assert summary(partner) == (1, {"signed": (1, 300_000_000)}, {"long_term_economic": 1})
    assert [r["status"] for r in dashboard.agreements(manager)["by_status"]] == Agreement.Status.values


def meeting(by, title, starts_at, **fields):
    return create_meeting(
        by=by,
        kind="coordination_group",
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        **fields,
    )


def test_next_meetings_are_the_five_soonest_not_cancelled(manager, coordinator):
    now = timezone.now()
    for days in [9, 2, 7, 5, 3, 11]:
        meeting(manager, f"Møte om {days} dager", now + datetime.timedelta(days=days))
    meeting(manager, "Avlyst", now + datetime.timedelta(days=1), status="cancelled")
    meeting(manager, "Holdt", now - datetime.timedelta(days=1), status="held")
    invited = meeting(manager, "Invitert", now + datetime.timedelta(days=20))
    Invitation.objects.create(meeting=invited, user=coordinator)

    assert [m["title"] for m in dashboard.next_meetings(manager, now)] == [
        f"Møte om {days} dager" for days in [2, 3, 5, 7, 9]
    ]
    assert [m["title"] for m in dashboard.next_meetings(coordinator, now)] == ["Invitert"]


@pytest.fixture
def action_items(manager, coordinator):
    now = timezone.now()
    today = timezone.localdate(now, OSLO)

    def minutes(title, status, invite):
        m = meeting(manager, title, now - datetime.timedelta(days=30), status="held")
        if invite:
            Invitation.objects.create(meeting=m, user=coordinator)
        return Minutes.objects.create(meeting=m, status=status)

    published = minutes("Publisert", Minutes.Status.PUBLISHED, invite=True)
    draft = minutes("Utkast", Minutes.Status.DRAFT, invite=True)
    hidden = minutes("Ikke invitert", Minutes.Status.PUBLISHED, invite=False)
    day = datetime.timedelta(days=1)
    return {
        "overdue": ActionItem.objects.create(minutes=published, text="Forfalt", due_date=today - 3 * day),
        "draft": ActionItem.objects.create(minutes=draft, text="I utkast", due_date=today - 2 * day),
        "uninvited": ActionItem.objects.create(minutes=hidden, text="Skjult", due_date=today - day),
        "own": ActionItem.objects.create(minutes=hidden, text="Egen", owner=coordinator, due_date=today - day),
        "done": ActionItem.objects.create(minutes=published, text="Ferdig", due_date=today - day, status="done"),
        "due_today": ActionItem.objects.create(minutes=published, text="I dag", due_date=today),
    }


def test_overdue_action_items_as_far_as_each_may_read(action_items, manager, coordinator):
    assert [i["text"] for i in dashboard.overdue_action_items(manager)] == ["Forfalt", "I utkast", "Skjult", "Egen"]
    assert [(i["text"], i["days_overdue"]) for i in dashboard.overdue_action_items(coordinator)] == [
        ("Forfalt", 3),
        ("Egen", 1),
    ]


def test_pending_extension_requests_for_the_management_only(client, cities, manager, coordinator, contact_oslo):
    pending = ExtensionRequest.objects.create(
        programme=cities["Bodø"], requested_date=datetime.date(2030, 3, 1), reason="Valg", requested_by=contact_oslo
    )

    rows = dashboard.pending_extension_requests(manager)

    assert [(r["pk"], r["city"], r["current_due_date"], r["requested_date"]) for r in rows] == [
        (pending.pk, "Bodø", datetime.date(2030, 1, 15), datetime.date(2030, 3, 1))
    ]
    assert dashboard.pending_extension_requests(coordinator) == []
    html = get_home(client, manager).content.decode()
    assert reverse("actionplans:extension_decide", args=[pending.pk]) in html


# Charts


def svg_values(response):
    root = ET.fromstring(response.content)  # noqa: S314 -- our own response
    return [t.text for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]


def get_chart(client, user, name, language="nb"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("dashboard_chart", args=[name]))


def test_effect_charts_are_svg_with_their_values(client, cities, manager, atp, energy):
    factories.MeasureFactory(programme=cities["Fredrikstad"], theme_area=atp, expected_effect=Decimal("1234.5"))
    factories.MeasureFactory(programme=cities["Hamar"], theme_area=energy, expected_effect=Decimal("20.0"))

    by_theme = get_chart(client, manager, "effect-by-theme")
    by_city = get_chart(client, manager, "effect-by-city")

    assert by_theme["Content-Type"] == "image/svg+xml"
    # Top to bottom as the rows; pygal draws a horizontal chart from the bottom.
    assert svg_values(by_theme) == ["20,0", "1\xa0234,5"]
    assert svg_values(by_city) == ["20,0", "1\xa0234,5"]
    assert b"<script" not in by_theme.content
    root = ET.fromstring(by_city.content)  # noqa: S314
    with translation.override("nb"):
        unit = translation.gettext("t CO₂e per year")
    assert root.find(f"{SVG}desc").text == f"Fredrikstad: 1\xa0234,5 {unit}; Hamar: 20,0 {unit}"


def test_agreement_chart_in_english(client, agreements, manager):
    response = get_chart(client, manager, "agreements-by-status", language="en")

    labels = [t.text for t in ET.fromstring(response.content).iter(f"{SVG}text")]  # noqa: S314
    assert "Signed" in labels
    # Identified 1, signed 2, none in the other five; drawn from the bottom up.
    assert svg_values(response) == ["0", "0", "0", "2", "0", "0", "1"]


def test_chart_relaxes_the_style_policy_on_itself_only(client, cities, manager):
    chart = get_chart(client, manager, "effect-by-theme")
    page = get_home(client, manager)

    assert "style-src 'self' 'unsafe-inline'" in chart["Content-Security-Policy"]
    assert "style-src" not in page["Content-Security-Policy"]
    assert chart["X-Content-Type-Options"] == "nosniff"


def test_chart_permissions(client, cities, contact_oslo, outsider, coordinator, partner):
    url = reverse("dashboard_chart", args=["effect-by-theme"])
    assert client.get(url)["Location"] == f"{reverse('login')}?next={url}"
    for user in [contact_oslo, outsider]:
        assert get_chart(client, user, "effect-by-theme").status_code == 403
    for user in [coordinator, partner]:
        assert get_chart(client, user, "effect-by-theme").status_code == 200
    assert get_chart(client, coordinator, "no-such-chart").status_code == 404


def test_chart_images_have_their_figures_as_alternative(client, cities, manager, atp):
    factories.MeasureFactory(programme=cities["Fredrikstad"], theme_area=atp, expected_effect=Decimal("12.5"))

    html = get_home(client, manager).content.decode()

    assert f'src="{reverse("dashboard_chart", args=["effect-by-city"])}"' in html
    assert 'alt="Bar chart of the expected effect by city: Fredrikstad: 12.5 t CO₂e per year"' in html


def test_city_chart_shows_the_largest_when_there_are_many():
    rows = [{"city": f"By {n:02d}", "effect": Decimal(n)} for n in range(40)]

    with translation.override("en"):
        root = ET.fromstring(charts.effect_by_city_svg(rows))  # noqa: S314

    values = [t.text for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]
    assert len(values) == charts.MAX_BARS
    assert values[-1] == "39.0"  # the largest at the top, drawn last


def test_charts_of_no_data_are_still_svg():
    for draw in [charts.effect_by_theme_svg, charts.effect_by_city_svg, charts.agreements_by_status_svg]:
        assert ET.fromstring(draw([])).tag == f"{SVG}svg"  # noqa: S314


# What a page costs


def add_cities(round_, n, *, by, themes, contact, viewer):
    """Cities with the works: a submitted programme with measures and reviews, an agreement,
    a meeting with overdue action items, an extension request; `viewer` invited and party where it can be."""
    now = timezone.now()
    organisations = list(Organisation.objects.filter(memberships__user=viewer))
    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        for theme in themes:
            factories.MeasureFactory(programme=programme, theme_area=theme)
        submit(programme, by)
        review(programme, themes[0], "in_progress", by)
        other = factories.ProgrammeFactory(round=round_)
        ExtensionRequest.objects.create(
            programme=other, requested_date=datetime.date(2030, 3, 1), reason="x", requested_by=contact
        )
        a = Agreement.objects.create(title="Avtale", kind="pilot_project", value=10, created_by=by)
        a.theme_areas.set(themes)
        agreement_services.set_parties(a, cities=[programme.city], organisations=organisations)
        m = meeting(by, "Møte", now + datetime.timedelta(days=3), host_city=programme.city)
        minutes = Minutes.objects.create(meeting=m, status=Minutes.Status.PUBLISHED)
        ActionItem.objects.create(minutes=minutes, text="x", owner=by, due_date=datetime.date(2020, 1, 1))
        Invitation.objects.create(meeting=m, user=contact)
        if viewer != by:
            Invitation.objects.create(meeting=m, user=viewer)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["manager", "coordinator", "partner"])
def test_dashboard_costs_the_same_for_1_3_and_13_cities(request, client, round_, atp, energy, manager, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("home")
    contact = factories.UserFactory()
    counts = []
    for n in [1, 2, 10]:
        add_cities(round_, n, by=manager, themes=[atp, energy], contact=contact, viewer=user)
        counts.append(count_queries(client, url))

    assert counts[0] == counts[1] == counts[2]
    assert counts[2] <= 20  # the landing page with its dashboard
    assert Meeting.objects.count() == 13


def test_chart_costs_the_same_for_1_and_3_cities(client, round_, atp, energy, manager):
    client.force_login(manager)
    contact = factories.UserFactory()
    counts = []
    for n in [1, 2]:
        add_cities(round_, n, by=manager, themes=[atp, energy], contact=contact, viewer=manager)
        counts.append([count_queries(client, reverse("dashboard_chart", args=[name])) for name in charts_names()])

    assert counts[0] == counts[1]


def charts_names():
    return ["effect-by-theme", "effect-by-city", "agreements-by-status"]


def svg_ticks(response):
    """The value axis's labels (pygal's y axis, drawn across a horizontal chart)."""
    root = ET.fromstring(response.content)  # noqa: S314 -- our own response
    axis = [g for g in root.iter(f"{SVG}g") if "axis" in (g.get("class") or "").split() and "y" in g.get("class")]
    return [t.text for g in axis for t in g.iter(f"{SVG}text") if t.text]


def test_axis_ticks_have_no_needless_decimals(client, cities, manager, atp):
    factories.MeasureFactory(programme=cities["Fredrikstad"], theme_area=atp, expected_effect=Decimal("11600.0"))

    ticks = svg_ticks(get_chart(client, manager, "effect-by-theme"))

    assert "5\xa0000" in ticks and "10\xa0000" in ticks
    assert not any("," in tick for tick in ticks)
    assert "11\xa0600,0" in svg_values(get_chart(client, manager, "effect-by-theme"))  # values keep their decimal


@pytest.mark.parametrize(
    ("asked", "drawn"), [("360", "360"), ("540", "540"), ("", "720"), ("99999", "720"), ("x", "720")]
)
def test_a_chart_is_drawn_at_the_width_the_page_shows_it(client, cities, manager, asked, drawn):
    client.force_login(manager)
    response = client.get(reverse("dashboard_chart", args=["effect-by-theme"]), {"width": asked})

    assert response.status_code == 200
    assert ET.fromstring(response.content).get("width") == drawn  # noqa: S314


def test_the_dashboard_shows_each_chart_with_its_table_one_click_away(client, cities, manager, atp):
    factories.MeasureFactory(programme=cities["Fredrikstad"], theme_area=atp, expected_effect=Decimal("12.5"))
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("home")).content.decode()

    chart = reverse("dashboard_chart", args=["effect-by-theme"])
    assert f'srcset="{chart}?width=360"' in html and f'srcset="{chart}?width=540"' in html
    # effect by theme, effect by city, agreements by status
    assert html.count("<summary>The figures as a table</summary>") == 3
