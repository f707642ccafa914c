"""A hostile payload in every text field of the data, looked for unescaped in every page, mail, export, calendar
file and the HTML each PDF is made from.

Every CharField and TextField of every row of the world (titles, descriptions, comments and answers,
assessments, reasons, minutes, decisions, action items, feedback, agreements, notes, names of organisations and
people, original names of uploads) is overwritten in the database with a payload that starts like a spreadsheet
formula (=, +, - or @) and carries script, attribute and element injections.
"""

import csv
import datetime
import io
from unittest import mock

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from actionplans import reminders as deadline_reminders
from actionplans import services
from lib.csvfiles import FORMULA_STARTS
from meetings import reminders as meeting_reminders
from meetings.models import ActionItem, Decision, Feedback, Invitation
from outbox.models import OutgoingMail
from reporting.tables import TABLES
from state import reminders as state_reminders
from tests.files import make_pdf
from tests.portal.test_authorization_matrix import DELEGATED_NAMESPACES, MATRIX, OK, offered_request, state_world
from tests.security.test_post_matrix import READ_ONLY_ARGS, _client

LEADS = ["=", "+", "-", "@"]
PAYLOAD = (
    '<script>alert(1)</script>"><img src=x onerror=alert(1)></textarea><svg onload=alert(1)>'
    ' {{7*7}} javascript:alert(1) =HYPERLINK("http://evil.example","x") @SUM(1) +cmd'
)
# What must never reach a page or a mail as markup.
RAW = ["<script>alert(1)", "<img src=x", "<svg onload", "</textarea><svg", 'href="javascript:', "href='javascript:"]
# Fields that are not free text a user writes (keys, hashes, codes, credentials, detected types).
NOT_FREE_TEXT = {
    "password",
    "username",
    "number",
    "municipality_number",
    "calendar_token",
    "extension",
    "content_type",
    "sha256",
    "error",
}
APPS = {"auth", "cities", "actionplans", "meetings", "agreements", "state", "portal"}


def hostile_fields():
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        if model._meta.app_label == "auth" and model is not get_user_model():
            continue
        names = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not isinstance(f, models.SlugField | models.EmailField)
            and not f.choices
            and f.name not in NOT_FREE_TEXT
        ]
        if names:
            yield model, names


def inject():
    """Overwrite every free-text field of every row with the payload (fitted to the field, unique where needed)."""
    n = 0
    for model, fields in hostile_fields():
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {}
            for field in fields:
                n += 1
                text = f"{LEADS[n % len(LEADS)]}{PAYLOAD} {pk}"
                if field.max_length and len(text) > field.max_length:
                    suffix = f" {pk}" if field.unique else ""
                    text = text[: field.max_length - len(suffix)] + suffix
                values[field.name] = text
            model._base_manager.filter(pk=pk).update(**values)


@pytest.fixture(scope="module")
def hostile(world, django_db_blocker):
    """The world, with minutes' decisions and action items, a reply, feedback, and every text field hostile."""
    with django_db_blocker.unblock():
        users, meeting = world["users"], world["gathering"]["meeting"]
        minutes = world["minutes"]
        Decision.objects.create(minutes=minutes, text="Vedtak")
        ActionItem.objects.create(
            minutes=minutes, text="Oppgave", owner=users["contact_bergen"], due_date=datetime.date(2030, 1, 10)
        )
        Feedback.objects.create(
            meeting=meeting, user=users["contact_bergen"], rating=4, pace="right", enough_discussion="yes"
        )
        services.reply_to_comment(world["comment"], text="Svar", by=users["coordinator"])
        services.link_measures(
            world["bergen_measure"], world["bergen_measure_energy"], note="Lenke", by=users["manager"]
        )
        Invitation.objects.get_or_create(meeting=meeting, user=users["contact_oslo"])
        minutes.status, minutes.published_at = "published", timezone.now()
        minutes.save(update_fields=["status", "published_at"])
        state_world(world)  # an instrument and a request, made before their texts turn hostile
        offered_request(world)  # and an offer, to make an agreement of
        inject()
    return world


def assert_clean(text, where):
    found = [raw for raw in RAW if raw in text]
    assert found == [], f"{where}: {found}"


@pytest.fixture
def pdf_html():
    """The HTML each PDF is made from, captured instead of rendered."""
    captured = []

    def capture(html, **kwargs):
        captured.append(html)
        return make_pdf()

    with (
        mock.patch("reporting.reports.render_pdf", capture),
        mock.patch("meetings.reports.render_pdf", capture),
        mock.patch("lib.pdf.render_pdf", capture),
    ):
        yield captured


def readers(name):
    """The management, and the first other persona the GET matrix lets read the page."""
    row = MATRIX[name][1]
    others = [p for p, result in row.items() if result == OK and p not in ("manager", "superuser", "anonymous")]
    return ["manager", *others[:1]] if row["manager"] == OK else [p for p in row if row[p] == OK][:2]


