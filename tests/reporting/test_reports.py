"""The PDF reports: the status report of a round, a city's report, the
fetcher that keeps local files out of them, and the status report built in
the background for many cities."""

import datetime
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import services
from actionplans.models import Measure, Review
from lib import pdf as lib_pdf
from lib.pdf import RefusedURL, render_pdf, static_file
from reporting import reports, tasks
from reporting.models import ReportJob
from tests import factories
from tests import pdf as read_pdf
from tests.conftest import upload

PASSWD = "file:///etc/passwd"
PASSWD_CONTENT = b"root:x:0:0"
HOSTILE_TITLE = f'<img src="{PASSWD}"> Parkering'
HOSTILE_DESCRIPTION = f'<a rel="attachment" href="{PASSWD}">vedlegg</a>'


def get_pdf(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def submitted_programme(round_, city, by, theme, effects=(Decimal("100.0"),)):
    programme = factories.ProgrammeFactory(round=round_, city=city)
    upload(programme, by)
    for effect in effects:
        factories.MeasureFactory(programme=programme, theme_area=theme, expected_effect=effect)
    return services.submit_programme(programme, by=by)


@pytest.fixture
def three_more_cities(round_):
    """Three cities that have not started, so that the table is more than Oslo and Bergen."""
    return [
        factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name=name)).city
        for name in ["Drammen", "Tromsø", "Kristiansand"]
    ]


# The status report


def test_status_report_is_a_pdf_with_every_city_and_the_deadline(
    client, manager, oslo_programme, bergen_submitted, three_more_cities
):
    client.force_login(manager)

    data = get_pdf(client, reverse("status_report"))

    text = read_pdf.text(data)
    for city in ["Oslo", "Bergen", "Drammen", "Tromsø", "Kristiansand"]:
        assert city in text
    assert "15.01.2030" in text
    assert "Handlingsprogram 2030" in text
    assert len(read_pdf.reader(data).pages) >= 3


def test_status_report_has_page_numbers_and_a_running_header(client, manager, oslo_programme, bergen_submitted):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    pages = [page.extract_text() for page in read_pdf.reader(get_pdf(client, reverse("status_report"))).pages]

    count = len(pages)
    assert [f"Page {n} of {count}" in page for n, page in enumerate(pages, 1)] == [True] * count
    # The running header names the report and its round from the second page (the cover has none).
    assert [("Status report – Handlingsprogram 2030" in page) for page in pages[1:]] == [True] * (count - 1)


def test_status_report_of_a_chosen_round(client, manager, round_, oslo_programme, atp):
    other = factories.RoundFactory(name="Handlingsprogram 2031", slug="handlingsprogram-2031", deadline=None)
    factories.DeadlineFactory(round=other, due_date=datetime.date(2031, 3, 1))
    factories.ProgrammeFactory(round=other, city=factories.CityFactory(name="Skien"))
    client.force_login(manager)

    text = read_pdf.text(get_pdf(client, reverse("status_report"), round="handlingsprogram-2031"))

    assert "Handlingsprogram 2031" in text
    assert "01.03.2031" in text
    assert "Skien" in text
    assert "Oslo" not in text


def test_status_report_of_an_unknown_round_is_not_found(client, manager, round_):
    client.force_login(manager)

    assert client.get(reverse("status_report"), {"round": "no-such-round"}).status_code == 404


def test_status_report_of_a_round_without_a_deadline(client, manager, round_):
    other = factories.RoundFactory(name="Runde uten frist", slug="uten-frist", deadline=None)
    factories.ProgrammeFactory(round=other, city=factories.CityFactory(name="Skien"))
    client.force_login(manager)

    text = read_pdf.text(get_pdf(client, reverse("status_report"), round="uten-frist"))

    assert "Runde uten frist" in text
    assert "Skien" in text


def test_status_report_without_any_round_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("status_report")).status_code == 404


