"""The models of cities: how each is named, what the database refuses, and a person's language."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import translation

from cities.models import City, County, Membership, Network, Profile, language_of
from tests import factories

Role = Membership.Role


def test_str_of_each_model(oslo, atp, contact_oslo):
    county = County(name="Oslo fylke")
    network = Network(theme_area=atp, name="Nettverk areal og transport")
    ks = factories.OrganisationFactory(short_name="KS", name="Kommunesektorens organisasjon")

    assert str(county) == "Oslo fylke"
    assert str(oslo) == "Oslo"
    assert str(network) == "Nettverk areal og transport"
    assert str(ks) == "Kommunesektorens organisasjon (KS)"
    assert str(Profile(user=contact_oslo)) == "kontakt-oslo"


def test_str_of_membership_names_the_scope(contact_oslo, coordinator, manager, partner):
    with translation.override("en"):
        assert str(contact_oslo.memberships.get()) == "kontakt-oslo – City contact (Oslo)"
        assert str(coordinator.memberships.get()) == "koordinator-atp – Coordinator (Land use and transport)"
        assert str(partner.memberships.get()) == "ks – Partner (Organisation KS)"
        assert str(Membership(user=manager, role=Role.PROGRAMME_MANAGEMENT)) == "departementet – Programme management"


def test_theme_area_name_follows_the_language(atp):
    with translation.override("en"):
        assert str(atp) == "Land use and transport"
    with translation.override("nb"):
        assert str(atp) == "Areal og transport"


# Five digits are refused by the column's length already (PostgreSQL; SQLite does not check lengths).
@pytest.mark.parametrize("number", ["301", "03a1", "3 01", ""])
def test_city_municipality_number_not_four_digits_is_refused_by_the_database(db, number):
    county = factories.CountyFactory(name="Vestland")

    with pytest.raises(IntegrityError, match="city_municipality_number_four_digits"), transaction.atomic():
        City.objects.create(name="Feil", slug="feil", municipality_number=number, county=county)

    assert not City.objects.filter(slug="feil").exists()


def test_city_contact_without_city_is_refused_by_the_database(db):
    user = factories.UserFactory(username="kari")

    with pytest.raises(IntegrityError, match="membership_city_contact_has_city"), transaction.atomic():
        Membership.objects.create(user=user, role=Role.CITY_CONTACT)

    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NETWORK_LEADER])
def test_theme_role_without_theme_area_is_refused_by_the_database(db, role):
    user = factories.UserFactory(username="kari")

    with pytest.raises(IntegrityError, match="membership_theme_role_has_theme_area"), transaction.atomic():
        Membership.objects.create(user=user, role=role)

    assert not Membership.objects.filter(user=user).exists()


def test_membership_of_anonymous_is_empty_and_of_a_user_is_theirs(contact_oslo, contact_bergen):
    assert list(Membership.objects.of(AnonymousUser())) == []
    assert list(Membership.objects.of(contact_oslo)) == list(contact_oslo.memberships.all())
    assert Membership.objects.of(contact_oslo).count() == 1


def test_language_of_is_norwegian_without_a_profile_and_the_chosen_one_with(db):
    without = factories.UserFactory(username="uten-profil")
    english = factories.UserFactory(username="english")
    Profile.objects.create(user=english, language="en")

    assert language_of(without) == "nb"
    assert language_of(english) == "en"
