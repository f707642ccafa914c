"""What each endpoint shows whom: scoped by the apps' access functions, as the pages are, for the management,
a coordinator of one theme, a city contact reading another city's programme, a partner; filters, pages, the
download; every list at a constant number of queries."""

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from actionplans import services
from actionplans.models import Round
from tests.api.conftest import bearer, token_for
from tests.conftest import upload
from tests.factories import CityFactory, MeasureFactory, ProgrammeFactory


def get(client, user, name, *args, scope="all", **params):
    response = client.get(reverse(f"api:{name}", args=args), params, **bearer(token_for(user, scope)))
    return response


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def personas(manager, coordinator, contact_oslo, contact_bergen, partner):
    return {
        "manager": manager,
        "coordinator": coordinator,
        "contact_oslo": contact_oslo,
        "contact_bergen": contact_bergen,
        "partner": partner,
    }


def test_programmes_are_those_each_may_see(client, world, personas):
    oslo, bergen = world["oslo"].pk, world["bergen"].pk

    seen = {name: ids(get(client, user, "programme-list")) for name, user in personas.items()}

    assert seen == {
        "manager": [bergen, oslo],
        "coordinator": [bergen],
        "contact_oslo": [oslo],  # Bergen's is not open to the other cities before the deadline
        "contact_bergen": [bergen],
        "partner": [bergen],
    }


def test_another_city_reads_the_submitted_version_only(client, world, contact_oslo):
    """Once the round is open to the cities, Oslo reads Bergen's programme and its submitted version, not its
    earlier draft; the draft's file is not found either."""
    Round.objects.filter(pk=world["bergen"].round_id).update(open_to_cities=Round.Openness.ALWAYS)
    bergen = world["bergen"]

    documents = get(client, contact_oslo, "programme-document-list", bergen.pk)
    draft = get(client, contact_oslo, "programme-document-detail", bergen.pk, world["bergen_first"].pk)
    file = get(client, contact_oslo, "programme-document-download", bergen.pk, world["bergen_first"].pk)

    assert ids(documents) == [bergen.submitted_draft_id]
    assert documents.json()["results"][0]["submitted"] is True
    assert (draft.status_code, file.status_code) == (404, 404)
    assert bergen.pk in ids(get(client, contact_oslo, "programme-list"))
    assert ids(get(client, contact_oslo, "review-list")) == []  # never the reviews of another city


def test_a_draft_is_hidden_from_other_cities(client, world, contact_bergen, coordinator, partner):
    for user in (contact_bergen, coordinator, partner):
        assert get(client, user, "programme-detail", world["oslo"].pk).status_code == 404
        assert get(client, user, "programme-document-list", world["oslo"].pk).status_code == 404
        assert world["oslo_measure"].pk not in ids(get(client, user, "measure-list"))
    assert SecurityEvent.objects.filter(kind="refused").count() == 6


def test_the_download_is_the_portals_safe_response(client, world, contact_bergen):
    bergen = world["bergen"]

    response = get(client, contact_bergen, "programme-document-download", bergen.pk, bergen.submitted_draft_id)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="andre.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = SecurityEvent.objects.get(kind="draft_downloaded")
    assert (entry.user, entry.detail["via"], entry.detail["version"]) == (contact_bergen, "api", "2")


def test_the_download_accepts_any_accept_header(client, world, contact_bergen):
    bergen = world["bergen"]
    url = reverse("api:programme-document-download", args=[bergen.pk, bergen.submitted_draft_id])

    response = client.get(url, HTTP_ACCEPT="application/pdf", **bearer(token_for(contact_bergen)))

    assert response.status_code == 200


