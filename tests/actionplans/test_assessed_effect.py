"""A reviewer's assessed effect of a measure beside the city's claim: who may set and clear it,
bad input, its history, and the totals claimed against assessed (by theme, sector and city)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import analysis, services
from actionplans.models import Measure
from cities.models import Membership
from tests import factories
from tests.conftest import upload

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _persona(username, role, **scope):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def consultant(db):
    return _persona("konsulent", Role.CONSULTANT)


@pytest.fixture
def energy_coordinator(energy):
    return _persona("koordinator-energi", Role.COORDINATOR, theme_area=energy)


@pytest.fixture
def network_leader(atp):
    return _persona("nettverksleder-atp", Role.NETWORK_LEADER, theme_area=atp)


def log_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def measure(bergen_programme, contact_bergen, atp):
    """A land-use measure of Bergen's submitted programme, claimed at 120 t."""
    measure = factories.MeasureFactory(
        programme=bergen_programme, theme_area=atp, title="Bysykler", expected_effect=Decimal("120.0")
    )
    upload(bergen_programme, contact_bergen)
    services.submit_programme(bergen_programme, by=contact_bergen)
    return measure


def assess_url(measure):
    return reverse("actionplans:measure_assess", args=[measure.pk])


# Setting and clearing


@pytest.mark.parametrize("persona", ["coordinator", "network_leader", "consultant", "manager", "superuser"])
def test_who_may_assess(request, client, measure, persona):
    user = request.getfixturevalue(persona)
    log_in(client, user)

    response = client.post(assess_url(measure), {"assessed_effect": "80,5", "assessed_reason": "Færre brukere"})

    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:measure_detail", args=[measure.pk])
    measure.refresh_from_db()
    assert (measure.assessed_effect, measure.assessed_reason, measure.assessed_by) == (
        Decimal("80.5"),
        "Færre brukere",
        user,
    )
    assert measure.assessed_at is not None
    assert measure.expected_effect == Decimal("120.0")  # the city's claim stays


def test_clearing_the_assessment(client, coordinator, measure):
    services.assess_measure(measure, effect=Decimal("80"), reason="Færre brukere", by=coordinator)
    log_in(client, coordinator)

    response = client.post(assess_url(measure), {"assessed_effect": "", "assessed_reason": ""})

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.assessed_effect, measure.assessed_reason, measure.assessed_by, measure.assessed_at) == (
        None,
        "",
        None,
        None,
    )


def test_the_history_keeps_each_assessment(client, coordinator, manager, measure):
    log_in(client, coordinator).post(assess_url(measure), {"assessed_effect": "80", "assessed_reason": "Første"})
    log_in(client, manager).post(assess_url(measure), {"assessed_effect": "90", "assessed_reason": "Andre"})

    history = Measure.history.filter(id=measure.pk).order_by("history_date")
    assert [(h.assessed_effect, h.assessed_reason) for h in history][-2:] == [
        (Decimal("80"), "Første"),
        (Decimal("90"), "Andre"),
    ]
    assert [h.history_user for h in history][-2:] == [coordinator, manager]


def test_the_measure_page_has_the_form_for_who_may_assess(client, coordinator, partner, measure):
    log_in(client, coordinator)
    html = client.get(reverse("actionplans:measure_detail", args=[measure.pk])).content.decode()
    assert f'action="{assess_url(measure)}"' in html
    assert "Not assessed" in html

    log_in(client, partner)
    html = client.get(reverse("actionplans:measure_detail", args=[measure.pk])).content.decode()
    assert assess_url(measure) not in html


def test_the_review_card_links_to_the_assessment(client, coordinator, energy_coordinator, measure, bergen_programme):
    url = reverse("actionplans:review_detail", args=[bergen_programme.pk, "atp"])

    assert assess_url(measure) in log_in(client, coordinator).get(url).content.decode()
    assert assess_url(measure) not in log_in(client, energy_coordinator).get(url).content.decode()


