"""Bringing a person in: the invitation, its mail and its one-time link."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import SecurityEvent
from cities.models import Membership
from outbox.models import OutgoingMail
from people import services
from people.models import AccountInvitation
from tests.outbox.helpers import delivering

Role = Membership.Role
STRONG = "Grønn-Framtid-2030!"


def invite_data(**overrides):
    data = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari@trondheim.kommune.no",
        "organisation": "",
        "language": "nb",
        "roles-TOTAL_FORMS": "3",
        "roles-INITIAL_FORMS": "0",
        "roles-0-role": "city_contact",
        "roles-0-city": "",
    }
    data.update(overrides)
    return data


def link_in(message):
    return re.search(r"http://\S+/people/welcome/\S+/", message.body).group(0)


def path_of(url):
    return url.split("8000", 1)[-1] if "8000" in url else url[url.index("/people/") :]


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_management_invites_a_city_contact_who_sets_a_password_and_logs_in(manager_client, manager, oslo, client):
    with delivering():  # the outbox sends after the commit
        response = manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk}))
    assert response.status_code == 302, response.context and response.context["form"].errors
    person = get_user_model().objects.get(email="kari@trondheim.kommune.no")
    assert person.username == "kari@trondheim.kommune.no"
    assert not person.has_usable_password()
    assert list(Membership.objects.filter(user=person).values_list("role", "city")) == [("city_contact", oslo.pk)]
    (message,) = mail.outbox
    assert message.to == ["kari@trondheim.kommune.no"]
    assert "Du er invitert" in message.subject  # her language: Norwegian
    assert SecurityEvent.objects.filter(kind="invitation_sent", user=person).exists()
    assert SecurityEvent.objects.filter(kind="role_given", user=person).exists()
    # The history of the role says who gave it.
    assert Membership.history.get(user_id=person.pk, history_type="+").history_user == manager

    client.logout()
    url = path_of(link_in(message))
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(STRONG)
    assert client.get(reverse("home")).status_code == 200  # logged in
    assert AccountInvitation.objects.get(user=person).status == AccountInvitation.Status.ACCEPTED
    assert SecurityEvent.objects.filter(kind="invitation_accepted", user=person).exists()

    # The link works once.
    client.logout()
    with translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", headers={"Cookie": "django_language=en"})
    assert response.status_code == 200
    assert "already been used" in response.content.decode()


def test_the_mail_goes_in_the_language_chosen_for_the_person(manager_client, oslo):
    with delivering():  # the outbox sends after the commit
        manager_client.post(reverse("people:invite"), invite_data(language="en", **{"roles-0-city": oslo.pk}))
    (message,) = mail.outbox
    assert message.subject == "You are invited to the portal of Cities of the Future"
    assert "City contact (Oslo)" in message.body


def test_an_expired_link_says_so(manager_client, oslo, client):
    with delivering():  # the outbox sends after the commit
        manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk}))
    url = path_of(link_in(mail.outbox[0]))
    client.logout()
    client.cookies["django_language"] = "en"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.get(url)
        assert response.status_code == 200
        assert "has expired" in response.content.decode()
        response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
        assert response.status_code == 200


def test_resending_gives_a_new_link_and_the_old_one_stops(manager_client, manager, oslo, client):
    with delivering():  # the outbox sends after the commit
        manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk}))
    old = path_of(link_in(mail.outbox[0]))
    invitation = AccountInvitation.objects.get()
    with delivering():  # the outbox sends after the commit
        response = manager_client.post(reverse("people:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    new = path_of(link_in(mail.outbox[1]))
    assert new != old
    client.logout()
    client.cookies["django_language"] = "en"
    assert "not valid" in client.get(old).content.decode()
    assert client.get(new).status_code == 200


def test_withdrawing_stops_the_link_and_deactivates_a_person_who_never_logged_in(manager_client, oslo, client):
    with delivering():  # the outbox sends after the commit
        manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk}))
    url = path_of(link_in(mail.outbox[0]))
    invitation = AccountInvitation.objects.get()
    manager_client.post(reverse("people:invitation_withdraw", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == AccountInvitation.Status.WITHDRAWN
    assert not invitation.user.is_active
    client.logout()
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    assert "withdrawn" in response.content.decode()
    # A withdrawn invitation is not sent again.
    with delivering():  # the outbox sends after the commit
        response = manager_client.post(reverse("people:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1


def test_an_unknown_link_is_a_clear_404(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("people:accept", args=["x" * 43]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_weak_password_is_refused_with_a_message(manager_client, oslo, client):
    with delivering():  # the outbox sends after the commit
        manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk}))
    url = path_of(link_in(mail.outbox[0]))
    client.logout()
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert AccountInvitation.objects.get().status == AccountInvitation.Status.PENDING


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "x" * 151}, "first_name"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_person_details_get_a_message(manager_client, oslo, overrides, field):
    response = manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk, **overrides}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AccountInvitation.objects.exists()


def test_an_address_already_in_use_is_refused_whatever_its_case(manager_client, oslo, contact_oslo):
    response = manager_client.post(
        reverse("people:invite"), invite_data(email=contact_oslo.email.upper(), **{"roles-0-city": oslo.pk})
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


@pytest.mark.parametrize(
    "roles",
    [
        {"roles-0-role": ""},  # no role at all
        {"roles-0-role": "city_contact"},  # a city contact without a city
        {"roles-0-role": "coordinator"},  # a coordinator without a theme
        {"roles-0-role": "partner"},  # a partner without an organisation
        {"roles-0-role": "no-such-role"},
    ],
)
def test_a_role_without_its_scope_gets_a_message(manager_client, roles):
    response = manager_client.post(reverse("people:invite"), invite_data(**roles))
    assert response.status_code == 200
    roles_formset = response.context["roles"]
    assert roles_formset.non_form_errors() or any(form.errors for form in roles_formset.forms)
    assert not get_user_model().objects.filter(email="kari@trondheim.kommune.no").exists()


def test_a_county_authority_role_needs_a_county_authority(manager_client, partner):
    ks = partner.memberships.get().organisation
    response = manager_client.post(
        reverse("people:invite"), invite_data(**{"roles-0-role": "county_authority", "roles-0-organisation": ks.pk})
    )
    assert response.status_code == 200
    assert response.context["roles"].forms[0].errors["organisation"]


def test_a_mail_server_that_refuses_leaves_the_invitation_to_send_again(manager_client, oslo, settings):
    settings.EMAIL_BACKEND = "tests.people.test_invitations.RefusingBackend"
    with delivering():  # the outbox sends after the commit
        response = manager_client.post(reverse("people:invite"), invite_data(**{"roles-0-city": oslo.pk}), follow=True)
    assert response.status_code == 200
    invitation = AccountInvitation.objects.get()
    assert invitation.is_open
    # The first mail waits in the outbox for the mail server; a new link is a new mail, sent at once.
    assert list(OutgoingMail.objects.values_list("kind", "status", "attempts")) == [
        ("account_invitation", OutgoingMail.Status.QUEUED, 0)
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with delivering():  # the outbox sends after the commit
        manager_client.post(reverse("people:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_signing_in_another_way_accepts_the_invitation(manager, oslo):
    membership = Membership(role=Role.CITY_CONTACT, city=oslo)
    invitation = services.invite(
        first_name="A", last_name="B", email="a@b.no", language="nb", organisation=None, roles=[membership], by=manager
    )
    services.accept_on_first_login(invitation.user)
    invitation.refresh_from_db()
    assert invitation.status == AccountInvitation.Status.ACCEPTED