def test_measures_and_their_fields(client, world, manager):
    response = get(client, manager, "measure-list", theme="atp", sector="road_traffic")

    assert response.json()["results"] == [
        {
            "id": world["bergen_measure"].pk,
            "programme": world["bergen"].pk,
            "city": world["bergen"].city_id,
            "round": world["bergen"].round_id,
            "theme_area": world["bergen_measure"].theme_area_id,
            "theme": "atp",
            "category": None,
            "category_name_nb": None,
            "category_name_en": None,
            "title": "Bybane",
            "description": "",
            "expected_effect": 120.0,
            "assessed_effect": None,
            "cost_estimate": None,
            "status": "planned",
            "sector": "road_traffic",
            "state_cooperation_wanted": False,
            "candidate_kind": "",
            "carried_from": None,
            "progress_status": None,
            "progress_share_done": None,
            "progress_effect_now": None,
            "created_at": response.json()["results"][0]["created_at"],
            "updated_at": response.json()["results"][0]["updated_at"],
        }
    ]


def test_reviews_for_reviewers_and_for_the_city_once_sent(client, world, personas, coordinator):
    review = world["review"]

    before = {name: ids(get(client, user, "review-list", scope="reviews")) for name, user in personas.items()}
    services.update_review(review, assessment="Bra", status="comments_sent", by=coordinator)
    after = {name: ids(get(client, user, "review-list", scope="reviews")) for name, user in personas.items()}

    assert before == {
        "manager": [review.pk],
        "coordinator": [review.pk],
        "contact_oslo": [],
        "contact_bergen": [],
        "partner": [],
    }
    assert after == {**before, "contact_bergen": [review.pk], "partner": [review.pk]}
    shown = get(client, personas["contact_bergen"], "review-detail", review.pk, scope="reviews").json()
    assert (shown["status"], shown["assessment"], [c["text"] for c in shown["comments"]]) == (
        "comments_sent",
        "Bra",
        ["Godt tiltak"],
    )


def test_agreements_meetings_minutes_and_instruments(client, world, personas):
    agreement, meeting, minutes = world["agreement"], world["meeting"], world["minutes"]

    seen = {
        name: (
            ids(get(client, user, "agreement-list")),
            ids(get(client, user, "meeting-list", when="past")),
            ids(get(client, user, "minutes-list")),
            ids(get(client, user, "instrument-list")),
        )
        for name, user in personas.items()
    }

    everything = ([agreement.pk], [meeting.pk], [minutes.pk], [world["instrument"].pk])
    assert seen == {
        "manager": everything,
        "coordinator": ([agreement.pk], [], [], [world["instrument"].pk]),
        "contact_oslo": ([], [meeting.pk], [minutes.pk], [world["instrument"].pk]),  # the host city
        "contact_bergen": everything,  # party and invited
        "partner": ([agreement.pk], [], [], [world["instrument"].pk]),
    }
    shown = get(client, personas["contact_bergen"], "meeting-detail", meeting.pk).json()
    assert shown["minutes"] == minutes.pk


def test_draft_minutes_are_not_shown(client, world, manager):
    world["minutes"].status = "draft"
    world["minutes"].save(update_fields=["status"])

    assert ids(get(client, manager, "minutes-list")) == []
    assert get(client, manager, "meeting-detail", world["meeting"].pk).json()["minutes"] is None


def test_meetings_are_filtered_as_on_the_page(client, world, manager):
    """Upcoming by default (the world's gathering is over); an object is found by its id whatever the list shows."""
    assert ids(get(client, manager, "meeting-list")) == []
    assert ids(get(client, manager, "meeting-list", when="past", kind="network_gathering")) == [world["meeting"].pk]
    assert ids(get(client, manager, "meeting-list", when="past", kind="political")) == []
    assert get(client, manager, "meeting-detail", world["meeting"].pk).status_code == 200


def test_programmes_by_round_and_state(client, world, manager, round_):
    other = Round.objects.create(name="Handlingsprogram 2031", slug="hp-2031")
    later = ProgrammeFactory(round=other, city=world["oslo"].city)

    assert ids(get(client, manager, "programme-list", status="submitted_on_time")) == [world["bergen"].pk]
    assert ids(get(client, manager, "programme-list", round="hp-2031")) == [later.pk]
    assert get(client, manager, "programme-detail", later.pk).status_code == 200  # not in the current round


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("programme-list", {"round": "no-such-round"}),
        ("programme-list", {"status": "lost"}),
        ("measure-list", {"programme": "1.5"}),
        ("measure-list", {"status": "maybe"}),
        ("agreement-list", {"kind": "treaty"}),
        ("review-list", {"status": "x"}),
        ("meeting-list", {"kind": "party"}),
        ("instrument-list", {"kind": "gift"}),
    ],
)
def test_a_bad_filter_is_a_clear_400(client, world, manager, name, params):
    client.cookies["django_language"] = "en"

    response = get(client, manager, name, **params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)  # the field, and what is wrong with it
    assert all(isinstance(message, str) for message in response.json()[next(iter(params))])


