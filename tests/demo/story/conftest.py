"""The demo loaded once for the tests of this package: seeding it is the slow part, and the tests only
read it.

It is loaded twice (the second run must change nothing) inside one transaction that is rolled back
after the package's last test, so no other test sees it; each test runs in a savepoint inside it.
(Under pytest-xdist each worker that runs tests of this package loads it once.)"""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

OSLO = ZoneInfo("Europe/Oslo")
# The day the tests load the demo on: two weeks before Christmas, the current round due 15.01.2027.
LOADED = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=OSLO)


def counts():
    """The number of rows of every model."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="package")
def story(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as loaded on LOADED; the counts after the first and the second run."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            with time_machine.travel(LOADED):
                call_command("seed_demo", stdout=io.StringIO())
                first = counts()
                call_command("seed_demo", stdout=io.StringIO())
            yield {"first": first, "second": counts()}
            transaction.set_rollback(True)
