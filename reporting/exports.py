"""Exports of the portal's lists (`reporting.tables`) as CSV and XLSX.

Two writers turn any table into a file:

- CSV: `lib.csvfiles`, as every CSV of the portal: Excel's Norwegian dialect
  (`;`, decimal comma, dd.mm.yyyy) or the plain one (`,`, decimal point,
  ISO dates), by `?dialect=` or the language.
- XLSX: real dates and numbers, tonnes of CO2e with one decimal and kroner
  without; the header row bold, frozen and with an autofilter; each column as
  wide as its content (within `MIN_WIDTH`..`MAX_WIDTH` characters). Text is
  always stored as text, never as a formula. Dates read dd.mm.yyyy in
  Norwegian and yyyy-mm-dd in English, as in the CSV.
"""

import datetime
import io
import re
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib.csvfiles import EXCEL_NB, attachment, csv_response, default_dialect
from reporting.tables import KRONER, TABLES, TONNES

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters XML 1.0, and so XLSX, cannot hold.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Excel's number formats; Excel shows the separators of the reader's own settings.
NUMBER_FORMATS = {TONNES: "#,##0.0", KRONER: "#,##0"}
# Column widths in characters: room for the header's filter button, never a wall of text.
MIN_WIDTH, MAX_WIDTH, FILTER_BUTTON = 8, 60, 3


def write_csv(table, params):
    return csv_response(params, f"{table.name}.csv", table.headers, table.rows)


def _date_formats():
    """The XLSX date and moment formats of the active language, as the CSV writes them."""
    if default_dialect() is EXCEL_NB:
        return "DD.MM.YYYY", "DD.MM.YYYY HH:MM"
    return "YYYY-MM-DD", "YYYY-MM-DD HH:MM"


def _local(moment):
    # Excel knows no time zones: the moment as read on a clock in Oslo.
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _xlsx_cell(sheet, value, unit, formats):
    date_format, moment_format = formats
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, _local(value))
        cell.number_format = moment_format
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = date_format
    elif value is None or isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(sheet, value)
        if unit in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[unit]
    else:
        cell = WriteOnlyCell(sheet, ILLEGAL_XML.sub("", str(value)))
        cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would store a formula)
    return cell


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


def column_widths(table):
    """Each column's width in characters: its longest header or cell, within MIN_WIDTH..MAX_WIDTH."""
    widths = []
    for index, header in enumerate(table.headers):
        unit = table.units.get(index)
        longest = max(
            [len(str(header)) + FILTER_BUTTON]
            + [_shown_width(row[index], unit) + 1 for row in table.rows if index < len(row)]
        )
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest)))
    return widths


def write_xlsx(table, params):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", str(table.title))[:31])
    for index, width in enumerate(column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(table.headers)))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    headers = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, str(text))
        cell.font = Font(bold=True)
        cell.data_type = "s"
        headers.append(cell)
    sheet.append(headers)
    formats = _date_formats()
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value, table.units.get(i), formats) for i, value in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{table.name}.xlsx")


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def export(user, table, fmt, params):
    """The file of `table` in `fmt` for `user`: 404 for an unknown table or format, 403 without permission."""
    if table not in TABLES or fmt not in WRITERS:
        raise Http404
    return WRITERS[fmt](TABLES[table](user, params), params)
