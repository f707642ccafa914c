"""The text of each uploaded version, read once after the upload (a task: a long PDF takes a while)."""

from django.db import transaction
from django.utils import timezone

from actionplans.models import Draft
from lib import documents


def read_draft(draft_id):
    """Read the version's text (and, for DOCX and ODT, its HTML) from its file; once."""
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .filter(pk=draft_id, read_at__isnull=True)
            .order_by("pk")
            .first()
        )
        if draft is None:
            return
        try:
            handle = draft.file.open("rb")
        except FileNotFoundError:
            return
        with handle:
            draft.text = documents.extract_text(handle, draft.content_type)
            draft.html = documents.to_html(handle, draft.content_type)
        draft.read_at = timezone.now()
        draft.save(update_fields=["text", "html", "read_at"])


def read_unread(limit=20):
    """Versions whose reading was lost (a broker outage, an upload before this existed): a few
    each sweep."""
    for pk in Draft.objects.filter(read_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:limit]:
        read_draft(pk)


def text_changes(before, after, *, context=2, limit=400):
    """The lines of a unified comparison of two texts (without its header), at most `limit`."""
    import difflib  # noqa: PLC0415

    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context))[2:]
    return lines[:limit], len(lines) > limit
