"""Documents on a meeting or an agenda item: checked by content, stored under a server-made name,
downloaded only through a view that checks permission."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import AgendaItem, Attachment
from tests.files import make_docx, make_exe, make_pdf
from tests.meetings.conftest import Response, invite


def upload_file(content, name="presentasjon.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_upload(client, meeting, content, name="presentasjon.pdf", **data):
    return client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk]),
        {"title": "Byens presentasjon", "file": upload_file(content, name), **data},
    )


def test_upload_stores_the_document_under_a_server_made_name(client, manager, gathering):
    content = make_pdf("Oslo")
    client.force_login(manager)

    response = post_upload(client, gathering, content, name="../../etc/Presentasjon Oslo.pdf")

    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert attachment.original_name == "Presentasjon Oslo.pdf"
    assert attachment.file.name.startswith(f"meetings/{gathering.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert "Presentasjon" not in attachment.file.name
    assert (attachment.sha256, attachment.size) == (hashlib.sha256(content).hexdigest(), len(content))
    assert (attachment.content_type, attachment.uploaded_by) == ("application/pdf", manager)


def test_upload_on_an_agenda_item(client, contact_oslo, gathering):
    item = AgendaItem.objects.create(
        meeting=gathering, starts_at=gathering.starts_at, kind="presentation", title="Oslo"
    )
    client.force_login(contact_oslo)  # the host city presents

    post_upload(client, gathering, make_docx(), name="oslo.docx", agenda_item=item.pk)

    attachment = Attachment.objects.get()
    assert attachment.agenda_item == item
    assert attachment.extension == ".docx"


def test_upload_refuses_a_renamed_executable(client, manager, gathering):
    client.force_login(manager)

    response = post_upload(client, gathering, make_exe(), name="presentasjon.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "unsupported_type"
    assert not Attachment.objects.exists()


def test_upload_refuses_a_file_over_the_limit(client, manager, gathering, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(manager)

    response = post_upload(client, gathering, make_pdf())

    assert "file" in response.context["form"].errors
    assert not Attachment.objects.exists()


def test_upload_refuses_an_agenda_item_of_another_meeting(client, manager, gathering, held):
    other = AgendaItem.objects.create(meeting=held, starts_at=held.starts_at, kind="plenary", title="Annet")
    client.force_login(manager)

    response = post_upload(client, gathering, make_pdf(), agenda_item=other.pk)

    assert "agenda_item" in response.context["form"].errors
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("contact_bergen", 403), ("coordinator", 404), ("outsider", 404)])
def test_upload_refused_to_others(client, request, gathering, contact_bergen, persona, status):
    invite(gathering, contact_bergen, response=Response.ATTENDING)
    client.force_login(request.getfixturevalue(persona))

    assert post_upload(client, gathering, make_pdf()).status_code == status
    assert not Attachment.objects.exists()


@pytest.fixture
def attachment(client, manager, gathering):
    client.force_login(manager)
    post_upload(client, gathering, make_pdf("Hemmelig"), name="plan.pdf")
    client.logout()
    return Attachment.objects.get()


def test_download_by_an_invitee_with_safe_headers(client, gathering, contact_bergen, attachment):
    invite(gathering, contact_bergen)
    client.force_login(contact_bergen)

    response = client.get(reverse("meetings:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == make_pdf("Hemmelig")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", ["contact_bergen", "coordinator", "outsider"])
def test_download_hidden_from_those_not_invited(client, request, attachment, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:attachment_download", args=[attachment.pk])).status_code == 404


def test_download_anonymous_goes_to_login(client, attachment):
    assert client.get(reverse("meetings:attachment_download", args=[attachment.pk])).status_code == 302


def test_delete_by_organiser_removes_row_and_file(client, manager, attachment, django_capture_on_commit_callbacks):
    storage, name = attachment.file.storage, attachment.file.name
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:attachment_delete", args=[attachment.pk]))

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize(("persona", "status"), [("contact_oslo", 403), ("contact_bergen", 404)])
def test_delete_refused_to_others(client, request, attachment, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("meetings:attachment_delete", args=[attachment.pk])).status_code == status
    assert Attachment.objects.count() == 1
