"""The demo loaded once for the tests of this package: seeding it is the slow part, and the tests only
read it.

It is loaded twice (the second run must change nothing) inside one transaction that is rolled back
after the package's last test, so no other test sees it; each test runs in a savepoint inside it.
(Under pytest-xdist each worker that runs tests of this package loads it once.)"""

import csv
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


def rows_the_measure_form_refuses(path):
    """The rows of a demo measures file and those that the measure form would refuse, with its errors.
    The demo enters its measures without the form (it is slow): the form's checks are made here."""
    from actionplans.forms import MeasureForm
    from actionplans.models import MeasureCategory
    from cities.models import ThemeArea

    themes = {t.code: t.pk for t in ThemeArea.objects.all()}
    categories = {(c.theme_area.code, c.name_nb): c.pk for c in MeasureCategory.objects.select_related("theme_area")}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    refused = []
    for row in rows:
        form = MeasureForm(
            {
                "theme_area": themes[row["theme"]],
                "category": categories[row["theme"], row["category"]] if row["category"] else "",
                "title": row["title"],
                "description": row["description"],
                "expected_effect": row["effect"],
                "cost_estimate": row["cost"],
                "status": row["status"],
                "state_cooperation_wanted": row["state_cooperation"] == "yes",
            }
        )
        if not form.is_valid():
            refused.append((row["city"], row["title"], form.errors))
    return rows, refused


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
