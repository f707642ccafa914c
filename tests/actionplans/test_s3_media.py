"""Uploads on object storage: a draft stored in an S3 bucket (moto's server on loopback), read back
by the download, the review page's inline view, the reading of its text, and a report job's PDF.

Nothing of the portal may need a file on disk: no `.path`, every read through the storage.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import services
from actionplans.models import Draft
from reporting import tasks as reporting_tasks
from reporting.models import ReportJob
from tests import s3server
from tests.files import make_docx, make_pdf
from tests.s3server import s3_fixture  # noqa: F401 - the `s3` fixture

ROOT = Path(__file__).resolve().parents[2]


def post_upload(client, programme, content, name, django_capture_on_commit_callbacks):
    url = reverse("actionplans:draft_upload", args=[programme.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the reading of the text, a task on commit
        return client.post(url, {"file": SimpleUploadedFile(name, content), "note": ""})


def test_draft_uploaded_through_the_view_lands_in_the_bucket_and_comes_back(
    client, contact_oslo, oslo_programme, s3, settings, django_capture_on_commit_callbacks
):
    client.force_login(contact_oslo)
    content = make_pdf("Kollektivtrafikk i Oslo")

    response = post_upload(client, oslo_programme, content, "Utkast mai.pdf", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    draft = Draft.objects.get()
    assert s3.keys() == [draft.file.name]
    assert draft.file.name.startswith(f"drafts/{oslo_programme.pk}/") and draft.file.name.endswith(".pdf")
    assert s3.read(draft.file.name) == content
    assert not settings.MEDIA_ROOT.exists()  # nothing went to disk
    # The text was read from the bucket by the task that runs after the upload.
    draft.refresh_from_db()
    assert draft.read_at is not None
    assert "Kollektivtrafikk i Oslo" in draft.text
    download = client.get(reverse("actionplans:draft_download", args=[draft.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Utkast-mai.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == content


def test_docx_draft_is_read_as_html_from_the_bucket(
    client, contact_oslo, oslo_programme, s3, django_capture_on_commit_callbacks
):
    client.force_login(contact_oslo)

    post_upload(client, oslo_programme, make_docx(), "program.docx", django_capture_on_commit_callbacks)

    draft = Draft.objects.get()
    assert draft.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert draft.html.startswith("<p>")
    assert draft.text != ""


def test_submitted_pdf_shown_inline_to_the_coordinator_from_the_bucket(
    client, contact_oslo, coordinator, oslo_programme, atp, s3, django_capture_on_commit_callbacks
):
    client.force_login(contact_oslo)
    content = make_pdf("Til gjennomgang")
    post_upload(client, oslo_programme, content, "program.pdf", django_capture_on_commit_callbacks)
    services.submit_programme(oslo_programme, by=contact_oslo)
    draft = Draft.objects.get()
    client.force_login(coordinator)

    review = client.get(reverse("actionplans:review_detail", args=[oslo_programme.pk, atp.code]))
    inline = client.get(reverse("actionplans:draft_inline", args=[draft.pk]))

    assert review.status_code == 200
    assert reverse("actionplans:draft_inline", args=[draft.pk]) in review.content.decode()
    assert inline.status_code == 200
    assert inline["Content-Disposition"] == 'inline; filename="program.pdf"'
    assert b"".join(inline.streaming_content) == content


def test_versions_are_kept_side_by_side_in_the_bucket(client, contact_oslo, oslo_programme, s3, settings):
    client.force_login(contact_oslo)
    url = reverse("actionplans:draft_upload", args=[oslo_programme.pk])

    for text in ("Første", "Andre"):
        client.post(url, {"file": SimpleUploadedFile("program.pdf", make_pdf(text)), "note": ""})

    drafts = list(Draft.objects.order_by("number"))
    assert s3.keys() == sorted(d.file.name for d in drafts)
    assert [s3.read(d.file.name) for d in drafts] == [make_pdf("Første"), make_pdf("Andre")]


def test_draft_missing_from_the_bucket_is_not_found(client, contact_oslo, oslo_programme, s3):
    client.force_login(contact_oslo)
    url = reverse("actionplans:draft_upload", args=[oslo_programme.pk])
    client.post(url, {"file": SimpleUploadedFile("program.pdf", make_pdf()), "note": ""})
    draft = Draft.objects.get()
    s3server.client(s3.endpoint).delete_object(Bucket=s3.name, Key=draft.file.name)

    assert client.get(reverse("actionplans:draft_download", args=[draft.pk])).status_code == 404


def test_report_job_pdf_is_kept_in_the_bucket_and_downloaded(client, manager, round_, oslo_programme, s3):
    job = ReportJob.objects.create(user=manager, round=round_, language="nb")

    reporting_tasks.build_status_report(str(job.pk))

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert s3.keys() == [f"reports/{job.pk}.pdf"]
    client.force_login(manager)
    response = client.get(reverse("report_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == s3.read(f"reports/{job.pk}.pdf")


def test_settings_put_media_in_the_bucket_the_environment_names():
    """Only when AWS_STORAGE_BUCKET_NAME is set, with the options the `s3` fixture uses; without it,
    files stay on disk."""
    script = (
        "import json, django; django.setup();"
        "from django.conf import settings; from django.core.files.storage import default_storage;"
        "print(json.dumps([settings.STORAGES['default'], type(default_storage._wrapped).__name__"
        " if default_storage._setup() is None else None]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    clean["DJANGO_SETTINGS_MODULE"] = "portal.settings"

    def storage(**env):
        result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
            [sys.executable, "-c", script], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    on_s3 = storage(**s3server.environment("http://minio:9000", "portal-media"))
    on_disk = storage()

    assert on_s3 == [s3server.storage("http://minio:9000", "portal-media"), "S3Storage"]
    assert on_disk == [{"BACKEND": "django.core.files.storage.FileSystemStorage"}, "FileSystemStorage"]
    with_path_style = storage(AWS_S3_ADDRESSING_STYLE="path", **s3server.environment("http://minio:9000", "b"))
    assert with_path_style[0]["OPTIONS"]["addressing_style"] == "path"
