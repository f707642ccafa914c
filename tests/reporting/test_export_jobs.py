"""A large XLSX export is built in the background: the export's address offers a button (a GET starts
nothing), the POST records one `ExportJob` and queues `reporting.build_export`, whose worker writes the
workbook with the filters and in the language of the request; its page shows the progress and then the
download, for the one who asked only. The claim of the job is as a report job's (tests/reporting/test_reports.py)."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from actionplans.models import Measure
from meetings.models import Invitation
from meetings.services import create_meeting
from reporting import tasks
from reporting.models import ExportJob
from tests import factories
from tests.reporting.measures import MEASURE_HEADERS, measure_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROUND = "handlingsprogram-2030"
TOO_LONG = "The export was not made: the filters are too long."


@pytest.fixture
def large(settings):
    """More than one row is a large spreadsheet."""
    settings.EXPORT_XLSX_INLINE_ROWS = 1


def login(client, user, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def start(client, table="measures", **filters):
    return client.post(reverse("export_job_start"), {"table": table, **filters})


def new_job(user, table="measures", params="", language="en", **fields):
    return ExportJob.objects.create(user=user, table=table, params=params, language=language, **fields)


def built(job):
    tasks.build_export(str(job.pk))
    job.refresh_from_db()
    return job


def read_workbook(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def download(client, job):
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return b"".join(response.streaming_content)


class _StartForm(HTMLParser):
    """The hidden fields of the form that posts to `export_job_start` (the page has others, e.g. the language's)."""

    def __init__(self):
        super().__init__()
        self.fields, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == reverse("export_job_start")
        elif tag == "input" and self.inside and attrs.get("type") == "hidden":
            if attrs["name"] != "csrfmiddlewaretoken":
                self.fields.append((attrs["name"], attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def hidden_fields(response):
    """The (name, value) pairs the page's start form sends, as a browser reads them (entities decoded)."""
    parser = _StartForm()
    parser.feed(response.content.decode())
    return parser.fields


# Small at once, large in the background


def test_xlsx_of_up_to_the_threshold_is_sent_at_once(client, settings, world, manager):
    settings.EXPORT_XLSX_INLINE_ROWS = 3  # exactly the three measures
    login(client, manager)

    response = client.get(reverse("export", args=["measures", "xlsx"]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    _sheet, rows = read_workbook(response.content)
    assert [row[4] for row in rows[1:]] == ["Bybane", "Parkeringsnorm", "Passivhus"]
    assert ExportJob.objects.count() == 0


def test_csv_of_a_large_list_is_still_streamed_at_once(client, large, world, manager):
    login(client, manager)

    response = client.get(reverse("export", args=["measures", "csv"]))

    assert response.status_code == 200
    assert response.streaming
    assert ExportJob.objects.count() == 0


def test_large_xlsx_get_offers_the_button_with_the_filters_and_starts_nothing(client, large, world, manager):
    login(client, manager)
    url = reverse("export", args=["measures", "xlsx"])

    for _ in range(2):
        response = client.get(url, {"round": ROUND, "theme": "atp", "dialect": "plain"})

    assert response.status_code == 200
    assert response.templates[0].name == "reporting/export_start.html"
    page = response.content.decode()
    assert "The list has 2 rows." in page
    assert f'action="{reverse("export_job_start")}"' in page
    assert hidden_fields(response) == [("table", "measures"), ("round", ROUND), ("theme", "atp")]
    assert ExportJob.objects.count() == 0


def test_start_page_escapes_the_filters_it_carries(client, large, world, manager):
    login(client, manager)
    hostile = '"><script>alert(1)</script>'

    response = client.get(reverse("export", args=["measures", "xlsx"]), {"q": hostile})

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    assert ("q", hostile) in hidden_fields(response)


def test_start_page_keeps_its_own_list_against_a_filter_named_table(client, large, world, manager):
    login(client, manager)

    offer = client.get(reverse("export", args=["measures", "xlsx"]), {"table": "agreements", "theme": "atp"})
    client.post(reverse("export_job_start"), dict(hidden_fields(offer)))

    assert hidden_fields(offer) == [("table", "measures"), ("theme", "atp")]
    assert ExportJob.objects.get().table == "measures"


def test_large_xlsx_is_built_in_the_background_then_downloaded(
    client, large, world, manager, django_capture_on_commit_callbacks
):
    login(client, manager)

    offer = client.get(reverse("export", args=["measures", "xlsx"]), {"round": ROUND, "theme": "atp"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export_job_start"), dict(hidden_fields(offer)))

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.user, job.table, job.params, job.language) == (manager, "measures", f"round={ROUND}&theme=atp", "en")
    assert (job.status, job.attempts, job.rows_total, job.rows_done) == (ExportJob.Status.DONE, 1, 2, 2)
    assert (job.file.name, job.filename) == (f"exports/{job.pk}.xlsx", f"measures-{ROUND}.xlsx")
    assert job.finished_at is not None
    assert job.error == ""
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Refresh" not in page
    assert "The spreadsheet is ready." in page.content.decode()
    assert "It has 2 rows" in page.content.decode()
    assert reverse("export_job_download", args=[job.pk]) in page.content.decode()
    file = client.get(reverse("export_job_download", args=[job.pk]))
    assert file["Content-Disposition"] == f'attachment; filename="measures-{ROUND}.xlsx"'
    assert file["Cache-Control"] == "private, no-store"
    assert file["X-Content-Type-Options"] == "nosniff"
    sheet, rows = read_workbook(download(client, job))
    assert sheet.title == "Measures"
    assert rows == [
        MEASURE_HEADERS,
        measure_row(
            "Bergen",
            "Submitted on time",
            "Land use and transport",
            None,
            "Bybane",
            None,
            "Planned",
            -5,
            1000000,
            "No",
            None,
        ),
        measure_row(
            "Oslo",
            "Draft",
            "Land use and transport",
            None,
            "Parkeringsnorm",
            None,
            "Ongoing",
            1234.5,
            2500000,
            "Yes",
            None,
        ),
    ]


def test_job_is_built_in_the_language_it_was_asked_in(
    client, large, world, manager, django_capture_on_commit_callbacks
):
    login(client, manager, language="nb")
    with django_capture_on_commit_callbacks(execute=True):
        start(client, theme="energy")
    job = ExportJob.objects.get()

    login(client, manager, language="en")  # whoever reads it later, in whatever language
    sheet, rows = read_workbook(download(client, job))

    assert job.language == "nb"
    assert sheet.title == "Tiltak"
    assert rows[0][:5] == ["By", "Handlingsprogrammets status", "Temaområde", "Kategori", "Tittel"]
    assert rows[1][:5] == ["Oslo", "Utkast", "Energi i bygg", None, "Passivhus"]


@pytest.mark.parametrize(("language", "date_format"), [("nb", "DD.MM.YYYY"), ("en", "YYYY-MM-DD")])
def test_job_writes_dates_as_its_language_does(manager, world, language, date_format):
    job = built(new_job(manager, table="programmes", language=language))

    sheet = load_workbook(job.file.open("rb")).active

    deadline = sheet.cell(row=2, column=6)
    assert deadline.value == datetime.datetime(2030, 1, 15)
    assert deadline.number_format == date_format


def test_job_holds_only_the_rows_its_owner_may_read(client, large, world, contact_bergen):
    login(client, contact_bergen)
    start(client)
    job = built(ExportJob.objects.get())

    _sheet, rows = read_workbook(download(client, job))

    assert [row[:5] for row in rows[1:]] == [["Bergen", "Submitted on time", "Land use and transport", None, "Bybane"]]
    assert (job.rows_total, job.rows_done) == (1, 1)


def test_job_of_the_registrations_of_a_meeting(client, large, manager, contact_oslo, partner):
    start_at = datetime.datetime(2030, 3, 4, 10, tzinfo=datetime.UTC)
    meeting = create_meeting(
        by=manager, kind="network_gathering", title="Samling", starts_at=start_at, ends_at=start_at
    )
    Invitation.objects.create(meeting=meeting, user=contact_oslo, response="attending")
    Invitation.objects.create(meeting=meeting, user=partner)
    login(client, manager)

    offer = client.get(reverse("export", args=["registrations", "xlsx"]), {"meeting": meeting.pk})
    client.post(reverse("export_job_start"), dict(hidden_fields(offer)))
    job = built(ExportJob.objects.get())

    assert hidden_fields(offer) == [("table", "registrations"), ("meeting", str(meeting.pk))]
    assert (job.params, job.filename) == (f"meeting={meeting.pk}", f"registrations-{meeting.pk}.xlsx")
    _sheet, rows = read_workbook(download(client, job))
    assert sorted(row[1] for row in rows[1:]) == ["kontakt-oslo", "ks"]


def test_second_request_while_waiting_reuses_the_job(client, large, world, manager):
    login(client, manager)

    first = start(client, theme="atp")  # on_commit never runs here: it stays pending
    second = start(client, theme="atp")
    other_filters = start(client, theme="energy")

    assert first["Location"] == second["Location"]
    assert other_filters["Location"] != first["Location"]
    assert ExportJob.objects.count() == 2


def test_request_after_the_job_is_done_makes_a_new_one(client, large, world, manager):
    login(client, manager)
    first = built(new_job(manager, params="theme=atp"))

    response = start(client, theme="atp")

    assert response["Location"] != reverse("export_job", args=[first.pk])
    assert ExportJob.objects.filter(status=ExportJob.Status.PENDING).count() == 1


def test_request_in_another_language_makes_its_own_job(client, large, world, manager):
    first = start(login(client, manager, language="nb"))
    second = start(login(client, manager, language="en"))

    assert first["Location"] != second["Location"]
    assert sorted(ExportJob.objects.values_list("language", flat=True)) == ["en", "nb"]


# Progress


def test_progress_is_recorded_every_few_thousand_rows(manager, oslo_programme, atp):
    Measure.objects.bulk_create(
        Measure(programme=oslo_programme, theme_area=atp, title=f"Tiltak {n:05}") for n in range(5001)
    )
    job = new_job(manager)

    with CaptureQueriesContext(connection) as queries:
        built(job)

    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "rows_" in q["sql"]]
    # Counted before the first row, then told after the first 5000.
    assert [sql for sql in updates if 'SET "rows_total" = 5001 WHERE' in sql] != []
    assert [sql for sql in updates if 'SET "rows_done" = 5000 WHERE' in sql] != []
    assert (job.status, job.rows_total, job.rows_done) == (ExportJob.Status.DONE, 5001, 5001)
    sheet = load_workbook(job.file.open("rb"), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 5002


def test_job_costs_the_same_queries_for_few_and_many_rows(manager, oslo_programme, atp):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            built(new_job(manager))
        return len(captured)

    factories.MeasureFactory.create_batch(3, programme=oslo_programme, theme_area=atp)
    few = queries()
    factories.MeasureFactory.create_batch(30, programme=oslo_programme, theme_area=atp)
    many = queries()

    assert few == many


def test_job_page_refreshes_while_waiting(client, manager, world):
    job = new_job(manager)
    login(client, manager)

    waiting = client.get(reverse("export_job", args=[job.pk]))
    stopped = client.get(reverse("export_job", args=[job.pk]), {"refresh": "off"})

    assert waiting.status_code == 200
    assert waiting["Refresh"] == "2"
    assert "Waiting to start…" in waiting.content.decode()
    assert "This page updates itself every 2 seconds." in waiting.content.decode()
    assert "Refresh" not in stopped
    assert "Check again" in stopped.content.decode()
    assert "No worker has started it yet" not in waiting.content.decode()


def test_job_page_shows_the_rows_written_while_running(client, manager, world):
    job = new_job(manager, status=ExportJob.Status.RUNNING, started_at=timezone.now(), rows_total=8000, rows_done=2000)
    login(client, manager)

    response = client.get(reverse("export_job", args=[job.pk]))

    page = response.content.decode()
    assert response["Refresh"] == "2"
    assert "Being built…" in page
    assert "2,000 of 8,000 rows written." in page
    assert 'max="100" value="25"' in page
    assert reverse("export_job_download", args=[job.pk]) not in page


def test_job_page_says_when_no_worker_has_started_it(client, manager, world):
    job = new_job(manager, created_at=timezone.now() - datetime.timedelta(minutes=5))
    login(client, manager)

    response = client.get(reverse("export_job", args=[job.pk]))

    assert response["Refresh"] == "2"
    assert "No worker has started it yet." in response.content.decode()


def test_job_page_of_a_failed_job_offers_to_ask_again(client, large, manager, world):
    job = new_job(manager, params=f"round={ROUND}&theme=atp", status=ExportJob.Status.FAILED, error="Boom")
    login(client, manager)

    page = client.get(reverse("export_job", args=[job.pk]))
    again = client.post(reverse("export_job_start"), dict(hidden_fields(page)))

    assert page.status_code == 200
    assert "Refresh" not in page
    assert "The spreadsheet could not be made." in page.content.decode()
    assert "Boom" not in page.content.decode()  # the error is for the administrators
    assert hidden_fields(page) == [("table", "measures"), ("round", ROUND), ("theme", "atp")]
    retry = ExportJob.objects.get(status=ExportJob.Status.PENDING)
    assert again["Location"] == reverse("export_job", args=[retry.pk])
    assert retry.params == job.params
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_job_page_of_a_stalled_job_stops_refreshing(client, manager, world):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = new_job(manager, status=ExportJob.Status.RUNNING, started_at=long_ago, attempts=ExportJob.MAX_ATTEMPTS)
    login(client, manager)

    response = client.get(reverse("export_job", args=[job.pk]))

    assert "Refresh" not in response
    assert "The spreadsheet could not be made." in response.content.decode()


@pytest.mark.parametrize("status", [ExportJob.Status.PENDING, ExportJob.Status.RUNNING, ExportJob.Status.FAILED])
def test_download_before_the_job_is_done_is_not_found(client, manager, world, status):
    job = new_job(manager, status=status, started_at=timezone.now())
    login(client, manager)

    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_download_of_a_lost_file_is_not_found(client, manager, world):
    job = built(new_job(manager))
    job.file.storage.delete(job.file.name)
    login(client, manager)

    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


# Whose it is


@pytest.mark.parametrize(
    "persona", ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider", "superuser"]
)
def test_job_hidden_from_all_but_the_one_who_asked(request, client, manager, world, persona):
    job = built(new_job(manager))
    login(client, request.getfixturevalue(persona))

    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_job_hidden_from_another_of_the_management(client, manager, world):
    job = built(new_job(manager))
    colleague = factories.UserFactory(username="radgiver")
    factories.MembershipFactory(user=colleague, role="programme_management")
    login(client, colleague)

    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_job_of_a_city_contact_is_theirs_not_the_managements(client, world, contact_oslo, manager):
    job = built(new_job(contact_oslo, table="programmes"))

    login(client, contact_oslo)
    _sheet, rows = read_workbook(download(client, job))
    login(client, manager)

    assert [row[0] for row in rows[1:]] == ["Oslo"]
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, manager, world):
    job = built(new_job(manager))

    for url in [reverse("export_job", args=[job.pk]), reverse("export_job_download", args=[job.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    response = client.post(reverse("export_job_start"), {"table": "measures"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "partner", "outsider"])
def test_reviews_job_refused_to_all_but_the_reviewers(request, client, large, world, persona):
    login(client, request.getfixturevalue(persona))

    offer = client.get(reverse("export", args=["reviews", "xlsx"]))
    response = start(client, "reviews")

    assert (offer.status_code, response.status_code) == (403, 403)
    assert ExportJob.objects.count() == 0


def test_agreements_job_refused_to_the_outsider(client, large, world, outsider):
    response = start(login(client, outsider), "agreements")

    assert response.status_code == 403
    assert ExportJob.objects.count() == 0


def test_registrations_job_only_for_the_organisers(client, large, manager, contact_oslo, coordinator):
    start_at = datetime.datetime(2030, 3, 4, 10, tzinfo=datetime.UTC)
    meeting = create_meeting(
        by=manager, kind="network_gathering", title="Samling", starts_at=start_at, ends_at=start_at
    )
    Invitation.objects.create(meeting=meeting, user=contact_oslo)

    invited = start(login(client, contact_oslo), "registrations", meeting=meeting.pk)
    not_invited = start(login(client, coordinator), "registrations", meeting=meeting.pk)
    no_meeting = start(login(client, manager), "registrations")

    assert (invited.status_code, not_invited.status_code, no_meeting.status_code) == (403, 404, 404)
    assert ExportJob.objects.count() == 0


def test_job_of_one_who_lost_the_permission_fails_and_is_refused(client, large, world, coordinator):
    login(client, coordinator)
    start(client, "reviews")  # pending: the worker is slow
    job = ExportJob.objects.get()
    coordinator.memberships.all().delete()

    built(job)

    assert (job.status, job.error, job.file.name) == (ExportJob.Status.FAILED, "PermissionDenied", "")
    assert job.finished_at is not None
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 403


def test_job_of_a_meeting_deleted_meanwhile_fails(client, large, manager, contact_oslo):
    start_at = datetime.datetime(2030, 3, 4, 10, tzinfo=datetime.UTC)
    meeting = create_meeting(
        by=manager, kind="network_gathering", title="Samling", starts_at=start_at, ends_at=start_at
    )
    Invitation.objects.create(meeting=meeting, user=contact_oslo)
    job = new_job(manager, table="registrations", params=f"meeting={meeting.pk}")
    meeting.delete()

    built(job)

    assert (job.status, job.error) == (ExportJob.Status.FAILED, "No Meeting matches the given query.")
    assert login(client, manager).get(reverse("export_job", args=[job.pk])).status_code == 404


# The claim


def test_task_twice_builds_once(manager, world):
    job = built(new_job(manager))
    first = (job.file.name, job.finished_at, job.file.open("rb").read())

    job = built(job)

    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 1)
    assert (job.file.name, job.finished_at, job.file.open("rb").read()) == first


def test_task_of_a_deleted_job_does_nothing(manager, world):
    job = new_job(manager)
    pk = str(job.pk)
    job.delete()

    tasks.build_export(pk)

    assert ExportJob.objects.count() == 0


def test_job_left_running_by_a_killed_worker_is_taken_over_then_given_up(manager, world):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = new_job(manager, status=ExportJob.Status.RUNNING, started_at=long_ago, attempts=1, rows_done=2)
    # What the killed worker left behind.
    job.file.storage.save(f"exports/{job.pk}.xlsx", io.BytesIO(b"half a workbook"))

    job = built(job)  # the redelivered task takes it over

    assert (job.status, job.attempts, job.rows_done) == (ExportJob.Status.DONE, 2, 3)
    assert job.file.name == f"exports/{job.pk}.xlsx"
    _sheet, rows = read_workbook(job.file.open("rb").read())
    assert len(rows) == 4
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=long_ago)
    job = built(job)  # killed again: no attempts left
    assert (job.status, job.attempts, job.error) == (ExportJob.Status.FAILED, 2, "Stopped at the time limit too often.")


def test_job_running_now_is_not_taken_over(manager, world):
    job = new_job(manager, status=ExportJob.Status.RUNNING, started_at=timezone.now(), attempts=1)

    job = built(job)

    assert (job.status, job.attempts, job.file.name, job.rows_total) == (ExportJob.Status.RUNNING, 1, "", None)


def test_job_stopped_at_the_soft_time_limit_is_marked_failed(client, manager, world, monkeypatch):
    def too_slow(workbook, out):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(Workbook, "save", too_slow)  # openpyxl's, as if the worker ran out of time there
    job = built(new_job(manager, params="theme=atp"))

    assert (job.status, job.error, job.file.name) == (ExportJob.Status.FAILED, "SoftTimeLimitExceeded()", "")
    assert job.finished_at is not None
    assert not job.file.storage.exists(f"exports/{job.pk}.xlsx")
    page = login(client, manager).get(reverse("export_job", args=[job.pk]))
    assert "Refresh" not in page
    assert hidden_fields(page) == [("table", "measures"), ("theme", "atp")]


# Bad input


def test_unknown_list_or_format_is_not_found(client, large, world, manager):
    login(client, manager)

    assert client.get(reverse("export", args=["users", "xlsx"])).status_code == 404
    assert client.get(reverse("export", args=["measures", "pdf"])).status_code == 404
    assert start(client, "users").status_code == 404
    assert client.post(reverse("export_job_start"), {}).status_code == 404
    assert ExportJob.objects.count() == 0


def test_too_long_filters_are_refused_with_a_reason(client, large, world, manager):
    login(client, manager)

    response = start(client, theme="x" * 1000)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == TOO_LONG
    in_norwegian = start(login(client, manager, language="nb"), theme="x" * 1000)
    assert in_norwegian.content.decode() == "Eksporten ble ikke laget: filtrene er for lange."
    assert ExportJob.objects.count() == 0


def test_filters_of_the_longest_length_are_kept(client, large, world, manager):
    login(client, manager)
    theme = "x" * (1000 - len("theme="))

    response = start(client, theme=theme)

    assert response.status_code == 302
    assert ExportJob.objects.get().params == f"theme={theme}"


def test_the_token_and_the_dialect_are_not_kept_as_filters(client, large, world, manager):
    login(client, manager)

    start(client, theme="atp", dialect="plain", csrfmiddlewaretoken="x")

    assert ExportJob.objects.get().params == "theme=atp"


def test_start_needs_post_and_the_csrf_token(large, world, manager):
    client = login(Client(enforce_csrf_checks=True), manager)

    assert client.get(reverse("export_job_start")).status_code == 405
    assert client.post(reverse("export_job_start"), {"table": "measures"}).status_code == 403
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/exports/jobs/not-a-uuid/",
        "/exports/jobs/not-a-uuid/export.xlsx",
        "/exports/jobs/12345/",
        "/exports/jobs/00000000-0000-0000-0000-000000000000/",
        "/exports/jobs/00000000-0000-0000-0000-000000000000/export.xlsx",
    ],
)
def test_job_address_of_no_job_is_not_found(client, manager, world, path):
    login(client, manager)

    assert client.get(path).status_code == 404
