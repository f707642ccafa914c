"""Exports of the portal's lists (`reporting.tables`) as CSV and XLSX.

Two writers turn any table into a file:

- CSV: UTF-8 without a byte order mark, dates as dd.mm.yyyy, decimals with a
  point; a text cell that a spreadsheet would run as a formula gets a quote
  in front (CSV injection).
- XLSX: real dates and numbers; text is always stored as text, never as a
  formula.
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

from lib.csvfiles import attachment, csv_response
from reporting.tables import TABLES

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters XML 1.0, and so XLSX, cannot hold.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_csv(table):
    return csv_response(f"{table.name}.csv", table.headers, table.rows)


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.datetime):
        # Excel knows no time zones: the moment as read on a clock in Oslo.
        cell = WriteOnlyCell(sheet, timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD.MM.YYYY"
    elif value is None or isinstance(value, int | Decimal):
        cell = WriteOnlyCell(sheet, value)
    else:
        cell = WriteOnlyCell(sheet, ILLEGAL_XML.sub("", str(value)))
        cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would store a formula)
    return cell


def write_xlsx(table):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31])
    sheet.freeze_panes = "A2"
    headers = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, str(text))
        cell.font = Font(bold=True)
        cell.data_type = "s"
        headers.append(cell)
    sheet.append(headers)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{table.name}.xlsx")


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def export(user, table, fmt, params):
    """The file of `table` in `fmt` for `user`: 404 for an unknown table or format, 403 without permission."""
    if table not in TABLES or fmt not in WRITERS:
        raise Http404
    return WRITERS[fmt](TABLES[table](user, params))
