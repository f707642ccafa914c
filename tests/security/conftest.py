"""The world of the security stage, built once per module.

The personas of tests/conftest.py and the objects of the authorization matrix
(tests/portal/test_authorization_matrix.py), plus two who must be refused
where their neighbours are let in: a network leader of another theme
(energy) and a partner that is party to no agreement (Enova). Each test runs
in a savepoint inside the module's transaction, so what a test changes is
rolled back before the next one, and the module's world at its end.
"""

import datetime
import hashlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import override_settings

from actionplans import services
from actionplans.models import ExtensionRequest, Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from cities.models import Membership
from lib.files import inspect_upload
from meetings.models import Minutes
from tests import factories
from tests.files import make_pdf
from tests.portal.test_authorization_matrix import PERSONAS, gathering, ics_meeting

Role = Membership.Role

# The matrix's personas and the two neighbours who must be refused.
ALL_PERSONAS = [*PERSONAS, "leader_energy", "partner_other"]


@pytest.fixture(scope="session")
def security_media(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


def _persona(username, role=None, **scope):
    user = factories.UserFactory(username=username)
    if role:
        factories.MembershipFactory(user=user, role=role, **scope)
    return user


def build_world():
    """The authorization matrix's world (same usernames, same objects), made without its function fixtures."""
    atp = factories.ThemeAreaFactory(
        code="atp", name_nb="Areal og transport", name_en="Land use and transport", order=1
    )
    energy = factories.ThemeAreaFactory(code="energy", name_nb="Energi i bygg", name_en="Energy in buildings", order=2)
    oslo = factories.CityFactory(name="Oslo", slug="oslo", municipality_number="0301")
    bergen = factories.CityFactory(name="Bergen", slug="bergen", municipality_number="1201")
    round_ = factories.RoundFactory(name="Handlingsprogram 2030", slug="handlingsprogram-2030")
    oslo_programme = factories.ProgrammeFactory(round=round_, city=oslo)
    bergen_programme = factories.ProgrammeFactory(round=round_, city=bergen)
    users = {
        "contact_oslo": _persona("kontakt-oslo", Role.CITY_CONTACT, city=oslo),
        "contact_bergen": _persona("kontakt-bergen", Role.CITY_CONTACT, city=bergen),
        "coordinator": _persona("koordinator-atp", Role.COORDINATOR, theme_area=atp),
        "manager": _persona(
            "departementet", Role.PROGRAMME_MANAGEMENT, organisation=factories.OrganisationFactory(short_name="MD")
        ),
        "partner": _persona("ks", Role.PARTNER, organisation=factories.OrganisationFactory(short_name="KS")),
        "outsider": _persona("utenforstaaende"),
        "superuser": factories.UserFactory(username="admin", is_staff=True, is_superuser=True),
        "leader_energy": _persona("leder-energi", Role.NETWORK_LEADER, theme_area=energy),
        "partner_other": _persona(
            "enova",
            Role.PARTNER,
            organisation=factories.OrganisationFactory(short_name="Enova", kind="state_agency"),
        ),
    }

    def upload(programme, by):
        file = ContentFile(make_pdf(), name="handlingsprogram.pdf")
        inspected = inspect_upload(file, max_size=10**7)
        return services.upload_draft(programme, file=file, inspected=inspected, note="", by=by)

    oslo_draft = upload(oslo_programme, users["contact_oslo"])
    upload(bergen_programme, users["contact_bergen"])
    bergen_submitted = services.submit_programme(bergen_programme, by=users["contact_bergen"])

    extension = ExtensionRequest.objects.create(
        programme=oslo_programme,
        requested_date=datetime.date(2030, 2, 1),
        reason="Valg",
        requested_by=users["contact_oslo"],
    )
    agreement = Agreement.objects.create(
        title="Belønningsordning", kind="long_term_economic", created_by=users["manager"]
    )
    agreement.theme_areas.set([atp])
    agreement_services.set_parties(
        agreement, cities=[bergen_submitted.city], organisations=[users["partner"].memberships.get().organisation]
    )
    pdf = ContentFile(make_pdf(), name="avtale.pdf")
    document = agreement_services.upload_document(
        agreement, file=pdf, inspected=inspect_upload(pdf, max_size=10**6), kind="draft", note="", by=users["manager"]
    )
    review = services.review_for(bergen_submitted, atp)
    comment = services.add_comment(review, measure=None, text="Bra", by=users["coordinator"])
    w = {
        "users": users,
        "atp": atp,
        "energy": energy,
        "agreement": agreement,
        "agreement_document": document,
        "comment": comment,
        "extension": extension,
        "oslo": oslo_programme,
        "draft": oslo_draft,
        "measure": Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Tiltak"),
        "bergen": bergen_submitted,
        "bergen_measure": Measure.objects.create(programme=bergen_submitted, theme_area=atp, title="Bergens tiltak"),
        "bergen_measure_energy": Measure.objects.create(
            programme=bergen_submitted, theme_area=energy, title="Bergens energitiltak"
        ),
    }
    # Draft minutes of the gathering (its organisers edit, approve and publish them) and a planned meeting
    # Oslo's contact is invited to (and may answer).
    w["minutes"] = Minutes.objects.create(meeting=gathering(w)["meeting"], main_points="Hovedpunkter")
    w["planned"] = ics_meeting(w)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, security_media):
    """The module's world, rolled back when the module is done."""
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py says why
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=security_media, PASSWORD_HASHERS=fast_hashing):
        with transaction.atomic():
            w = build_world()
            yield w
            transaction.set_rollback(True)


@pytest.fixture
def users(world, db, settings, security_media):
    """The world's personas, for a test that uses the module's world (and finds its uploads)."""
    settings.MEDIA_ROOT = security_media
    return world["users"]


# Tables no view writes to; leaving them out keeps the digest cheap.
# The security log and the lockout's count of failed logins record refusals by design: a refused
# POST leaves its trace there, and stores nothing anywhere else.
_NOT_COMPARED = {
    "sessions.Session",
    "auth.Permission",
    "contenttypes.ContentType",
    "accounts.SecurityEvent",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}


def fingerprint():
    """A digest of every row of every table (many-to-many ones too) but the sessions and the security log:
    equal digests, nothing stored changed."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.db_table):
            if model._meta.label in _NOT_COMPARED or model._meta.proxy:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - names from the models
            digest.update(table.encode() + repr(cursor.fetchall()).encode())
    return digest.hexdigest()
