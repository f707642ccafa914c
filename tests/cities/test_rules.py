"""The role predicates of cities/rules.py: for each, the personas who hold it and those who do not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities import rules
from cities.models import Membership
from tests import factories

Role = Membership.Role

PERSONAS = ["contact_oslo", "contact_bergen", "coordinator", "network_leader", "manager", "partner", "outsider"]


@pytest.fixture
def network_leader(atp):
    user = factories.UserFactory(username="nettverksleder-atp")
    factories.MembershipFactory(user=user, role=Role.NETWORK_LEADER, theme_area=atp)
    return user


@pytest.fixture
def people(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.mark.parametrize(
    ("predicate", "holders"),
    [
        (rules.is_programme_management, {"manager"}),
        (rules.is_city_contact, {"contact_oslo", "contact_bergen"}),
        (rules.is_theme_staff, {"coordinator", "network_leader"}),
        (rules.is_partner, {"partner"}),
        (rules.is_member, set(PERSONAS) - {"outsider"}),
        (rules.is_programme_reader, {"manager", "coordinator", "network_leader", "partner"}),
    ],
    ids=["programme_management", "city_contact", "theme_staff", "partner", "member", "programme_reader"],
)
def test_role_predicate_holds_for_its_roles_only(people, predicate, holders):
    assert {name for name, user in people.items() if predicate.test(user)} == holders


@pytest.mark.parametrize(
    "predicate",
    [
        rules.is_programme_management,
        rules.is_city_contact,
        rules.is_theme_staff,
        rules.is_partner,
        rules.is_member,
        rules.is_programme_reader,
    ],
)
def test_role_predicate_is_false_for_anonymous(db, predicate):
    assert predicate.test(AnonymousUser()) is False


def test_is_contact_of_city_only_for_the_contacts_own_city(people, oslo, bergen):
    assert {name for name, user in people.items() if rules.is_contact_of_city.test(user, oslo)} == {"contact_oslo"}
    assert {name for name, user in people.items() if rules.is_contact_of_city.test(user, bergen)} == {"contact_bergen"}
    assert rules.is_contact_of_city.test(people["contact_oslo"], None) is False
    assert rules.is_contact_of_city.test(AnonymousUser(), oslo) is False


def test_scope_ids_are_read_from_the_memberships(contact_oslo, coordinator, network_leader, partner, oslo, atp):
    ks = partner.memberships.get().organisation

    assert rules.city_ids(contact_oslo) == {oslo.pk}
    assert rules.city_ids(coordinator) == set()
    assert rules.theme_area_ids(coordinator) == {atp.pk}
    assert rules.theme_area_ids(network_leader) == {atp.pk}
    assert rules.theme_area_ids(network_leader, Role.COORDINATOR) == set()
    assert rules.organisation_ids(partner) == {ks.pk}
    assert rules.organisation_ids(contact_oslo) == set()


def test_memberships_are_read_once_per_user_object(contact_oslo):
    rules.is_city_contact.test(contact_oslo)

    with CaptureQueriesContext(connection) as queries:
        assert rules.is_city_contact.test(contact_oslo) is True
        assert rules.is_programme_management.test(contact_oslo) is False

    assert len(queries) == 0
