"""Memberships: a person holds a role for a scope once, whichever of the scope columns are empty."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cities.models import Membership
from tests import factories

Role = Membership.Role
MESSAGE = "Denne personen har allerede denne rollen for dette området."
MESSAGE_EN = "This person already has this role for this scope."


@pytest.fixture
def person(db):
    return factories.UserFactory(username="kari")


def scopes(oslo, atp, organisation):
    """One membership of each shape the roles use: no scope, a city, a theme area, an organisation, two scopes."""
    return [
        {"role": Role.PROGRAMME_MANAGEMENT},
        {"role": Role.CITY_CONTACT, "city": oslo},
        {"role": Role.COORDINATOR, "theme_area": atp},
        {"role": Role.PARTNER, "organisation": organisation},
        {"role": Role.NETWORK_LEADER, "theme_area": atp, "organisation": organisation},
    ]


@pytest.mark.parametrize("shape", range(5))
def test_membership_second_identical_is_refused_by_the_database(person, oslo, atp, shape):
    fields = scopes(oslo, atp, factories.OrganisationFactory(short_name="KS"))[shape]
    Membership.objects.create(user=person, **fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=person, **fields)

    assert Membership.objects.filter(user=person).count() == 1


@pytest.mark.parametrize("shape", range(5))
def test_membership_second_identical_gets_a_message_from_full_clean(person, oslo, atp, shape):
    fields = scopes(oslo, atp, factories.OrganisationFactory(short_name="KS"))[shape]
    Membership.objects.create(user=person, **fields)

    with pytest.raises(ValidationError) as error:
        Membership(user=person, **fields).full_clean()

    assert error.value.messages in ([MESSAGE], [MESSAGE_EN])  # Norwegian once the lead has merged the catalogue
    assert Membership.objects.filter(user=person).count() == 1


def test_membership_same_role_for_other_scopes_is_allowed(person, oslo, bergen, atp):
    ks = factories.OrganisationFactory(short_name="KS")
    rows = [
        Membership(user=person, role=Role.CITY_CONTACT, city=oslo),
        Membership(user=person, role=Role.CITY_CONTACT, city=bergen),
        Membership(user=person, role=Role.COORDINATOR, theme_area=atp),
        Membership(user=person, role=Role.NETWORK_LEADER, theme_area=atp),
        Membership(user=person, role=Role.PROGRAMME_MANAGEMENT),
        Membership(user=person, role=Role.PROGRAMME_MANAGEMENT, organisation=ks),
        Membership(user=person, role=Role.PARTNER, organisation=ks),
        Membership(user=factories.UserFactory(username="ola"), role=Role.PROGRAMME_MANAGEMENT),
    ]
    for row in rows:
        row.full_clean()
        row.save()

    assert Membership.objects.count() == len(rows)


def test_migration_merges_duplicate_memberships(person, oslo, atp):
    """The data migration keeps the oldest of each group of identical memberships and deletes the rest."""
    constraints = [c for c in Membership._meta.constraints if c.name.startswith("membership_unique_")]
    # As before the migration: the rows it merges could not be written with the constraints in place.
    # (SQLite's schema editor refuses to run inside the test's transaction; the statements themselves do.)
    editor = connection.schema_editor()
    run_sql([constraint.remove_sql(Membership, editor) for constraint in constraints])
    kept = [
        Membership.objects.create(user=person, role=Role.PROGRAMME_MANAGEMENT),
        Membership.objects.create(user=person, role=Role.CITY_CONTACT, city=oslo),
        Membership.objects.create(user=person, role=Role.COORDINATOR, theme_area=atp),
    ]
    for _ in range(2):
        Membership.objects.create(user=person, role=Role.PROGRAMME_MANAGEMENT)
        Membership.objects.create(user=person, role=Role.CITY_CONTACT, city=oslo)
    other = Membership.objects.create(user=factories.UserFactory(username="ola"), role=Role.PROGRAMME_MANAGEMENT)
    migration = importlib.import_module("cities.migrations.0004_merge_duplicate_memberships")

    migration.merge_duplicates(apps, None)

    assert sorted(Membership.objects.values_list("pk", flat=True)) == sorted([m.pk for m in [*kept, other]])
    run_sql([constraint.create_sql(Membership, editor) for constraint in constraints])  # the merged rows fit


def run_sql(statements):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows deleted above leave deferred foreign-key checks pending in the test's transaction,
            # and PostgreSQL builds no index while they are; a migration runs in a transaction of its own.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(str(statement))


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.CITY_CONTACT, {}, "city"),
        (Role.CITY_CONTACT, {"theme_area": "atp"}, "theme_area"),
        (Role.NETWORK_MEMBER, {"city": "oslo"}, "theme_area"),
        (Role.COORDINATOR, {"city": "oslo", "theme_area": "atp"}, "city"),
        (Role.PARTNER, {}, "organisation"),
        (Role.COUNTY_AUTHORITY, {"organisation": "ks"}, "organisation"),
        (Role.CONSULTANT, {"city": "oslo"}, "city"),
    ],
)
def test_each_role_has_the_scope_it_needs_and_no_other(request, person, role, scope, field):
    values = {
        "city": lambda: request.getfixturevalue("oslo"),
        "theme_area": lambda: request.getfixturevalue("atp"),
        "organisation": lambda: factories.OrganisationFactory(short_name="KS", kind="association"),
    }
    membership = Membership(user=person, role=role, **{name: values[name]() for name in scope})
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert field in error.value.message_dict


def test_a_county_authority_role_is_held_for_a_county_authority(person):
    county = factories.CountyFactory(name="Hordaland")
    hfk = factories.OrganisationFactory(short_name="HFK", kind="county_authority", county=county)
    Membership(user=person, role=Role.COUNTY_AUTHORITY, organisation=hfk).full_clean()
