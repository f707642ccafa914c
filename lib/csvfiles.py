"""CSV files for download: UTF-8 without a byte order mark, dates as dd.mm.yyyy, decimals with a
point; a text cell that a spreadsheet would run as a formula gets a quote in front (CSV injection)."""

import csv
import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

CSV_TYPE = "text/csv; charset=utf-8"

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as CSV text. Only text from the database gets the formula guard: a number we write is a number."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def attachment(response, filename):
    """Mark `response` as a private download named `filename`."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(filename, headers, rows, *, bom=False):
    """A download of `rows` (iterables of values) under `headers`, as `filename`; with `bom`, a byte
    order mark first, so that a spreadsheet opened by double-click reads it as UTF-8."""
    response = HttpResponse(content_type=CSV_TYPE)
    if bom:
        response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return attachment(response, filename)
