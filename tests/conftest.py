"""Fixed personas and the programme they work in.

Oslo and Bergen each have a city contact; there is a coordinator of land use
and transport, the programme management, a partner (KS) and an outsider with
no role at all.
"""

import os

import pytest
from django.core.files.base import ContentFile

from actionplans import services
from cities.models import Membership
from lib.files import inspect_upload
from portal.celery import app as celery_app
from tests import factories
from tests.files import make_pdf
from tests.mailserver import smtp  # noqa: F401 - a real SMTP server on loopback, for every test that wants one

# Playwright's sync API runs an event loop in the test thread; Django must
# still be allowed to use the database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

Role = Membership.Role


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`--dist loadgroup`) the tests that start real worker
    processes run one after another in one worker: they share the configured
    Redis database and would flush each other's queues."""
    for item in items:
        if item.get_closest_marker("processes"):
            item.add_marker(pytest.mark.xdist_group("processes"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's own (a database per xdist worker), and on PostgreSQL commits that do not wait
    for the disk: the test database is thrown away, and the browser and process tests commit often."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks queued in tests run at once, in the test's process. (Set after the
    app has read its settings, which would otherwise win.) The tests that start
    a real worker configure their own processes."""
    conf = celery_app.conf
    conf.task_always_eager, conf.task_eager_propagates = True, True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing the personas' passwords with PBKDF2 would cost most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TWO_FACTOR_REQUIRED_ROLES = []  # the personas log in with force_login; tests/accounts turn it on


@pytest.fixture
def atp(db):
    return factories.ThemeAreaFactory(
        code="atp", name_nb="Areal og transport", name_en="Land use and transport", order=1
    )


@pytest.fixture
def energy(db):
    return factories.ThemeAreaFactory(code="energy", name_nb="Energi i bygg", name_en="Energy in buildings", order=2)


@pytest.fixture
def oslo(db):
    return factories.CityFactory(name="Oslo", slug="oslo", municipality_number="0301")


@pytest.fixture
def bergen(db):
    return factories.CityFactory(name="Bergen", slug="bergen", municipality_number="1201")


@pytest.fixture
def round_(db):
    """A round due 15.01.2030, so that "now" in tests is well before it."""
    return factories.RoundFactory(name="Handlingsprogram 2030", slug="handlingsprogram-2030")


@pytest.fixture
def oslo_programme(round_, oslo):
    return factories.ProgrammeFactory(round=round_, city=oslo)


@pytest.fixture
def bergen_programme(round_, bergen):
    return factories.ProgrammeFactory(round=round_, city=bergen)


def _persona(username, role=None, **scope):
    user = factories.UserFactory(username=username)
    if role:
        factories.MembershipFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def contact_oslo(oslo):
    return _persona("kontakt-oslo", Role.CITY_CONTACT, city=oslo)


@pytest.fixture
def contact_bergen(bergen):
    return _persona("kontakt-bergen", Role.CITY_CONTACT, city=bergen)


@pytest.fixture
def coordinator(atp):
    return _persona("koordinator-atp", Role.COORDINATOR, theme_area=atp)


@pytest.fixture
def manager(db):
    return _persona(
        "departementet", Role.PROGRAMME_MANAGEMENT, organisation=factories.OrganisationFactory(short_name="MD")
    )


@pytest.fixture
def partner(db):
    return _persona("ks", Role.PARTNER, organisation=factories.OrganisationFactory(short_name="KS"))


@pytest.fixture
def outsider(db):
    return _persona("utenforstaaende")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


def upload(programme, by, content=None, name="handlingsprogram.pdf", note=""):
    file = ContentFile(content or make_pdf(), name=name)
    return services.upload_draft(programme, file=file, inspected=inspect_upload(file, max_size=10**7), note=note, by=by)


@pytest.fixture
def oslo_draft(oslo_programme, contact_oslo):
    return upload(oslo_programme, contact_oslo)


@pytest.fixture
def bergen_submitted(bergen_programme, contact_bergen):
    upload(bergen_programme, contact_bergen)
    return services.submit_programme(bergen_programme, by=contact_bergen)
