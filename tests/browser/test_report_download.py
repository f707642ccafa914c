"""Ministry staff download the status report from the overview."""

from pathlib import Path

from django.utils import timezone

from actionplans.models import OSLO
from tests import pdf as read_pdf


def test_management_downloads_the_status_report(page, log_in, manager, oslo_programme, bergen_submitted):
    log_in(manager)  # lands on the overview

    # The click waits until the download starts, that is until the PDF is rendered: a few
    # seconds on a loaded machine, more than the pages' default deadline of 5 s.
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="Download the status report (PDF)").click(timeout=30_000)

    download = download_info.value
    today = timezone.localdate(timezone.now(), OSLO)
    assert download.suggested_filename == f"status-report-handlingsprogram-2030-{today:%Y-%m-%d}.pdf"
    text = read_pdf.text(Path(download.path()).read_bytes())
    assert "Status report" in text
    assert "Oslo" in text
    assert "Bergen" in text
    assert "15/01/2030" in text  # in English
