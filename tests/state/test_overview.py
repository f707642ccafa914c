"""The overview of how concrete the state is: its figures against a known set of requests, who may see it,
that it shows counts and never what a request says, and that it costs the same for 3 requests and for 30."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Measure
from state import overview, services
from state.models import Instrument, StateRequest
from tests import factories

Status = StateRequest.Status
URL = "state:overview"
ASKED = timezone.make_aware(datetime.datetime(2030, 1, 7, 9, 0))


def make(programme, body, *, by, status, measure=None, instrument=None, days=None, asked=ASKED):
    """A request of `status`, asked at `asked` and, with `days`, answered that many days later."""
    return StateRequest.objects.create(
        programme=programme,
        measure=measure,
        body=body,
        instrument=instrument,
        need="Hemmelig behov",
        raised_by=by,
        status=status,
        created_at=asked,
        answered_at=asked + datetime.timedelta(days=days) if days is not None else None,
        referred_body=body if status == Status.REFERRED else None,
    )


@pytest.fixture
def waste(db):
    return factories.ThemeAreaFactory(
        code="waste", name_nb="Forbruk og avfall", name_en="Consumption and waste", order=3
    )


@pytest.fixture
def known(
    bergen_submitted, oslo_programme, contact_bergen, body, other_body, instrument, other_instrument, atp, energy, waste
):
    """Ten requests, one withdrawn. KS: offered (2 days), refused (4), referred (10), agreed (6), one open and
    one withdrawn; Enova: offered (1), refused (3.5), offered (8) and one acknowledged.

    Their theme areas: measures of land use (atp) and energy; KS's instrument is land use only, so a request
    for the whole programme with it is land use; Enova's second instrument is of two theme areas, so a
    request for the whole programme with it is across theme areas, as is one with no instrument."""
    road = Measure.objects.create(programme=bergen_submitted, theme_area=atp, title="Bybane")
    heat = Measure.objects.create(programme=bergen_submitted, theme_area=energy, title="Fjernvarme")
    broad = Instrument.objects.create(body=other_body, name_nb="Bred ordning", kind="guidance", offers_nb="Råd")
    broad.theme_areas.set([atp, energy])
    by = contact_bergen
    b, o = bergen_submitted, oslo_programme
    make(b, body, by=by, status=Status.OFFERED, measure=road, days=2)
    make(b, body, by=by, status=Status.REFUSED, measure=road, days=4)
    make(o, body, by=by, status=Status.REFERRED, instrument=instrument, days=10)
    make(b, body, by=by, status=Status.AGREED, measure=heat, instrument=instrument, days=6)  # the measure's theme
    make(o, body, by=by, status=Status.ASKED, asked=ASKED + datetime.timedelta(days=20))
    make(b, body, by=by, status=Status.WITHDRAWN, measure=road)
    make(b, other_body, by=by, status=Status.OFFERED, measure=heat, days=1)
    make(o, other_body, by=by, status=Status.ACKNOWLEDGED, instrument=broad)
    make(b, other_body, by=by, status=Status.REFUSED, measure=heat, days=3.5)
    make(o, other_body, by=by, status=Status.OFFERED, instrument=other_instrument, days=8)
    return {"ks": body, "enova": other_body}


def figures(row):
    return (row["asked"], row["answered"], row["offered"], row["refused"], row["open"], row["median_days"])


def test_the_totals_count_every_request_but_the_withdrawn(known):
    # Seven answered: 1, 2, 3.5, 4, 6, 8, 10 days; the fourth is the median.
    assert figures(overview.totals()) == (9, 7, 4, 2, 2, Decimal("4.0"))


def test_the_figures_per_body_with_an_even_and_an_odd_number_of_answers(known):
    rows = overview.by_body()

    assert [row["short_name"] for row in rows] == ["Enova", "KS"]
    # Enova: 1, 3.5, 8 days, the middle one; KS: 2, 4, 6, 10 days, (4 + 6) / 2.
    assert [figures(row) for row in rows] == [(4, 3, 2, 1, 1, Decimal("3.5")), (5, 4, 2, 1, 1, Decimal("5.0"))]


def test_the_figures_per_theme_area_count_each_request_once(known):
    rows = overview.by_theme()

    assert [row["code"] for row in rows] == ["atp", "energy", "waste", overview.ACROSS]
    assert [figures(row) for row in rows] == [
        (3, 3, 1, 1, 0, Decimal("4.0")),  # 2, 4, 10 days
        (4, 4, 3, 1, 0, Decimal("4.8")),  # 1, 3.5, 6, 8 days: (3.5 + 6) / 2 = 4.75
        (0, 0, 0, 0, 0, None),
        (2, 0, 0, 0, 2, None),
    ]
    assert sum(row["asked"] for row in rows) == overview.totals()["asked"]


def test_no_requests_give_zeros_and_no_median(db, atp):
    assert figures(overview.totals()) == (0, 0, 0, 0, 0, None)
    assert overview.by_body() == []
    assert [figures(row) for row in overview.by_theme()] == [(0, 0, 0, 0, 0, None)] * 2


def test_a_single_answer_is_its_own_median(bergen_submitted, contact_bergen, body):
    make(bergen_submitted, body, by=contact_bergen, status=Status.REFUSED, days=0.25)
    make(bergen_submitted, body, by=contact_bergen, status=Status.ASKED)

    assert figures(overview.totals()) == (2, 1, 0, 1, 1, Decimal("0.3"))


def test_an_answer_through_the_services_is_timed_from_asking(bergen_request, partner, time_machine):
    time_machine.move_to(bergen_request.created_at + datetime.timedelta(days=3, hours=12), tick=False)
    services.answer(bergen_request, to_status=Status.OFFERED, by=partner, offer="Tilskudd")

    assert figures(overview.totals()) == (1, 1, 1, 0, 0, Decimal("3.5"))


def test_the_open_requests_oldest_first_with_how_many(known, manager):
    now = ASKED + datetime.timedelta(days=30)

    found = overview.open_requests(manager, now, limit=1)

    assert found["total"] == 2
    [row] = found["rows"]
    assert (row["body"], row["city"], row["instrument"], row["status"], row["days_waiting"]) == (
        "Enova",
        "Oslo",
        "Bred ordning",
        Status.ACKNOWLEDGED,
        30,
    )


# --- The page -------------------------------------------------------------------------------------------------


def get(client, user, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse(URL))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contact_oslo", 403),
        ("contact_bergen", 403),
        ("coordinator", 403),
        ("outsider", 403),
        ("manager", 200),
        ("partner", 200),
        ("enova_partner", 200),
        ("superuser", 200),
    ],
)
def test_who_may_see_the_overview(request, client, persona, status):
    assert get(client, request.getfixturevalue(persona)).status_code == status


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(reverse(URL))

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={reverse(URL)}")


def test_the_page_shows_the_figures(client, manager, known):
    response = get(client, manager)

    assert response.context["total"] == overview.totals()
    assert [row["short_name"] for row in response.context["by_body"]] == ["Enova", "KS"]
    html = response.text
    assert "How concrete the state is" in html
    assert "<caption>Requests and answers by theme area</caption>" in html
    assert "Across theme areas" in html
    assert '<td class="num">5.0</td>' in html  # KS's median
    assert "2 requests are waiting for an answer." in html


def test_a_partner_of_another_body_sees_the_counts_but_not_the_requests(client, enova_partner, known):
    html = get(client, enova_partner).text

    # Enova's own list of requests is linked; KS's is not, nor a request of KS's.
    assert reverse("state:body_requests", args=[known["enova"].pk]) in html
    assert reverse("state:body_requests", args=[known["ks"].pk]) not in html
    ks_open = StateRequest.objects.get(body=known["ks"], status=Status.ASKED)
    enova_open = StateRequest.objects.get(body=known["enova"], status=Status.ACKNOWLEDGED)
    assert reverse("state:request_detail", args=[ks_open.pk]) not in html
    assert reverse("state:request_detail", args=[enova_open.pk]) in html
    # Counts and dates, never what a request says.
    assert "Hemmelig behov" not in html
    assert "Bybane" not in html


def test_the_page_says_when_nothing_has_been_asked(client, manager, atp):
    html = get(client, manager).text

    assert "No state body has been asked for anything yet." in html
    assert "No request is waiting for an answer." in html


def test_the_page_renders_in_norwegian(client, partner, known):
    response = get(client, partner, language="nb")

    assert response.status_code == 200
    assert '<html lang="nb"' in response.text


def test_only_the_first_open_requests_are_listed(client, manager, bergen_submitted, contact_bergen, body):
    for day in range(overview.OPEN_SHOWN + 2):
        make(bergen_submitted, body, by=contact_bergen, status=Status.ASKED, asked=ASKED + datetime.timedelta(day))

    response = get(client, manager)

    rows = response.context["open"]["rows"]
    assert (len(rows), response.context["open"]["total"]) == (overview.OPEN_SHOWN, overview.OPEN_SHOWN + 2)
    assert rows[0]["created_at"] == ASKED
    assert "The 20 that have waited longest are shown" in response.text


# --- The cost -------------------------------------------------------------------------------------------------


def add_requests(round_, bodies, themes, by, n):
    """`n` requests from as many cities, to the `bodies` in turn, for measures of the `themes` in turn, with
    every kind of answer and some open."""
    statuses = [Status.OFFERED, Status.REFUSED, Status.ASKED, Status.AGREED, Status.ACKNOWLEDGED, Status.WITHDRAWN]
    for i in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        measure = factories.MeasureFactory(programme=programme, theme_area=themes[i % len(themes)])
        status = statuses[i % len(statuses)]
        answered = status in StateRequest.ANSWERED
        make(programme, bodies[i % len(bodies)], by=by, status=status, measure=measure, days=i if answered else None)


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["manager", "partner"])
def test_the_overview_costs_the_same_for_3_and_30_requests(
    request, client, round_, body, other_body, atp, energy, manager, persona
):
    client.force_login(request.getfixturevalue(persona))
    add_requests(round_, [body, other_body], [atp, energy], manager, 3)
    three = count_queries(client)

    add_requests(round_, [body, other_body], [atp, energy], manager, 27)
    thirty = count_queries(client)

    assert three == thirty
    assert thirty < 15
    assert overview.totals()["asked"] == 26  # 3 + 27, less the 4 withdrawn of the 27 (every sixth)