PAGES = [n for n in MATRIX if n.split(":")[0] not in DELEGATED_NAMESPACES and n in MATRIX]


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_the_payload_escaped(hostile, users, pdf_html, name):
    url = reverse(name, args=READ_ONLY_ARGS.get(name, MATRIX[name][0])(hostile))
    seen = []
    for persona in readers(name):
        response = _client(users, persona).get(url)
        assert (persona, response.status_code) == (persona, MATRIX[name][1][persona])
        body = b"".join(response) if response.streaming else response.content
        if response.get("Content-Type", "").startswith(("text/html", "image/svg")):  # markup a browser runs
            assert_clean(body.decode(), f"{name} as {persona}")
            seen.append(persona)
    for html in pdf_html:
        assert_clean(html, f"the HTML of the PDF of {name}")
    assert seen or pdf_html or MATRIX[name][1]["manager"] != OK or name in NOT_HTML


# Pages whose answer is a file, not markup: uploads, spreadsheets, CSV, calendar files (tested below).
NOT_HTML = {
    "meetings:meeting_ics",
    "actionplans:draft_download",
    "actionplans:draft_inline",
    "agreements:document_download",
    "meetings:attachment_download",
    "report_job_download",
    "export",
    "export_job_download",
    "people:export",
    "accounts:security_log_csv",
    "favicon",
    "health",  # "ok", as plain text
    # The API answers JSON (and a document's file); its docs page is HTML and is walked.
    "api:schema",
    *(
        f"api:{name}-{kind}"
        for name in ("city", "theme", "round", "programme", "programme-document", "measure", "review")
        + ("agreement", "meeting", "minutes", "instrument")
        for kind in ("list", "detail")
    ),
    "api:programme-document-download",
    # Open data: the submitted document, the CSV and JSON downloads, the catalog (JSON-LD, Turtle).
    "opendata:document",
    "opendata:download",
    "opendata:catalog_jsonld",
    "opendata:catalog_turtle",
}


def test_payload_reaches_the_pages(hostile, users):
    """The payload is really shown (escaped), so that the walk above is not vacuous."""
    response = _client(users, "manager").get(
        reverse("meetings:meeting_detail", args=[hostile["gathering"]["meeting"].pk])
    )

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


@pytest.mark.parametrize("table", TABLES)
def test_csv_export_neutralises_formulas(hostile, users, table):
    params = {"meeting": hostile["gathering"]["meeting"].pk} if table == "registrations" else {}
    response = _client(users, "manager").get(reverse("export", args=[table, "csv"]), params)

    assert response.status_code == 200
    # In Norwegian: Excel's dialect, with semicolons.
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    hostile_cells = [cell for row in rows for cell in row if "alert(1)" in cell]
    assert hostile_cells
    assert [c for c in hostile_cells if c.startswith(FORMULA_STARTS)] == []
    assert {c[:2] for c in hostile_cells} <= {f"'{lead}" for lead in LEADS}


@pytest.mark.parametrize("table", TABLES)
def test_xlsx_export_stores_text_not_formulas(hostile, users, table):
    params = {"meeting": hostile["gathering"]["meeting"].pk} if table == "registrations" else {}
    response = _client(users, "manager").get(reverse("export", args=[table, "xlsx"]), params)

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "alert(1)" in str(cell.value or "")]
    assert cells
    assert {cell.data_type for cell in cells} == {"s"}


def test_calendar_files_hold_the_payload_as_text(hostile, users):
    client = _client(users, "contact_oslo")
    meeting = hostile["gathering"]["meeting"]
    for url in [reverse("meetings:meeting_ics", args=[meeting.pk])]:
        body = client.get(url).content.decode()
        assert "BEGIN:VCALENDAR" in body
        # One property a line: no payload line starts a property of its own.
        assert [line for line in body.splitlines() if line.startswith(("<", '"', "javascript:"))] == []


def test_mails_show_the_payload_escaped(hostile, users, django_capture_on_commit_callbacks):
    """The mails of the flows: submission, extension decided, review completed, minutes published, reminders,
    a referral to another state body."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _client(users, "contact_oslo").post(reverse("actionplans:programme_submit", args=[hostile["oslo"].pk]))
        _client(users, "manager").post(
            reverse("actionplans:extension_decide", args=[hostile["extension"].pk]), {"decision": "approve"}
        )
        _client(users, "coordinator").post(
            reverse("actionplans:review_save", args=[hostile["bergen"].pk, "atp"]),
            {"assessment": "Ferdig", "status": "completed"},
        )
        for now in [datetime.datetime(2030, 1, d, 12, tzinfo=datetime.UTC) for d in (1, 9, 14, 15, 16, 22)]:
            deadline_reminders.sweep(now=now)
            meeting_reminders.sweep(now=now)
            state_reminders.sweep(now=now)
        deadline_reminders.queue_pending()
    # A referral: the body referred to hears of it (once the reminder of the request it answers has gone).
    with django_capture_on_commit_callbacks(execute=True):
        _client(users, "partner").post(
            reverse("state:request_refer", args=[state_world(hostile)["request"].pk]),
            {"refer-referred_body": users["partner_other"].memberships.get().organisation_id, "refer-comment": PAYLOAD},
        )

    assert len(mail.outbox) >= 3
    kinds = {mail.kind for mail in OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT)}
    assert {"state_request_reminder", "state_request_referred"} <= kinds
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_clean(content, f"the HTML of the mail {message.subject!r}")
        assert "\n" not in message.subject
