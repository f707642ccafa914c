"""The People list, its filters and export, and a person's page: roles given and ended, deactivation."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from cities.models import Membership
from outbox.models import BouncingAddress
from tests import factories

Role = Membership.Role


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    return client


def names(response):
    return [row["person"].username for row in response.context["rows"]]


def test_the_list_shows_everyone_with_roles_and_status(manager_client, contact_oslo, coordinator, partner):
    response = manager_client.get(reverse("people:list"))
    assert response.status_code == 200
    assert {"kontakt-oslo", "koordinator-atp", "ks", "departementet"} <= set(names(response))
    page = response.content.decode()
    assert "City contact (Oslo)" in page
    assert "Coordinator (Land use and transport)" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "city_contact"}, {"kontakt-oslo", "kontakt-bergen"}),
        ({"city": "oslo"}, {"kontakt-oslo"}),
        ({"theme_area": "atp"}, {"koordinator-atp"}),
        ({"organisation": "KS"}, {"ks"}),
        ({"q": "kontakt berg"}, {"kontakt-bergen"}),
        ({"status": "deactivated"}, set()),
        # Values that are not among the choices give a message and all rows, never a 500.
        ({"role": "emperor"}, None),
        ({"city": "atlantis"}, None),
    ],
)
def test_filters(manager_client, contact_oslo, contact_bergen, coordinator, partner, query, expected):
    response = manager_client.get(reverse("people:list"), query)
    assert response.status_code == 200
    if expected is None:
        assert response.context["filter"].form.errors
    else:
        assert set(names(response)) == expected


def test_the_export_has_the_filtered_rows(manager_client, contact_oslo, contact_bergen):
    response = manager_client.get(reverse("people:export"), {"role": "city_contact"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "User name", "E-mail"]
    assert sorted(row[1] for row in rows[1:]) == ["kontakt-bergen", "kontakt-oslo"]
    assert rows[1][4].startswith("City contact")


def test_the_list_costs_the_same_queries_for_many_people(manager_client, django_assert_max_num_queries, oslo, atp):
    # Every kind of scope once, so that each prefetch runs already.
    factories.MembershipFactory(user=factories.UserFactory(username="a0"), role=Role.CITY_CONTACT, city=oslo)
    factories.MembershipFactory(user=factories.UserFactory(username="a1"), role=Role.COORDINATOR, theme_area=atp)
    with django_assert_max_num_queries(18) as few:
        manager_client.get(reverse("people:list"))
    for n in range(30):
        user = factories.UserFactory(username=f"b{n}")
        factories.MembershipFactory(user=user, role=Role.COORDINATOR, theme_area=atp)
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(reverse("people:list"))


def test_a_role_is_given_and_ended_and_its_history_stays(manager_client, manager, contact_bergen, atp):
    url = reverse("people:role_add", args=[contact_bergen.pk])
    assert manager_client.post(url, {"role": "coordinator", "theme_area": atp.pk}).status_code == 302
    membership = Membership.objects.get(user=contact_bergen, role=Role.COORDINATOR)
    assert manager_client.post(reverse("people:role_end", args=[membership.pk])).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    history = Membership.history.filter(id=membership.pk).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in history] == [("+", manager), ("-", manager)]
    assert list(SecurityEvent.objects.filter(user=contact_bergen).values_list("kind", flat=True).order_by("pk")) == [
        "role_given",
        "role_ended",
    ]
    page = manager_client.get(reverse("people:detail", args=[contact_bergen.pk])).content.decode()
    assert "Role history" in page
    assert "Ended" in page


@pytest.mark.parametrize(
    "data",
    [
        {"role": "coordinator"},  # no theme
        {"role": "city_contact", "city": "999999"},
        {"role": ""},
        {"role": "city_contact", "theme_area": "x"},
    ],
)
def test_a_bad_role_gets_a_message(manager_client, contact_bergen, data):
    before = Membership.objects.count()
    response = manager_client.post(reverse("people:role_add", args=[contact_bergen.pk]), data, follow=True)
    assert response.status_code == 200
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    assert Membership.objects.count() == before


def test_the_same_role_twice_gets_a_message(manager_client, contact_bergen, bergen):
    response = manager_client.post(
        reverse("people:role_add", args=[contact_bergen.pk]), {"role": "city_contact", "city": bergen.pk}, follow=True
    )
    assert "already has this role" in " ".join(str(m) for m in response.context["messages"])
    assert contact_bergen.memberships.count() == 1


def test_deactivation_stops_login_and_keeps_history(manager_client, contact_bergen, client):
    url = reverse("people:set_active", args=[contact_bergen.pk])
    assert manager_client.post(url, {"active": "0"}).status_code == 302
    contact_bergen.refresh_from_db()
    assert not contact_bergen.is_active
    assert contact_bergen.memberships.exists()
    assert SecurityEvent.objects.filter(kind="deactivated", user=contact_bergen).exists()
    other = type(client)()
    assert not other.login(username="kontakt-bergen", password="pw")
    assert (
        manager_client.get(reverse("people:list"), {"status": "deactivated"}).context["rows"][0]["person"]
        == contact_bergen
    )
    manager_client.post(url, {"active": "1"})
    contact_bergen.refresh_from_db()
    assert contact_bergen.is_active


def test_management_cannot_deactivate_itself(manager_client, manager):
    response = manager_client.post(reverse("people:set_active", args=[manager.pk]), {"active": "0"}, follow=True)
    assert "cannot deactivate yourself" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active


def test_an_unknown_person_is_404(manager_client, db):
    assert manager_client.get(reverse("people:detail", args=[999999])).status_code == 404


def test_a_locked_account_shows_as_locked_with_its_unlock_button(manager_client, contact_bergen, client, settings):
    other = type(client)()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        other.post(reverse("login"), {"username": "kontakt-bergen", "password": "wrong"})
    response = manager_client.get(reverse("people:list"))
    (row,) = [r for r in response.context["rows"] if r["person"] == contact_bergen]
    assert row["locked"]
    page = manager_client.get(reverse("people:detail", args=[contact_bergen.pk])).content.decode()
    assert "This account is locked" in page
    assert reverse("accounts:unlock") in page


def test_the_export_neutralises_formulas(manager_client, oslo):
    person = factories.UserFactory(username="formel", first_name='=HYPERLINK("http://x")', last_name="@SUM(1)")
    factories.MembershipFactory(user=person, role=Role.CITY_CONTACT, city=oslo)
    response = manager_client.get(reverse("people:export"), {"q": "formel"})
    (header, row) = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row[0].startswith("'=")


def test_a_change_of_ones_own_roles_rotates_the_session_key(manager_client, manager, atp):
    before = manager_client.session.session_key
    manager_client.post(reverse("people:role_add", args=[manager.pk]), {"role": "coordinator", "theme_area": atp.pk})
    assert manager_client.session.session_key != before
    assert manager_client.get(reverse("people:list")).status_code == 200  # still logged in


def test_a_deactivated_persons_session_ends(manager_client, contact_bergen, client):
    other = type(client)()
    other.force_login(contact_bergen)
    assert other.get(reverse("home")).status_code == 200
    manager_client.post(reverse("people:set_active", args=[contact_bergen.pk]), {"active": "0"})
    assert other.get(reverse("home")).status_code == 302  # to the login page


def test_withdrawing_is_logged(manager_client, oslo):
    from people.models import AccountInvitation

    manager_client.post(
        reverse("people:invite"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "ab@example.org",
            "language": "nb",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": "city_contact",
            "roles-0-city": oslo.pk,
        },
    )
    invitation = AccountInvitation.objects.get()
    manager_client.post(reverse("people:invitation_withdraw", args=[invitation.pk]))
    assert SecurityEvent.objects.filter(kind="invitation_withdrawn", user=invitation.user).exists()


def test_an_address_the_mail_server_refuses_shows_as_bouncing_on_the_list_and_the_page(
    manager_client, contact_oslo, contact_bergen
):
    BouncingAddress.objects.create(address=contact_bergen.email, last_error="550 No such user")

    listed = manager_client.get(reverse("people:list")).content.decode()
    page = manager_client.get(reverse("people:detail", args=[contact_bergen.pk])).content.decode()

    assert listed.count("Mail bounces") == 1
    assert "Mail bounces" in page