def test_status_report_shows_submission_version_time_and_lateness(client, manager, round_, bergen, atp):
    contact = factories.UserFactory()
    programme = factories.ProgrammeFactory(round=round_, city=bergen)
    upload(programme, contact)
    upload(programme, contact)
    services.submit_programme(programme, by=contact, now=datetime.datetime(2030, 1, 16, 10, 30, tzinfo=datetime.UTC))
    client.force_login(manager)

    text = read_pdf.text(get_pdf(client, reverse("status_report")))

    assert "Bergen" in text
    assert "16.01.2030 11.30" in text  # Oslo time, Norwegian format
    assert "Sendt inn for sent" in text  # "Submitted late"


@pytest.mark.parametrize(
    ("language", "total", "date"),
    [("nb", "12 445,6", "15.01.2030"), ("en", "12,445.6", "15/01/2030")],
)
def test_status_report_numbers_in_the_users_language(
    client, manager, round_, bergen, atp, contact_bergen, language, total, date
):
    submitted_programme(round_, bergen, contact_bergen, atp, effects=[Decimal("12345.6"), Decimal("100.0")])
    client.cookies["django_language"] = language
    client.force_login(manager)

    text = read_pdf.text(get_pdf(client, reverse("status_report")))

    assert total in text
    assert date in text
    other_total = "12,445.6" if language == "nb" else "12 445,6"
    assert other_total not in text


def test_status_report_decisions_of_the_rounds_published_minutes(client, manager, round_, oslo_programme):
    from meetings.models import Decision, Minutes
    from meetings.services import create_meeting

    def meeting_with_minutes(title, day, status, decision):
        start = datetime.datetime(2029, 12, day, 10, tzinfo=datetime.UTC)
        meeting = create_meeting(
            by=manager, kind="coordination_group", title=title, starts_at=start, ends_at=start, status="held"
        )
        minutes = Minutes.objects.create(meeting=meeting, status=status, main_points="–")
        Decision.objects.create(minutes=minutes, text=decision)

    meeting_with_minutes("Koordineringsgruppen november", 1, Minutes.Status.PUBLISHED, "Eldre vedtak")
    meeting_with_minutes("Koordineringsgruppen desember", 10, Minutes.Status.PUBLISHED, "Fristen flyttes")
    meeting_with_minutes("Koordineringsgruppen utkast", 20, Minutes.Status.DRAFT, "Ikke publisert")
    client.force_login(manager)

    text = read_pdf.text(get_pdf(client, reverse("status_report")))

    # The only round: every meeting is of its time (tests/reporting/test_status_report_content.py has more).
    assert text.index("Fristen flyttes") < text.index("Eldre vedtak")  # newest first
    assert "Ikke publisert" not in text


def test_status_report_costs_the_same_queries_for_one_and_three_cities(manager, round_, atp, energy):
    def queries():
        user = type(manager).objects.get(pk=manager.pk)  # as fresh as in a request
        with CaptureQueriesContext(connection) as captured:
            reports.status_report_html(user, round_, language="nb")
        return len(captured)

    contact = factories.UserFactory()
    submitted_programme(round_, factories.CityFactory(), contact, atp)
    one = queries()
    submitted_programme(round_, factories.CityFactory(), contact, energy)
    factories.ProgrammeFactory(round=round_)
    three = queries()

    assert one == three
    assert three < 30


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_status_report_refused_to_all_but_the_management(request, client, round_, oslo_programme, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("status_report")).status_code == 403


def test_status_report_anonymous_goes_to_login(client, round_):
    url = reverse("status_report")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# A city's report


@pytest.fixture
def oslo_measures(oslo_programme, atp, energy):
    return [
        factories.MeasureFactory(programme=oslo_programme, theme_area=atp, title="Flere avganger på T-banen"),
        factories.MeasureFactory(programme=oslo_programme, theme_area=energy, title="Utvidet fjernvarmenett"),
    ]


def test_city_report_for_the_citys_own_contact(client, contact_oslo, oslo_measures):
    client.force_login(contact_oslo)

    text = read_pdf.text(get_pdf(client, reverse("city_report", args=["oslo"])))

    assert "Oslo" in text
    assert "Handlingsprogram 2030" in text
    assert "Flere avganger på T-banen" in text
    assert "Utvidet fjernvarmenett" in text