@pytest.mark.parametrize("params", [{"page": "99"}, {"page": "x"}, {"page": "99999999999999999999999"}])
def test_a_page_that_is_not_there(client, world, manager, params):
    assert get(client, manager, "city-list", **params).status_code == 404


def test_pages_of_at_most_200(client, manager, oslo):
    CityFactory.create_batch(210)

    default = get(client, manager, "city-list").json()
    large = get(client, manager, "city-list", page_size="500").json()

    assert (default["count"], len(default["results"]), len(large["results"])) == (211, 50, 200)
    assert default["next"].endswith("/api/v1/cities/?page=2")


@pytest.mark.parametrize("pk", ["0", "999999999999999999", "1" * 30, "-1", "x"])
def test_an_id_that_is_not_there(client, world, manager, pk):
    response = client.get(f"/api/v1/programmes/{pk}/", **bearer(token_for(manager)))

    assert response.status_code == 404


LISTS = [
    "city-list",
    "theme-list",
    "round-list",
    "programme-list",
    "measure-list",
    "review-list",
    "agreement-list",
    "meeting-list",
    "minutes-list",
    "instrument-list",
]


def grow(world, n, users):
    """`n` more of everything the lists show: cities with submitted programmes and their measures and reviews,
    agreements, meetings with published minutes, instruments."""
    import datetime

    from django.utils import timezone

    from agreements.models import Agreement, Party
    from meetings.models import ActionItem, Decision, Meeting, Minutes
    from state.models import Instrument

    manager, coordinator = users["manager"], users["coordinator"]
    atp = world["review"].theme_area
    ks = users["partner"].memberships.get().organisation
    for i in range(n):
        city = CityFactory()
        programme = ProgrammeFactory(round=world["bergen"].round, city=city)
        upload(programme, manager)
        services.submit_programme(programme, by=manager)
        MeasureFactory(programme=programme, theme_area=atp)
        review = services.review_for(programme, atp)
        services.add_comment(review, measure=None, text="Bra", by=coordinator)
        agreement = Agreement.objects.create(title=f"Avtale {city.pk}", kind="pilot_project", created_by=manager)
        agreement.theme_areas.set([atp])
        Party.objects.create(agreement=agreement, city=city)
        start = timezone.now() + datetime.timedelta(days=i + 1)
        meeting = Meeting.objects.create(
            kind="administrative", title=f"Møte {city.pk}", starts_at=start, ends_at=start, created_by=manager
        )
        meeting.theme_areas.set([atp])
        minutes = Minutes.objects.create(meeting=meeting, status="published", published_at=timezone.now())
        Decision.objects.create(minutes=minutes, text="Vedtak")
        ActionItem.objects.create(minutes=minutes, text="Oppgave", owner=manager)
        instrument = Instrument.objects.create(
            body=ks, name_nb=f"Ordning {city.pk}", kind="grant", offers_nb="Tilskudd"
        )
        instrument.theme_areas.set([atp])


@pytest.mark.parametrize("name", LISTS)
def test_every_list_costs_the_same_few_queries(client, world, personas, name, django_assert_max_num_queries):
    """The same number of queries for 2 and for 20 more rows of everything, at most 20."""
    manager = personas["manager"]
    secret = token_for(manager)
    url = reverse(f"api:{name}")
    params = {"when": "past"} if name == "meeting-list" else {}
    client.get(url, params, **bearer(secret))  # the token's first use writes its last use

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params, **bearer(secret)).status_code == 200
        return len(queries)

    grow(world, 2, personas)
    few = count()
    grow(world, 18, personas)
    with django_assert_max_num_queries(20):
        many = count()

    assert many == few
