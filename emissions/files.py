"""What an uploaded statistics file must be before it is read: a spreadsheet (XLSX) or a CSV text,
told by its content, within the portal's size limit, and (an XLSX is a zip) checked as the
portal checks every zip-based document: unpacked in full once, refusing zip bombs, odd entries,
macros and embedded programs (`lib.files`)."""

import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.files import MESSAGES, OLE2_MAGIC, READ_CHUNK, ZIP_MAGIC, OversizedUpload, _Budget, _check_archive, _megabytes

XLSX, CSV = "xlsx", "csv"
SNIFF = 8 * 1024  # what is read to tell a text from a binary file

NOT_A_SPREADSHEET = _(
    "The file is not a spreadsheet (XLSX) or a CSV file. Download the statistics as XLSX or CSV and upload that file."
)
OLD_EXCEL = _("The file is an old Excel workbook (XLS). Save it as XLSX or as CSV (UTF-8) and upload it again.")
OTHER_ZIP = _("The file is a zip archive, not an Excel workbook (XLSX).")
DAMAGED = _("The workbook is damaged: it cannot be opened as an XLSX file.")


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params or None)


def inspect_statistics_file(f, *, max_size=None):
    """XLSX or CSV, from the content of `f` (a binary file object), or ValidationError.

    `max_size` (bytes) is the upload limit; the command line passes none. The position is reset to 0."""
    if isinstance(f, OversizedUpload):
        _refuse(MESSAGES["too_large"], "too_large", limit=_megabytes(max_size or 0))
    try:
        f.seek(0)
        head = f.read(SNIFF)
        if not head:
            _refuse(MESSAGES["empty"], "empty")
        if max_size is not None:
            size = len(head)
            while chunk := f.read(READ_CHUNK):
                size += len(chunk)
                if size > max_size:
                    _refuse(MESSAGES["too_large"], "too_large", limit=_megabytes(max_size))
        if head.startswith(ZIP_MAGIC):
            f.seek(0)
            _inspect_workbook(f)
            return XLSX
        if head.startswith(OLE2_MAGIC):
            _refuse(OLD_EXCEL, "old_excel")
        if b"\x00" in head or head.lstrip().startswith((b"%PDF", b"<")):
            _refuse(NOT_A_SPREADSHEET, "not_a_spreadsheet")
        return CSV
    finally:
        f.seek(0)


def _inspect_workbook(f):
    try:
        with zipfile.ZipFile(f) as zf:
            _check_archive(zf, _Budget())
            names = set(zf.namelist())
    except ValidationError as error:
        if error.code == "corrupt":  # lib.files says so of documents (PDF, DOCX, ODT)
            _refuse(DAMAGED, "corrupt")
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        _refuse(DAMAGED, "corrupt")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _refuse(OTHER_ZIP, "not_a_workbook")