def test_city_report_of_another_city_is_refused(client, contact_oslo, bergen_submitted):
    client.force_login(contact_oslo)

    assert client.get(reverse("city_report", args=["bergen"])).status_code == 403


@pytest.mark.parametrize("persona", ["coordinator", "partner", "outsider"])
def test_city_report_refused_to_those_without_the_city(request, client, oslo_programme, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("city_report", args=["oslo"])).status_code == 403


def test_city_report_of_an_unknown_city_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("city_report", args=["atlantis"])).status_code == 404


def test_city_report_hides_reviews_from_the_city_until_comments_are_sent(
    client, manager, contact_bergen, coordinator, bergen_submitted, atp
):
    review = services.review_for(bergen_submitted, atp)
    services.update_review(
        review, assessment="Intern vurdering: tynt på parkering", status="in_progress", by=coordinator
    )

    client.force_login(contact_bergen)
    city_text = read_pdf.text(get_pdf(client, reverse("city_report", args=["bergen"])))
    client.force_login(manager)
    manager_text = read_pdf.text(get_pdf(client, reverse("city_report", args=["bergen"])))

    assert "Intern vurdering" not in city_text
    assert "Intern vurdering" in manager_text
    services.update_review(review, assessment="Sendt til byen", status=Review.Status.COMMENTS_SENT, by=coordinator)
    client.force_login(contact_bergen)
    assert "Sendt til byen" in read_pdf.text(get_pdf(client, reverse("city_report", args=["bergen"])))


def test_city_report_lists_the_agreements_the_city_is_party_to(client, manager, contact_bergen, bergen_submitted):
    from agreements import services as agreement_services
    from agreements.models import Agreement

    mine = Agreement.objects.create(title="Belønningsordningen", kind="long_term_economic", created_by=manager)
    agreement_services.set_parties(mine, cities=[bergen_submitted.city], organisations=[])
    Agreement.objects.create(title="Et annet samarbeid", kind="joint_study", created_by=manager)
    client.force_login(contact_bergen)

    text = read_pdf.text(get_pdf(client, reverse("city_report", args=["bergen"])))

    assert "Belønningsordningen" in text
    assert "Et annet samarbeid" not in text


# Local files stay out of every PDF


def assert_no_trace_of_passwd(data):
    assert PASSWD_CONTENT not in read_pdf.contents(data)
    assert read_pdf.embedded_files(data) == []


def test_user_text_with_file_links_leaves_no_trace_in_the_reports(client, manager, contact_bergen, round_, bergen, atp):
    programme = submitted_programme(round_, bergen, contact_bergen, atp)
    Measure.objects.filter(programme=programme).update(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)
    client.force_login(manager)

    status = get_pdf(client, reverse("status_report"))
    city = get_pdf(client, reverse("city_report", args=["bergen"]))

    assert_no_trace_of_passwd(status)
    assert_no_trace_of_passwd(city)
    # The text is printed as text, not followed.
    assert "Parkering" in read_pdf.text(city)