# Who may not


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contact_bergen", 403),  # the city's own contact
        ("energy_coordinator", 403),  # another theme's coordinator
        ("partner", 403),
        ("contact_oslo", 404),
        ("outsider", 404),
    ],
)
def test_who_may_not_assess(request, client, measure, persona, status):
    log_in(client, request.getfixturevalue(persona))

    assert client.get(assess_url(measure)).status_code == status
    assert client.post(assess_url(measure), {"assessed_effect": "1", "assessed_reason": "x"}).status_code == status
    measure.refresh_from_db()
    assert measure.assessed_effect is None


def test_anonymous_is_sent_to_log_in(client, measure):
    response = client.post(assess_url(measure), {"assessed_effect": "1", "assessed_reason": "x"})

    assert response["Location"] == f"{reverse('login')}?next={assess_url(measure)}"


def test_not_on_a_programme_that_is_not_submitted(client, manager, coordinator, oslo_programme, atp):
    draft_measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)

    assert log_in(client, manager).get(assess_url(draft_measure)).status_code == 403
    assert log_in(client, coordinator).get(assess_url(draft_measure)).status_code == 404
    with pytest.raises(ValidationError):
        services.assess_measure(draft_measure, effect=Decimal("1"), reason="x", by=manager)


def test_a_reopened_programme_is_no_longer_assessed(client, manager, coordinator, measure):
    services.reopen_programme(measure.programme, by=manager, comment="Mangler")

    data = {"assessed_effect": "1", "assessed_reason": "x"}
    assert log_in(client, manager).post(assess_url(measure), data).status_code == 403
    assert log_in(client, coordinator).post(assess_url(measure), data).status_code == 404  # a draft again


# Bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assessed_effect": "80", "assessed_reason": "  "}, "Say why you assess the effect so."),
        ({"assessed_effect": "mye", "assessed_reason": "x"}, "Enter a number."),
        ({"assessed_effect": "10000001", "assessed_reason": "x"}, "Enter an effect between"),
        ({"assessed_effect": "-10000001", "assessed_reason": "x"}, "Enter an effect between"),
        ({"assessed_effect": "1.25", "assessed_reason": "x"}, "no more than 1 decimal place"),
        ({"assessed_effect": "NaN", "assessed_reason": "x"}, "Enter a number."),
        ({"assessed_effect": "1", "assessed_reason": "x" * 5001}, "at most 5000 characters"),
    ],
)
def test_bad_input_is_told_and_stores_nothing(client, coordinator, measure, data, message):
    log_in(client, coordinator)

    response = client.post(assess_url(measure), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    measure.refresh_from_db()
    assert (measure.assessed_effect, measure.assessed_reason) == (None, "")


def test_the_service_wants_a_reason(coordinator, measure):
    with pytest.raises(ValidationError):
        services.assess_measure(measure, effect=Decimal("1"), reason=" ", by=coordinator)


# Totals claimed against assessed


@pytest.fixture
def figures(round_, bergen_programme, oslo_programme, contact_bergen, contact_oslo, coordinator, atp, energy):
    """Bergen submitted, two of its four measures assessed; Oslo a draft, which the submitted totals leave out."""
    make = factories.MeasureFactory
    bergen = [
        make(programme=bergen_programme, theme_area=atp, expected_effect=Decimal("10.5"), sector="road_traffic"),
        make(programme=bergen_programme, theme_area=atp, expected_effect=Decimal("20.0"), sector="road_traffic"),
        make(programme=bergen_programme, theme_area=energy, expected_effect=Decimal("5.2"), sector="heating"),
        make(programme=bergen_programme, theme_area=energy, expected_effect=None),
    ]
    make(programme=oslo_programme, theme_area=atp, expected_effect=Decimal("100.1"), sector="road_traffic")
    upload(bergen_programme, contact_bergen)
    services.submit_programme(bergen_programme, by=contact_bergen)
    upload(oslo_programme, contact_oslo)
    services.assess_measure(bergen[0], effect=Decimal("8.0"), reason="Lavere", by=coordinator)
    services.assess_measure(bergen[3], effect=Decimal("1.5"), reason="Noe", by=coordinator)
    return bergen


def _figures(rows, key):
    return {row[key]: (row["effect"], row["count"], row["assessed"], row["assessed_count"]) for row in rows}


def test_totals_sum_claimed_and_assessed_side_by_side(round_, figures):
    totals = analysis.effect_totals(round_, submitted_only=True)

    assert totals["total"] == {"effect": Decimal("35.7"), "count": 4}
    assert totals["assessed"] == {"effect": Decimal("9.5"), "count": 2}
    assert _figures(totals["by_theme"], "theme_area__code") == {
        "atp": (Decimal("30.5"), 2, Decimal("8.0"), 1),
        "energy": (Decimal("5.2"), 2, Decimal("1.5"), 1),
    }
    assert _figures(totals["by_city"], "programme__city__name") == {"Bergen": (Decimal("35.7"), 4, Decimal("9.5"), 2)}


def test_totals_by_sector_list_the_nine_sectors_and_no_sector(round_, figures):
    totals = analysis.effect_totals(round_, submitted_only=True)

    assert [row["sector"] for row in totals["by_sector"]] == [
        "industry",
        "energy_supply",
        "heating",
        "road_traffic",
        "shipping",
        "aviation",
        "other_mobile",
        "agriculture",
        "waste",
        "",
    ]
    rows = _figures(totals["by_sector"], "sector")
    assert rows["road_traffic"] == (Decimal("30.5"), 2, Decimal("8.0"), 1)
    assert rows["heating"] == (Decimal("5.2"), 1, None, 0)
    assert rows[""] == (None, 1, Decimal("1.5"), 1)
    assert rows["shipping"] == (None, 0, None, 0)


def test_totals_sum_the_assessed_effect_of_the_other_cities(client, round_, atp, manager, coordinator):
    from tests.actionplans.test_review_queue_pages import bulk_submitted

    programmes = bulk_submitted(round_, 22, by=manager)
    measures = Measure.objects.bulk_create(
        Measure(programme=p, theme_area=atp, title="Tiltak", expected_effect=Decimal(i + 1))
        for i, p in enumerate(programmes)
    )
    # The two with the least effect are not named; one of them is assessed, and one named city.
    services.assess_measure(measures[0], effect=Decimal("0.5"), reason="Lite", by=coordinator)
    services.assess_measure(measures[21], effect=Decimal("20"), reason="Mindre", by=coordinator)

    totals = analysis.effect_totals(round_, submitted_only=True)

    assert totals["other_cities"] == {"cities": 2, "effect": Decimal(3), "count": 2}
    assert totals["other_cities_assessed"] == {"effect": Decimal("0.5"), "count": 1}
    assert totals["assessed"] == {"effect": Decimal("20.5"), "count": 2}


def test_the_totals_page_shows_claimed_and_assessed(client, manager, round_, figures):
    log_in(client, manager)

    html = client.get(reverse("actionplans:effect_totals")).content.decode()

    assert "35.7 t CO₂e per year from 4 measures" in html
    assert "9.5 t CO₂e per year, of which assessed: 2 of 4 measures" in html
    assert "By emission sector" in html
    assert '<th scope="row">Road traffic</th><td class="num">2</td><td class="num">30.5</td>' in html
    assert '<th scope="row">No sector</th>' in html
    assert "Assessed t CO₂e/yr" in html


def test_the_totals_page_costs_the_same_with_assessed_effects_and_sectors(client, round_, atp, manager, coordinator):
    from tests.actionplans.test_review_queue_pages import bulk_submitted

    log_in(client, manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("actionplans:effect_totals")).status_code == 200
        return len(queries)

    def grow(n, start):
        for i, p in enumerate(bulk_submitted(round_, n, by=manager, start=start)):
            m = factories.MeasureFactory(programme=p, theme_area=atp, sector=["heating", "waste", ""][i % 3])
            services.assess_measure(m, effect=Decimal(i), reason="Vurdert", by=coordinator)

    grow(3, 0)
    few = count()
    grow(27, 3)
    assert count() == few <= 20
