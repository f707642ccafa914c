"""Who may bring whom in: every role that may not, for every page of the People section."""

import pytest
from django.core import mail
from django.urls import reverse

from cities.models import Membership
from people.models import AccountInvitation
from tests import factories
from tests.outbox.helpers import delivering

Role = Membership.Role


@pytest.fixture
def leader(db, energy):
    user = factories.UserFactory(username="nettverksleder-energi")
    factories.MembershipFactory(user=user, role=Role.NETWORK_LEADER, theme_area=energy)
    return user


def invite(client, *, role, **scope):
    data = {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "email": "ola@example.org",
        "organisation": "",
        "language": "nb",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-role": role,
        **{f"roles-0-{name}": value.pk for name, value in scope.items()},
    }
    return client.post(reverse("people:invite"), data)


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_only_programme_management_sees_the_people_list_and_its_export(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:export")).status_code == 403


def test_a_network_leader_may_not_see_the_people_list(client, leader):
    client.force_login(leader)
    assert client.get(reverse("people:list")).status_code == 403


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider", "leader"])
def test_only_programme_management_manages_a_person(client, request, persona, contact_bergen):
    client.force_login(request.getfixturevalue(persona))
    membership = contact_bergen.memberships.get()
    assert client.get(reverse("people:detail", args=[contact_bergen.pk])).status_code == 403
    assert client.post(reverse("people:role_end", args=[membership.pk])).status_code == 403
    assert client.post(reverse("people:set_active", args=[contact_bergen.pk]), {"active": "0"}).status_code == 403
    assert client.post(reverse("people:role_add", args=[contact_bergen.pk]), {"role": "partner"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    contact_bergen.refresh_from_db()
    assert contact_bergen.is_active


@pytest.mark.parametrize("persona", ["coordinator", "partner", "outsider"])
def test_who_may_not_invite_gets_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("people:invite")).status_code == 403


def test_a_city_contact_invites_a_second_contact_of_their_own_city(client, contact_oslo, oslo):
    client.force_login(contact_oslo)
    with delivering():  # the outbox sends after the commit
        assert invite(client, role=Role.CITY_CONTACT, city=oslo).status_code == 302
    assert Membership.objects.filter(city=oslo, role=Role.CITY_CONTACT).count() == 2
    assert len(mail.outbox) == 1


def test_a_city_contact_may_not_invite_for_another_city_nor_another_role(client, contact_oslo, bergen, atp):
    client.force_login(contact_oslo)
    assert invite(client, role=Role.CITY_CONTACT, city=bergen).status_code == 200
    assert invite(client, role=Role.COORDINATOR, theme_area=atp).status_code == 200
    assert invite(client, role=Role.PROGRAMME_MANAGEMENT).status_code == 200
    assert not AccountInvitation.objects.exists()


def test_a_network_leader_invites_coordinators_and_city_people_to_their_own_network(client, leader, energy, oslo):
    client.force_login(leader)
    assert invite(client, role=Role.COORDINATOR, theme_area=energy).status_code == 302
    response = client.post(
        reverse("people:invite"),
        {
            "first_name": "Per",
            "last_name": "Hansen",
            "email": "per@oslo.kommune.no",
            "language": "nb",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": Role.NETWORK_MEMBER,
            "roles-0-city": oslo.pk,
            "roles-0-theme_area": energy.pk,
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(role=Role.NETWORK_MEMBER, city=oslo, theme_area=energy).exists()


def test_a_network_leader_may_not_invite_to_another_network_nor_a_city_contact(client, leader, atp, oslo):
    client.force_login(leader)
    assert invite(client, role=Role.COORDINATOR, theme_area=atp).status_code == 200
    assert invite(client, role=Role.CITY_CONTACT, city=oslo).status_code == 200
    assert invite(client, role=Role.PROGRAMME_MANAGEMENT).status_code == 200
    assert not AccountInvitation.objects.exists()


def test_only_the_sender_or_management_resends_or_withdraws(client, contact_oslo, oslo, contact_bergen, manager):
    client.force_login(contact_oslo)
    invite(client, role=Role.CITY_CONTACT, city=oslo)
    invitation = AccountInvitation.objects.get()
    client.force_login(contact_bergen)
    assert client.post(reverse("people:invitation_resend", args=[invitation.pk])).status_code == 404
    assert client.post(reverse("people:invitation_withdraw", args=[invitation.pk])).status_code == 404
    client.force_login(contact_oslo)
    assert client.post(reverse("people:invitation_resend", args=[invitation.pk])).status_code == 302
    client.force_login(manager)
    assert client.post(reverse("people:invitation_withdraw", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_by == manager


def test_pages_answer_only_to_post(client, manager, contact_bergen):
    client.force_login(manager)
    membership = contact_bergen.memberships.get()
    assert client.get(reverse("people:role_end", args=[membership.pk])).status_code == 405
    assert client.get(reverse("people:set_active", args=[contact_bergen.pk])).status_code == 405


def test_cities_without_a_contact_are_named_where_reminders_are_promised(
    client, manager, round_, oslo, bergen, contact_oslo
):
    from cities.models import City

    assert list(City.objects.without_contact()) == [bergen]
    contact_oslo.is_active = False
    contact_oslo.save()
    assert set(City.objects.without_contact()) == {oslo, bergen}
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    invite_link = reverse("people:invite") + "?role=city_contact&amp;city=bergen"
    for url in (
        reverse("actionplans:reminder_log"),
        reverse("actionplans:round_detail", args=[round_.pk]),
        reverse("home"),
    ):
        page = client.get(url).content.decode()
        assert "cities have no contact person" in page, url
        assert invite_link in page, url
    # The invitation form opens with the role filled in.
    response = client.get(reverse("people:invite"), {"role": "city_contact", "city": "bergen"})
    assert response.context["roles"].forms[0].initial == {"role": "city_contact", "city": bergen}