def test_fetcher_refuses_file_links_even_in_raw_html(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER-42")
    html = (
        f'<p>Hei</p><img src="{PASSWD}"><img src="{secret.as_uri()}">'
        f'<a rel="attachment" href="{PASSWD}">a</a><a rel="attachment" href="{secret.as_uri()}">b</a>'
        f'<link rel="attachment" href="{secret.as_uri()}"><link rel="stylesheet" href="{secret.as_uri()}">'
        '<img src="http://127.0.0.1:9/x.png"><img src="/static/../../../etc/passwd">'
    )

    data = render_pdf(html)

    assert_no_trace_of_passwd(data)
    assert b"TOP-SECRET-MARKER-42" not in read_pdf.contents(data)
    assert read_pdf.text(data).split() == ["Hei", "ab"]  # the links are printed as text, not followed


def test_default_fetcher_would_embed_the_file(tmp_path):
    """The check above is not empty: WeasyPrint's own fetcher embeds a linked local file."""
    import weasyprint

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER-42")

    data = weasyprint.HTML(string=f'<a rel="attachment" href="{secret.as_uri()}">b</a>').write_pdf()

    assert read_pdf.embedded_files(data) == [b"TOP-SECRET-MARKER-42"]


def test_fetcher_answers_our_static_files():
    body, content_type = static_file(f"{lib_pdf.BASE_URL}static/pdf/report.css")

    assert b"@page" in body
    assert content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        PASSWD,
        "file:///work/main/static/pdf/report.css",
        "http://example.org/static/pdf/report.css",
        "https://portal.invalid/media/drafts/1/x.pdf",
        "https://portal.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://portal.invalid/static/pdf/..%2F..%2Fportal%2Fsettings.py",
        "https://portal.invalid/static//etc/passwd",
        "https://portal.invalid/static/no-such-file.css",
        "data:text/plain,hello",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        static_file(url)


# Built in the background


@pytest.fixture
def many(settings):
    """Two cities already count as many."""
    settings.REPORT_ASYNC_CITIES = 1


def test_large_status_report_is_built_in_the_background_then_downloaded(
    client, manager, many, oslo_programme, bergen_submitted, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    offer = client.get(reverse("status_report"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_job_start"), {"round": oslo_programme.round.slug})

    job = ReportJob.objects.get()
    assert offer.status_code == 200
    assert offer.templates[0].name == "reporting/report_start.html"
    assert f'action="{reverse("report_job_start")}"' in offer.content.decode()
    assert f'name="round" value="{oslo_programme.round.slug}"' in offer.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_job", args=[job.pk])
    assert (job.user, job.status, job.language, job.attempts) == (manager, ReportJob.Status.DONE, "nb", 1)
    assert job.file.name == f"reports/{job.pk}.pdf"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Refresh" not in page
    download = reverse("report_job_download", args=[job.pk])
    assert download in page.content.decode()
    text = read_pdf.text(get_pdf(client, download))
    assert "Oslo" in text
    assert "Bergen" in text


def test_large_status_report_get_starts_no_job(client, manager, many, oslo_programme, bergen_programme):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    for _ in range(2):
        response = client.get(reverse("status_report"), {"round": oslo_programme.round.slug})

    assert response.status_code == 200
    assert "The round has 2 action programmes." in response.content.decode()
    assert ReportJob.objects.count() == 0


def test_report_job_start_needs_post_and_the_csrf_token(manager, many, oslo_programme, bergen_programme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    assert client.get(reverse("report_job_start")).status_code == 405
    assert client.post(reverse("report_job_start"), {"round": oslo_programme.round.slug}).status_code == 403
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_report_job_start_refused_to_all_but_the_management(request, client, round_, oslo_programme, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("report_job_start"), {"round": round_.slug})

    assert response.status_code == 403
    assert ReportJob.objects.count() == 0


def test_report_job_start_of_an_unknown_round_is_not_found(client, manager, round_):
    client.force_login(manager)

    assert client.post(reverse("report_job_start"), {"round": "no-such-round"}).status_code == 404
    assert ReportJob.objects.count() == 0


def test_report_job_page_refreshes_while_waiting(client, manager, round_):
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")
    client.force_login(manager)

    waiting = client.get(reverse("report_job", args=[job.pk]))
    stopped = client.get(reverse("report_job", args=[job.pk]), {"refresh": "off"})

    assert waiting.status_code == 200
    assert waiting["Refresh"] == "2"
    assert "Refresh" not in stopped
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404


def test_second_request_while_waiting_reuses_the_job(client, manager, many, oslo_programme, bergen_programme):
    client.force_login(manager)
    start = reverse("report_job_start")

    first = client.post(start, {"round": oslo_programme.round.slug})  # on_commit never runs here: it stays pending
    second = client.post(start, {"round": oslo_programme.round.slug})

    assert first["Location"] == second["Location"]
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_report_job_hidden_from_all_but_the_management(request, client, manager, round_, persona):
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")
    tasks.build_status_report(str(job.pk))
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404


def test_report_job_hidden_from_another_of_the_management(client, manager, round_, oslo_programme):
    job = ReportJob.objects.create(user=manager, round=round_, language="en")
    tasks.build_status_report(str(job.pk))
    colleague = factories.UserFactory(username="radgiver")
    factories.MembershipFactory(user=colleague, role="programme_management")
    client.force_login(colleague)

    assert client.get(reverse("report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404


def test_report_job_downloaded_by_a_superuser_in_the_language_of_the_one_who_asked(
    client, manager, superuser, round_, oslo_programme
):
    job = ReportJob.objects.create(user=manager, round=round_, language="en")
    tasks.build_status_report(str(job.pk))
    client.force_login(superuser)

    text = read_pdf.text(get_pdf(client, reverse("report_job_download", args=[job.pk])))

    assert "Status report" in text
    assert "Oslo" in text


def test_report_job_no_longer_seen_by_its_owner_once_out_of_the_management(client, manager, round_):
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")
    tasks.build_status_report(str(job.pk))
    manager.memberships.all().delete()
    client.force_login(manager)

    assert client.get(reverse("report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404


def test_report_task_twice_builds_once(manager, round_, oslo_programme):
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")

    tasks.build_status_report(str(job.pk))
    job.refresh_from_db()
    first = (job.file.name, job.finished_at, job.file.read())
    tasks.build_status_report(str(job.pk))
    job.refresh_from_db()

    assert (job.status, job.attempts) == (ReportJob.Status.DONE, 1)
    assert (job.file.name, job.finished_at, job.file.open().read()) == first


def test_report_task_of_a_deleted_job_does_nothing(manager, round_):
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")
    pk = str(job.pk)
    job.delete()

    tasks.build_status_report(pk)

    assert ReportJob.objects.count() == 0


def test_report_stopped_at_the_soft_time_limit_is_marked_failed(client, manager, round_, oslo_programme, monkeypatch):
    def too_slow(html):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(reports, "render_pdf", too_slow)
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")

    tasks.build_status_report(str(job.pk))

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.finished_at is not None
    assert not job.file
    client.force_login(manager)
    page = client.get(reverse("report_job", args=[job.pk]))
    assert "Refresh" not in page
    assert f'action="{reverse("report_job_start")}"' in page.content.decode()
    assert f'name="round" value="{round_.slug}"' in page.content.decode()


def test_report_left_running_by_a_killed_worker_is_taken_over_then_given_up(manager, round_, oslo_programme):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = ReportJob.objects.create(
        user=manager, round=round_, language="nb", status=ReportJob.Status.RUNNING, started_at=long_ago, attempts=1
    )

    tasks.build_status_report(str(job.pk))  # the redelivered task takes it over
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.DONE, 2)

    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, started_at=long_ago)
    tasks.build_status_report(str(job.pk))  # killed again: no attempts left
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED


def test_report_running_now_is_not_taken_over(manager, round_):
    job = ReportJob.objects.create(
        user=manager, round=round_, language="nb", status=ReportJob.Status.RUNNING, started_at=timezone.now()
    )

    tasks.build_status_report(str(job.pk))

    job.refresh_from_db()
    assert (job.status, job.attempts, job.file.name) == (ReportJob.Status.RUNNING, 0, "")


# Links


def test_overview_links_to_the_status_report_for_the_management_only(client, manager, coordinator, round_):
    link = f"{reverse('status_report')}?round={round_.slug}"

    client.force_login(manager)
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(coordinator)
    assert link not in client.get(reverse("home")).content.decode()


def test_city_page_links_to_the_report_for_its_own_contacts(client, contact_oslo, oslo_programme, bergen_programme):
    client.force_login(contact_oslo)

    assert reverse("city_report", args=["oslo"]) in client.get(reverse("city_detail", args=["oslo"])).content.decode()
    assert (
        reverse("city_report", args=["bergen"])
        not in client.get(reverse("city_detail", args=["bergen"])).content.decode()
    )


def test_status_report_names_the_cities_without_a_contact(
    client, manager, oslo_programme, bergen_submitted, contact_bergen
):
    contact_bergen.is_active = False
    contact_bergen.save()
    client.force_login(manager)
    text = " ".join(read_pdf.text(get_pdf(client, reverse("status_report"))).split())
    # Oslo's programme has no contact in this world either (no contact_oslo persona).
    assert "Byer uten kontaktperson (påminnelsene deres når ingen): Bergen, Oslo" in text
