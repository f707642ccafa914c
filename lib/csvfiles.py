"""CSV files for download: every CSV export of the portal is written here, in one of two dialects.

- `excel-nb`, "CSV (Excel, Norwegian)" on the page: what Excel set up for Norway opens by a double-click,
  with `;` between the fields, a decimal comma, dates as dd.mm.yyyy and moments as
  dd.mm.yyyy hh:mm (Oslo time).
- `plain`, "CSV (comma-separated)" on the page: `,` between the fields, a decimal point, dates and moments
  in ISO 8601 (yyyy-mm-dd, yyyy-mm-dd hh:mm, Oslo time), for English spreadsheets and programs.

Both are UTF-8 with a byte order mark, so that a spreadsheet does not take them for Latin-1,
with CRLF line ends (RFC 4180). Numbers are written as numbers: no thousands separator, the
dialect's decimal sign, nothing around them. A text cell that a spreadsheet would run as a
formula gets a quote in front (CSV injection); a number we write is a number.

A small file is written at once (`csv_response`); a long one is streamed
(`streaming_csv_response`): the rows are read from an iterator and sent in
chunks of a few hundred rows, so that the whole file is never in memory.

The request's `?dialect=` chooses the dialect; without it, the language does: Norwegian gets
`excel-nb`, English `plain`. An unknown dialect gets a 400 that says which there are.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
DIALECT_PARAM = "dialect"

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dialect:
    name: str  # the value of ?dialect= (templates/includes/csv_links.html offers both)
    delimiter: str
    decimal: str
    date: str  # strftime formats
    moment: str
    moment_seconds: str


EXCEL_NB = Dialect(
    name="excel-nb",
    delimiter=";",
    decimal=",",
    date="%d.%m.%Y",
    moment="%d.%m.%Y %H:%M",
    moment_seconds="%d.%m.%Y %H:%M:%S",
)
PLAIN = Dialect(
    name="plain",
    delimiter=",",
    decimal=".",
    date="%Y-%m-%d",
    moment="%Y-%m-%d %H:%M",
    moment_seconds="%Y-%m-%d %H:%M:%S",
)
DIALECTS = {dialect.name: dialect for dialect in (EXCEL_NB, PLAIN)}


def default_dialect(language=None):
    """The dialect of `language` (the active one by default): Norwegian Excel for Norwegian, else plain."""
    language = (language or get_language() or "nb").lower()
    return EXCEL_NB if language.startswith(("nb", "nn", "no")) else PLAIN


def chosen_dialect(params):
    """The dialect `params` (a request's GET) ask for, else the language's; None for a name we do not know."""
    name = (params.get(DIALECT_PARAM) or "").strip()
    return DIALECTS.get(name) if name else default_dialect()


def _number(text, dialect):
    return text.replace(".", dialect.decimal) if dialect.decimal != "." else text


def csv_cell(value, dialect=PLAIN, *, seconds=False):
    """A value as CSV text in `dialect`. Only text gets the formula guard: a number we write is a number."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime(dialect.moment_seconds if seconds else dialect.moment)
    if isinstance(value, datetime.date):
        return value.strftime(dialect.date)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _number(format(value, "f"), dialect)
    if isinstance(value, float):
        return _number(repr(value), dialect)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row_writer(dialect=PLAIN, *, seconds=False):
    """`csv_cell` of every value of a row, for one dialect, made once for a whole file: what the
    csv module writes as `csv_cell` would (text without a formula's start, whole numbers, nothing)
    goes as it is; any other value by the writer of its type. A million cells cost a million type
    look-ups rather than a million `isinstance` chains; an unknown type (a lazy translation, a
    subclass, yes/no) goes to `csv_cell` itself."""
    moment_format = dialect.moment_seconds if seconds else dialect.moment
    decimal = dialect.decimal

    def number(text):
        return text.replace(".", decimal) if decimal != "." else text

    def moment(value):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime(moment_format)

    writers = {
        str: lambda value: "'" + value,  # only those that start as a formula get here
        Decimal: lambda value: number(format(value, "f")),
        float: lambda value: number(repr(value)),
        datetime.date: lambda value: value.strftime(dialect.date),
        datetime.datetime: moment,
    }
    get = writers.get

    def other(value):
        return csv_cell(value, dialect, seconds=seconds)

    def row_of(values):
        # The hot loop of every export: one comprehension, no call for the common cells.
        return [
            value
            if (kind := type(value)) is int or value is None or (kind is str and not value.startswith(FORMULA_STARTS))
            else get(kind, other)(value)
            for value in values
        ]

    return row_of


def attachment(response, filename):
    """Mark `response` as a private download named `filename`."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def unknown_dialect(params):
    """The 400 for a `?dialect=` we do not know, saying which there are."""
    return HttpResponseBadRequest(
        _("The export was not made: the CSV format “%(name)s” is unknown; choose %(choices)s.")
        % {"name": (params.get(DIALECT_PARAM) or "")[:40], "choices": " / ".join(DIALECTS)},
        content_type="text/plain; charset=utf-8",
    )


def write_csv(response, dialect, headers, rows, *, seconds=False):
    """Write the byte order mark, `headers` and `rows` (iterables of values) to `response` in `dialect`."""
    response.write(BOM)
    writer = csv.writer(response, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([csv_cell(h, dialect) for h in headers])
    writer.writerows([csv_cell(v, dialect, seconds=seconds) for v in row] for row in rows)


def csv_chunks(dialect, headers, rows, *, seconds=False, rows_per_chunk=500):
    """The file of `headers` and `rows` (an iterable of rows of values) in `dialect`, as chunks of
    UTF-8 bytes of `rows_per_chunk` rows each, the byte order mark first: what a streamed
    download sends. The rows are read as the chunks are asked for, never all at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    row_of = row_writer(dialect, seconds=seconds)
    buffer.write(BOM)
    writer.writerow(row_of(headers))
    rows = iter(rows)
    while True:
        for row in islice(rows, rows_per_chunk):
            writer.writerow(row_of(row))
        text = buffer.getvalue()
        if not text:
            return
        buffer.seek(0)
        buffer.truncate()
        yield text.encode()


def streaming_csv_response(params, filename, headers, rows, *, seconds=False):
    """As `csv_response`, for a file of any length: the rows (an iterable, read once) are written
    while the response is sent (`csv_chunks`). A `?dialect=` we do not know gets its 400 before
    anything is sent."""
    dialect = chosen_dialect(params)
    if dialect is None:
        return unknown_dialect(params)
    response = StreamingHttpResponse(csv_chunks(dialect, headers, rows, seconds=seconds), content_type=CSV_TYPE)
    return attachment(response, filename)


def csv_response(params, filename, headers, rows, *, seconds=False):
    """A download of `rows` (iterables of values) under `headers`, as `filename`, in the dialect
    `params` (the request's GET) choose; moments with their seconds if `seconds`."""
    dialect = chosen_dialect(params)
    if dialect is None:
        return unknown_dialect(params)
    response = HttpResponse(content_type=CSV_TYPE)
    write_csv(response, dialect, headers, rows, seconds=seconds)
    return attachment(response, filename)
