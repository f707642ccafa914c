"""Handing stored uploads out again: the only way one leaves the server."""

from django.http import FileResponse
from django.utils.translation import gettext
from slugify import slugify

from lib.files import KINDS
from lib.uploads import display_name


def download_name(original_name: str, extension: str) -> str:
    """The name a stored upload is downloaded under: the stem of the uploaded name, made safe
    (Norwegian letters as their plain spelling: møte → mote), and the extension of what was detected."""
    stem = display_name(original_name)
    if "." in stem.lstrip("."):
        stem = stem.rsplit(".", 1)[0]
    return f"{slugify(stem, lowercase=False, max_length=100) or slugify(gettext('document'))}{extension}"


def safe_download_response(file, *, name, content_type, extension, inline=False):
    """A response that hands out a stored upload: as an attachment named by `download_name`, never
    sniffed, never cached. `inline` is for a checked PDF only (the review page frames it)."""
    if inline and content_type != KINDS["pdf"][0]:
        raise ValueError("Only a checked PDF is shown inline.")
    response = FileResponse(
        file, as_attachment=not inline, filename=download_name(name, extension), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
