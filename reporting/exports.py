"""Exports of the portal's lists (`reporting.tables`) as CSV and XLSX.

Two writers turn any table into a file, reading its rows once, as they come
from the database (a table's rows are a generator, `CHUNK` rows a query):

- CSV: `lib.csvfiles`, as every CSV of the portal: Excel's Norwegian dialect
  (`;`, decimal comma, dd.mm.yyyy) or the plain one (`,`, decimal point,
  ISO dates), by `?dialect=` or the language. Always streamed: the response
  writes a few hundred rows at a time while it is sent.
- XLSX: openpyxl's write-only mode, row by row: real dates and numbers, tonnes
  of CO2e with one decimal and kroner without; the header row bold, frozen and
  with an autofilter; each column as wide as its content in the first
  `WIDTH_SAMPLE` rows (within `MIN_WIDTH`..`MAX_WIDTH` characters). Text is
  always stored as text, never as a formula. Dates read dd.mm.yyyy in
  Norwegian and yyyy-mm-dd in English, as in the CSV. A table of more rows
  than `EXPORT_XLSX_INLINE_ROWS` is built by a Celery task into an
  `ExportJob` (`reporting.jobs`) while the user watches its page; a smaller
  one is sent at once.

For a benchmark or a shell: `export(user, "measures", "csv", params)` is the
streamed response the export's address sends (iterate `streaming_content`),
and `write_xlsx(table_for(user, "measures", "xlsx", params), file)` writes the
XLSX the background job stores.
"""

import datetime
import io
import re
from decimal import Decimal
from itertools import chain, islice

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib.csvfiles import EXCEL_NB, attachment, default_dialect, streaming_csv_response
from reporting.models import ExportJob
from reporting.tables import KRONER, TABLES, TONNES

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# Characters XML 1.0, and so XLSX, cannot hold.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Excel's number formats; Excel shows the separators of the reader's own settings.
NUMBER_FORMATS = {TONNES: "#,##0.0", KRONER: "#,##0"}
# Column widths in characters: room for the header's filter button, never a wall of text.
MIN_WIDTH, MAX_WIDTH, FILTER_BUTTON = 8, 60, 3
# The rows whose content fits the columns: openpyxl's write-only mode needs the widths before
# the first row. As many as a file sent at once may have, so that those fit exactly.
WIDTH_SAMPLE = 5000


def table_for(user, name, fmt, params):
    """The table `name` as `user` may read it, with the filters of `params`: 404 for an unknown
    table or format; the table's own 403 or 404 for what `user` may not export."""
    if name not in TABLES or fmt not in FORMATS:
        raise Http404
    return TABLES[name](user, params)


def _in_language(rows, language):
    # A streamed response is written after the view has returned: the labels that are looked
    # up per row (none today, but a lazy one would be) are in the language of the request.
    with translation.override(language):
        yield from rows


def csv_response(table, params):
    """The table as a streamed CSV download in the dialect `params` choose (400 for an unknown one)."""
    rows = _in_language(table.rows, translation.get_language())
    return streaming_csv_response(params, f"{table.name}.csv", table.headers, rows)


def xlsx_response(table):
    """The table as an XLSX download, made at once (for tables of up to EXPORT_XLSX_INLINE_ROWS rows)."""
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{table.name}.xlsx")


def export(user, name, fmt, params):
    """The file of table `name` in `fmt` for `user`, sent at once: 404 for an unknown table or format,
    403 without permission. The export view sends a large XLSX to the background instead."""
    table = table_for(user, name, fmt, params)
    return csv_response(table, params) if fmt == "csv" else xlsx_response(table)


def get_export_job_for_user(user, pk):
    """The export job and its table (unread), if `user` asked for it and may still export the table
    (the table's own 403 or 404 otherwise); anyone else's job is a 404, so that its address reveals
    nothing."""
    job = get_object_or_404(ExportJob, pk=pk)
    if job.user_id != user.pk:
        raise Http404
    return job, table_for(user, job.table, "xlsx", job.query)


# XLSX


def _date_formats():
    """The XLSX date and moment formats of the active language, as the CSV writes them."""
    if default_dialect() is EXCEL_NB:
        return "DD.MM.YYYY", "DD.MM.YYYY HH:MM"
    return "YYYY-MM-DD", "YYYY-MM-DD HH:MM"


def _local(moment):
    # Excel knows no time zones: the moment as read on a clock in Oslo.
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _cells(sheet, units, columns):
    """A function that makes a row of `sheet` from a row of values. Only what needs a style or a
    type of its own becomes a cell; plain text and numbers go as they are (openpyxl's fast path)."""
    date_format, moment_format = _date_formats()
    number_formats = [NUMBER_FORMATS.get(units.get(index)) for index in range(columns)]

    def styled(value, number_format):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = number_format
        return cell

    def text(value):
        if ILLEGAL_XML.search(value):
            value = ILLEGAL_XML.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would store a formula)
            return cell
        return value

    def convert(value, number_format):
        kind = type(value)
        if kind is str:
            return text(value)
        if value is None or kind is bool:
            return value
        if kind is datetime.datetime:
            return styled(_local(value), moment_format)
        if kind is datetime.date:
            return styled(value, date_format)
        if kind is int or kind is Decimal or kind is float:
            return styled(value, number_format) if number_format else value
        return text(str(value))

    def row_of(values):
        return [convert(value, number_format) for value, number_format in zip(values, number_formats, strict=False)]

    return row_of


def _shown_width(value, unit):
    """About how many characters Excel needs to show `value`."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if unit == TONNES:
            return len(f"{value:,.1f}")
        if unit == KRONER:
            return len(f"{value:,.0f}")
        return len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(headers, units, rows):
    """Each column's width in characters: its longest header or cell of `rows`, within MIN_WIDTH..MAX_WIDTH."""
    widths = []
    for index, header in enumerate(headers):
        unit = units.get(index)
        longest = max(
            [len(str(header)) + FILTER_BUTTON]
            + [_shown_width(row[index], unit) + 1 for row in rows if index < len(row)]
        )
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest)))
    return widths


def write_xlsx(table, out, *, progress=None, every=5000):
    """Write `table` as an XLSX workbook to `out` (a path or a binary file), row by row; return the
    number of rows. `progress(rows)` is called after every `every` rows. openpyxl's write-only
    sheet keeps its rows in a temporary file, so memory holds `WIDTH_SAMPLE` rows at most."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", str(table.title))[:31])
    rows = iter(table.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(column_widths(table.headers, table.units, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    headers = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, str(text))
        cell.font = Font(bold=True)
        cell.data_type = "s"
        headers.append(cell)
    sheet.append(headers)
    row_of = _cells(sheet, table.units, len(table.headers))
    written = 0
    for values in chain(sample, rows):
        sheet.append(row_of(values))
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    # Written after the rows (openpyxl puts the filter at the end of the sheet), so the count is known.
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(table.headers)))}{written + 1}"
    workbook.save(out)
    return written
