import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.models import ActionProgramme, Deadline, Round, StatusChange
from tests import factories
from tests.conftest import upload
from tests.files import make_pdf

OSLO = ZoneInfo("Europe/Oslo")
Status = ActionProgramme.Status


def oslo(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def test_deadline_due_at_is_midnight_after_the_due_day_in_oslo(round_):
    assert round_.deadline.due_at == oslo(2030, 1, 16, 0, 0)
    assert round_.deadline.due_at.utcoffset() == datetime.timedelta(hours=1)


def test_deadline_due_at_in_summer_time():
    deadline = Deadline(due_date=datetime.date(2030, 6, 30))
    assert deadline.due_at == datetime.datetime(2030, 6, 30, 22, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("moment", "on_time"),
    [
        (oslo(2030, 1, 15, 23, 59, 59), True),
        (oslo(2030, 1, 16, 0, 0, 0), False),
        (oslo(2029, 12, 31, 12, 0), True),
    ],
)
def test_submit_on_time_around_midnight_oslo(oslo_programme, contact_oslo, moment, on_time):
    draft = upload(oslo_programme, contact_oslo)

    with time_machine.travel(moment, tick=False):
        services.submit_programme(oslo_programme, by=contact_oslo)

    oslo_programme.refresh_from_db()
    assert oslo_programme.status == Status.SUBMITTED
    assert oslo_programme.submitted_on_time is on_time
    assert oslo_programme.submitted_at == moment
    assert oslo_programme.submitted_by == contact_oslo
    assert oslo_programme.submitted_draft == draft


def test_submit_pins_the_latest_version_and_keeps_history(oslo_programme, contact_oslo):
    upload(oslo_programme, contact_oslo)
    second = upload(oslo_programme, contact_oslo, note="v2")

    services.submit_programme(oslo_programme, by=contact_oslo)

    oslo_programme.refresh_from_db()
    assert oslo_programme.submitted_draft == second
    changes = list(
        StatusChange.objects.filter(programme=oslo_programme).values_list("from_status", "to_status", "draft")
    )
    assert changes == [(Status.NOT_STARTED, Status.DRAFT, None), (Status.DRAFT, Status.SUBMITTED, second.pk)]


def test_submit_without_draft_is_refused(oslo_programme, contact_oslo):
    with pytest.raises(ValidationError) as error:
        services.submit_programme(oslo_programme, by=contact_oslo)

    assert error.value.code == "no_draft"
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == Status.NOT_STARTED
    assert StatusChange.objects.count() == 0


def test_submitted_programme_refuses_uploads_and_second_submission(bergen_submitted, contact_bergen):
    with pytest.raises(ValidationError) as upload_refused:
        upload(bergen_submitted, contact_bergen)
    with pytest.raises(ValidationError) as submit_refused:
        services.submit_programme(bergen_submitted, by=contact_bergen)
    assert (upload_refused.value.code, submit_refused.value.code) == ("submitted", "submitted")
    assert bergen_submitted.drafts.count() == 1


def test_upload_numbers_versions_and_never_overwrites(oslo_programme, contact_oslo):
    first = upload(oslo_programme, contact_oslo, content=make_pdf("1"))
    second = upload(oslo_programme, contact_oslo, content=make_pdf("2"))

    assert (first.number, second.number) == (1, 2)
    assert first.file.name != second.file.name
    with first.file.open("rb") as f:
        assert f.read() == make_pdf("1")
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == Status.DRAFT


def test_upload_stores_under_a_server_made_name(oslo_programme, contact_oslo):
    draft = upload(oslo_programme, contact_oslo, name="../../etc/passwd.pdf")

    assert draft.original_name == "passwd.pdf"
    assert draft.file.name.startswith(f"drafts/{oslo_programme.pk}/")
    assert draft.file.name.endswith(".pdf")
    assert "passwd" not in draft.file.name


def test_reopen_gives_the_programme_back_and_keeps_the_submission(bergen_submitted, manager, contact_bergen):
    services.reopen_programme(bergen_submitted, by=manager, comment="Mangler tiltak for klimatilpasning")

    bergen_submitted.refresh_from_db()
    assert bergen_submitted.status == Status.DRAFT
    assert bergen_submitted.submitted_draft is not None
    last = bergen_submitted.status_changes.last()
    assert (last.from_status, last.to_status, last.changed_by, last.comment) == (
        Status.SUBMITTED,
        Status.DRAFT,
        manager,
        "Mangler tiltak for klimatilpasning",
    )
    upload(bergen_submitted, contact_bergen)
    assert bergen_submitted.drafts.count() == 2


def test_reopen_refuses_a_programme_not_submitted(oslo_programme, manager):
    with pytest.raises(ValidationError) as refused:
        services.reopen_programme(oslo_programme, by=manager, comment="x")
    assert refused.value.code == "not_submitted"


def test_ensure_programmes_creates_one_per_city_once(round_, oslo, bergen):
    assert services.ensure_programmes(round_) == 2
    assert services.ensure_programmes(round_) == 0
    factories.CityFactory()
    assert services.ensure_programmes(round_) == 1
    assert round_.programmes.count() == 3


def test_current_round_is_the_next_due(db):
    old = factories.RoundFactory(slug="old", deadline__due_date=datetime.date(2009, 1, 15))
    near = factories.RoundFactory(slug="near", deadline__due_date=datetime.date(2031, 1, 15))
    factories.RoundFactory(slug="far", deadline__due_date=datetime.date(2032, 1, 15))

    with time_machine.travel(oslo(2030, 6, 1, 12, 0)):
        assert Round.objects.current() == near
    with time_machine.travel(oslo(2033, 6, 1, 12, 0)):
        assert Round.objects.current().slug == "far"
    assert old.deadline.due_date.year == 2009


def test_days_left_counts_calendar_days_in_oslo(round_):
    deadline = round_.deadline
    # 23:30 UTC on 13.01 is already 14.01 in Oslo.
    assert deadline.days_left(datetime.datetime(2030, 1, 13, 23, 30, tzinfo=datetime.UTC)) == 1
    assert deadline.days_left(oslo(2030, 1, 15, 23, 59)) == 0
    assert deadline.days_left(oslo(2030, 1, 17, 0, 1)) == -2
