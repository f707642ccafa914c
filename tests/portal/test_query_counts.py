"""A page costs a constant number of queries, whatever the number of cities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from tests import factories
from tests.conftest import upload


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The overview starts with "What waits for you" (reporting.my_tasks): a fixed number of queries
# for each kind of task that may apply to a person (five for the programme management: cross-theme
# reviews, cities' answers, extension requests, invitations and surveys, action items), whatever the
# number of tasks. tests/reporting/test_my_tasks.py checks that it does not grow with them.
MY_TASKS_QUERIES = 5


def add_cities(round_, n, by, theme):
    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        upload(programme, by)
        factories.MeasureFactory.create_batch(2, programme=programme, theme_area=theme)
        services.submit_programme(programme, by=by)


@pytest.mark.parametrize("url_name", ["home", "actionplans:programme_list"])
def test_list_pages_cost_the_same_for_one_and_three_cities(client, manager, round_, atp, url_name):
    client.force_login(manager)
    url = reverse(url_name)
    add_cities(round_, 1, manager, atp)
    one = count_queries(client, url)

    add_cities(round_, 2, manager, atp)
    three = count_queries(client, url)

    assert one == three
    assert three < 20 + (MY_TASKS_QUERIES if url_name == "home" else 0)


def test_city_contact_home_costs_few_queries(client, contact_oslo, oslo_programme):
    client.force_login(contact_oslo)

    assert count_queries(client, reverse("home")) < 20


def test_programme_page_costs_the_same_for_one_and_three_measures(client, contact_oslo, oslo_programme, atp, energy):
    client.force_login(contact_oslo)
    url = reverse("actionplans:programme_detail", args=[oslo_programme.pk])
    upload(oslo_programme, contact_oslo)
    factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    one = count_queries(client, url)

    upload(oslo_programme, contact_oslo)
    factories.MeasureFactory(programme=oslo_programme, theme_area=energy)
    factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    three = count_queries(client, url)

    assert one == three
    assert three < 20


def add_requests_and_reminders(round_, n, manager):
    from actionplans.models import ExtensionRequest, Reminder

    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        contact = factories.UserFactory()
        request = ExtensionRequest.objects.create(
            programme=programme, requested_date=datetime.date(2030, 2, 1), reason="x", requested_by=contact
        )
        services.decide_extension(request, approve=True, comment="", by=manager)
        ExtensionRequest.objects.create(
            programme=programme, requested_date=datetime.date(2030, 3, 1), reason="y", requested_by=contact
        )
        Reminder.objects.create(
            deadline=round_.deadline,
            city=programme.city,
            offset_days=-7,
            kind="city",
            recipient=contact,
            email=contact.email,
            due_date=round_.deadline.due_date,
            scheduled_at=timezone.now(),
            queued_at=timezone.now(),
        )


@pytest.mark.parametrize("url_name", ["actionplans:extension_list", "actionplans:reminder_log"])
def test_management_lists_cost_the_same_for_one_and_three_cities(client, manager, round_, url_name):
    client.force_login(manager)
    url = reverse(url_name)
    add_requests_and_reminders(round_, 1, manager)
    one = count_queries(client, url)

    add_requests_and_reminders(round_, 2, manager)
    three = count_queries(client, url)

    assert one == three
    assert three < 20


def test_round_page_costs_few_queries(client, manager, round_):
    client.force_login(manager)
    add_requests_and_reminders(round_, 3, manager)

    assert count_queries(client, reverse("actionplans:round_detail", args=[round_.pk])) < 20
