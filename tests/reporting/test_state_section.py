"""The state's answers on the dashboard and in the status report: for those who may see the overview of how
concrete the state is, the same figures as the overview (`state.overview`), at a cost that does not grow with
the number of requests."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cities.models import Membership
from reporting import dashboard, reports
from state.models import StateRequest
from tests import factories
from tests import pdf as read_pdf
from tests.reporting.test_reports import get_pdf

Status = StateRequest.Status
ASKED = timezone.make_aware(datetime.datetime(2030, 1, 7, 9, 0))


@pytest.fixture
def ks(partner):
    return partner.memberships.get().organisation


@pytest.fixture
def enova(db):
    return factories.OrganisationFactory(short_name="Enova", name="Enova SF", kind="state_agency")


def ask(round_, body, *, by, status, days=None, n=1):
    """`n` requests from as many cities to `body`, of `status`, answered `days` after they were asked."""
    for _ in range(n):
        StateRequest.objects.create(
            programme=factories.ProgrammeFactory(round=round_),
            body=body,
            need="Hemmelig behov",
            raised_by=by,
            status=status,
            created_at=ASKED,
            answered_at=ASKED + datetime.timedelta(days=days) if days is not None else None,
        )


@pytest.fixture
def answers(round_, manager, ks, enova):
    """KS: offered after 2 and 5 days, refused after 3, one asked, one withdrawn; Enova: agreed after 10 days."""
    ask(round_, ks, by=manager, status=Status.OFFERED, days=2)
    ask(round_, ks, by=manager, status=Status.OFFERED, days=5)
    ask(round_, ks, by=manager, status=Status.REFUSED, days=3)
    ask(round_, ks, by=manager, status=Status.ASKED)
    ask(round_, ks, by=manager, status=Status.WITHDRAWN)
    ask(round_, enova, by=manager, status=Status.AGREED, days=10)


def home(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def figures(row):
    return (row["asked"], row["answered"], row["offered"], row["refused"], row["median_days"])


# --- The dashboard --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "partner"])
def test_the_dashboard_shows_the_states_answers(request, client, answers, persona):
    response = home(client, request.getfixturevalue(persona))

    # Five asked (the withdrawn one left out); answered after 2, 3, 5 and 10 days: (3 + 5) / 2.
    assert figures(response.context["board"]["state_answers"]) == (5, 4, 3, 1, Decimal("4.0"))
    html = response.text
    assert '<h2 id="state-answers-heading" class="h4">The state\'s answers</h2>' in html
    assert '<th scope="row" class="fw-normal">With an offer</th><td class="num">3</td>' in html
    assert '<th scope="row" class="fw-normal">Median days to an answer</th><td class="num">4.0</td>' in html
    assert f'href="{reverse("state:overview")}"' in html


def test_the_dashboard_has_no_states_answers_for_the_coordinator(client, coordinator, answers):
    response = home(client, coordinator)

    assert response.context["board"]["state_answers"] is None
    assert "state-answers-heading" not in response.text
    assert reverse("state:overview") not in response.text


def test_the_dashboard_says_so_when_nothing_has_been_asked(client, manager, round_):
    response = home(client, manager)

    assert figures(response.context["board"]["state_answers"]) == (0, 0, 0, 0, None)
    assert '<th scope="row" class="fw-normal">Median days to an answer</th><td class="num">–</td>' in response.text


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["manager", "partner"])
def test_the_dashboard_costs_the_same_for_3_and_30_requests(request, client, round_, manager, ks, enova, persona):
    client.force_login(request.getfixturevalue(persona))
    ask(round_, ks, by=manager, status=Status.OFFERED, days=1)
    ask(round_, enova, by=manager, status=Status.ASKED, n=2)
    three = count_queries(client, reverse("home"))

    ask(round_, ks, by=manager, status=Status.REFUSED, days=4, n=13)
    ask(round_, enova, by=manager, status=Status.OFFERED, days=2, n=14)
    thirty = count_queries(client, reverse("home"))

    assert three == thirty


# --- The status report ----------------------------------------------------------------------------------------


def test_the_status_report_has_the_states_answers_per_body(manager, round_, answers):
    context = reports.status_report_context(manager, round_, timezone.now())

    rows = context["state_answers"]["by_body"]
    assert [(row["short_name"], *figures(row)) for row in rows] == [
        ("Enova", 1, 1, 1, 0, Decimal("10.0")),
        ("KS", 4, 3, 2, 1, Decimal("3.0")),  # 2, 3, 5 days
    ]
    assert figures(context["state_answers"]["total"]) == (5, 4, 3, 1, Decimal("4.0"))
    html = reports.status_report_html(manager, round_, language="en")
    assert '<a href="#state-answers">The state\'s answers</a>' in html
    assert (
        '<tr><th scope="row">KS</th><td class="num">4</td><td class="num">3</td><td class="num">2</td>'
        '<td class="num">1</td><td class="num">3.0</td></tr>'
    ) in html


def test_the_status_report_pdf_prints_the_section(client, manager, round_, answers):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    text = read_pdf.text(get_pdf(client, reverse("status_report")))

    assert "The state's answers" in text
    assert "Requests and answers by state body" in text


def test_the_status_report_leaves_the_section_out_for_whoever_may_not_see_the_overview(round_, answers):
    # A network leader reads no overview of the state (the status report itself is the management's).
    leader = factories.UserFactory()
    factories.MembershipFactory(
        user=leader, role=Membership.Role.NETWORK_LEADER, theme_area=factories.ThemeAreaFactory()
    )

    context = reports.status_report_context(leader, round_, timezone.now())

    assert context["state_answers"] is None
    assert "state-answers" not in reports.status_report_html(leader, round_, language="en")


def test_the_status_report_costs_the_same_for_3_and_30_requests(manager, round_, ks, enova):
    def queries():
        user = type(manager).objects.get(pk=manager.pk)  # as fresh as in a request
        with CaptureQueriesContext(connection) as captured:
            reports.status_report_html(user, round_, language="nb")
        return len(captured)

    ask(round_, ks, by=manager, status=Status.OFFERED, days=1)
    ask(round_, enova, by=manager, status=Status.ASKED, n=2)
    three = queries()
    ask(round_, ks, by=manager, status=Status.REFUSED, days=4, n=13)
    ask(round_, enova, by=manager, status=Status.OFFERED, days=2, n=14)

    assert queries() == three


def test_dashboard_state_answers_is_none_for_those_who_may_not_see_the_overview(coordinator, contact_oslo, answers):
    assert dashboard.state_answers(coordinator) is None
    assert dashboard.state_answers_by_body(contact_oslo) is None
