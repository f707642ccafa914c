import datetime

import factory
from django.contrib.auth import get_user_model

from actionplans.models import ActionProgramme, Deadline, Measure, Round
from cities.models import City, County, Membership, Organisation, ThemeArea


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Fylke {n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"By {n}")
    slug = factory.Sequence(lambda n: f"by-{n}")
    municipality_number = factory.Sequence(lambda n: f"{9000 - n:04d}")
    county = factory.SubFactory(CountyFactory)
    population = 50_000


class ThemeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"theme{n}")
    name_nb = factory.LazyAttribute(lambda t: f"Tema {t.code}")
    name_en = factory.LazyAttribute(lambda t: f"Theme {t.code}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["short_name"]

    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"Organisation {o.short_name}")
    kind = Organisation.Kind.MINISTRY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.CITY_CONTACT


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Handlingsprogram {2030 + n}")
    slug = factory.Sequence(lambda n: f"handlingsprogram-{2030 + n}")
    deadline = factory.RelatedFactory(
        "tests.factories.DeadlineFactory", factory_related_name="round", due_date=datetime.date(2030, 1, 15)
    )


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    round = factory.SubFactory(RoundFactory, deadline=None)
    due_date = datetime.date(2030, 1, 15)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionProgramme
        django_get_or_create = ["round", "city"]

    round = factory.SubFactory(RoundFactory)
    city = factory.SubFactory(CityFactory)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    programme = factory.SubFactory(ProgrammeFactory)
    theme_area = factory.SubFactory(ThemeAreaFactory)
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    expected_effect = 100
    cost_estimate = 1_000_000
