"""The open data of a published round: three tables (programmes, measures, agreements), each with a stable
schema of English snake_case columns, written as CSV or JSON while the response is sent.

Open data is read by programs as often as by spreadsheets, so it is written the same way whatever the
language of the page that links to it: UTF-8 without a byte order mark, `,` between the fields, `.` as the
decimal sign, dates and moments in ISO 8601 (moments with their offset), `true`/`false`; the first line is
the header, with no comment line before it (CSV parsers take a comment for a row). A text that a spreadsheet
would run as a formula gets a `'` in front in the CSV (as every CSV of the portal, `lib.csvfiles`); the JSON
has the text as it is. The licence goes in the response's `Link` and `X-License` headers, and in the JSON.

What is not here is not public: no person (no name, e-mail or user), no comment, note or review, no reviewer's
reason for an assessed effect (a reviewer's own words; the figure is published), no draft, no programme that
is not submitted, no value of an agreement before it is signed.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from actionplans.models import OSLO
from agreements.models import Agreement
from lib.csvfiles import PLAIN, attachment, row_writer
from opendata.access import party_name, public_agreements, public_measures, public_programmes

# Who publishes the data (a foaf:Agent in the catalog): the ministry that runs the programme. A deployment may
# set OPENDATA_PUBLISHER in its settings to name another.
DEFAULT_PUBLISHER = {
    "name": "Klima- og miljødepartementet",
    "name_en": "Norwegian Ministry of Climate and Environment",
    "uri": "https://data.brreg.no/enhetsregisteret/api/enheter/972417882",
    "url": "https://www.regjeringen.no/no/dep/kld/id668/",
}
# An agreement's value is published once it is signed: before that it is a figure under negotiation.
VALUE_PUBLISHED = (Agreement.Status.SIGNED, Agreement.Status.ACTIVE, Agreement.Status.COMPLETED)
ROWS_PER_CHUNK = 500
TENTH = Decimal("0.1")


def publisher():
    return {**DEFAULT_PUBLISHER, **getattr(settings, "OPENDATA_PUBLISHER", {})}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # as in Frictionless Table Schema: string, integer, number, boolean, date, datetime, array
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple
    rows: object  # (round_, request) -> an iterator of tuples, one value per field


def _effect(value):
    """A sum of effects with one decimal: SQLite sums decimals as floats (35.7000000001)."""
    return None if value is None else Decimal(str(value)).quantize(TENTH)


def _url(request, name, *args):
    return request.build_absolute_uri(reverse(name, args=args))


def _programme_rows(round_, request):
    rows = public_programmes(round_).values_list(
        "city__name",
        "city__slug",
        "city__municipality_number",
        "city__county__name",
        "city__population",
        "submitted_at",
        "submitted_on_time",
        "measure_count",
        "claimed",
        "assessed",
        "assessed_count",
    )
    for name, slug, number, county, population, at, on_time, count, claimed, assessed, n_assessed in rows.iterator(
        chunk_size=2000
    ):
        yield (
            round_.slug,
            number,
            name,
            slug,
            county,
            population,
            at,
            on_time,
            count,
            _effect(claimed),
            _effect(assessed),
            n_assessed,
            _url(request, "opendata:city", round_.slug, slug),
            _url(request, "opendata:document", round_.slug, slug),
        )


def _measure_rows(round_, request):
    rows = (
        public_measures(round_)
        .order_by("programme__city__name", "theme_area__order", "title", "pk")
        .values_list(
            "pk",
            "programme__city__municipality_number",
            "programme__city__name",
            "theme_area__code",
            "theme_area__name_nb",
            "theme_area__name_en",
            "category__name_nb",
            "category__name_en",
            "sector",
            "title",
            "description",
            "status",
            "expected_effect",
            "assessed_effect",
            "cost_estimate",
        )
    )
    for pk, *values in rows.iterator(chunk_size=2000):
        yield (pk, round_.slug, *values)


def _agreement_rows(round_, request):
    for agreement in public_agreements(round_).iterator(chunk_size=ROWS_PER_CHUNK):
        cities = {m.programme.city.municipality_number: None for m in agreement.public_measures}
        yield (
            agreement.pk,
            round_.slug,
            agreement.title,
            agreement.kind,
            agreement.status,
            agreement.signed_date,
            agreement.period_start,
            agreement.period_end,
            agreement.value if agreement.status in VALUE_PUBLISHED else None,
            [party_name(p) for p in agreement.public_parties],
            [p.city.municipality_number for p in agreement.public_parties if p.city_id],
            [m.pk for m in agreement.public_measures],
            list(cities),
        )


_round = Field("round", "string", _("The round's identifier (slug), as in the address of its page."))
_number = Field("municipality_number", "string", _("The city's municipality number (kommunenummer): four digits."))
_city = Field("city_name", "string", _("The city's name."))

PROGRAMMES = Table(
    "programmes",
    _("Submitted action programmes"),
    _("One row per city that has submitted its action programme in the round."),
    (
        _round,
        _number,
        _city,
        Field("city_slug", "string", _("The city's identifier in the addresses of these pages.")),
        Field("county", "string", _("The county the city is in.")),
        Field("population", "integer", _("The city's population, as the portal has it; empty if unknown.")),
        Field("submitted_at", "datetime", _("When the programme was submitted (ISO 8601, with the offset).")),
        Field("submitted_on_time", "boolean", _("Whether it was submitted by the city's deadline.")),
        Field("measure_count", "integer", _("The number of measures in the programme.")),
        Field(
            "claimed_effect_t_co2e_per_year",
            "number",
            _("The sum of the effects the city expects of its measures, in tonnes CO₂-equivalents per year."),
        ),
        Field(
            "assessed_effect_t_co2e_per_year",
            "number",
            _("The sum of the effects the reviewers assessed, over the measures they assessed; empty if none."),
        ),
        Field("assessed_measure_count", "integer", _("The number of measures with an assessed effect.")),
        Field("page_url", "string", _("The address of the programme's public page.")),
        Field("document_url", "string", _("The address of the submitted programme document.")),
    ),
    _programme_rows,
)

MEASURES = Table(
    "measures",
    _("Measures"),
    _("One row per measure of a submitted action programme of the round."),
    (
        Field("measure_id", "integer", _("The measure's number in the portal; the agreements refer to it.")),
        _round,
        _number,
        _city,
        Field("theme_area", "string", _("The theme area's code.")),
        Field("theme_area_name_nb", "string", _("The theme area's name in Norwegian.")),
        Field("theme_area_name_en", "string", _("The theme area's name in English.")),
        Field("category_nb", "string", _("The measure's category in Norwegian; empty if none.")),
        Field("category_en", "string", _("The measure's category in English; empty if none.")),
        Field(
            "sector",
            "string",
            _("The sector of the municipal emission statistics the measure acts on (a code); empty if none."),
        ),
        Field("title", "string", _("The measure's title, as the city wrote it.")),
        Field("description", "string", _("The measure's description, as the city wrote it.")),
        Field("status", "string", _("planned, ongoing or done.")),
        Field(
            "claimed_effect_t_co2e_per_year",
            "number",
            _("The effect the city expects, in tonnes CO₂-equivalents per year; negative: an increase."),
        ),
        Field(
            "assessed_effect_t_co2e_per_year",
            "number",
            _("The effect the reviewers assessed, in tonnes CO₂-equivalents per year; empty if not assessed."),
        ),
        Field("cost_estimate_nok", "number", _("The city's estimate of the cost, in Norwegian kroner.")),
    ),
    _measure_rows,
)

AGREEMENTS = Table(
    "agreements",
    _("Agreements"),
    _("One row per agreement linked to a measure of a submitted action programme of the round."),
    (
        Field("agreement_id", "integer", _("The agreement's number in the portal.")),
        _round,
        Field("title", "string", _("The agreement's title.")),
        Field(
            "kind",
            "string",
            _("long_term_economic, pilot_project, competence_building, joint_study, shared_data or framework."),
        ),
        Field(
            "status",
            "string",
            _("identified, in_preparation, negotiating, signed, active, completed or dropped."),
        ),
        Field("signed_date", "date", _("When it was signed; empty if not (yet).")),
        Field("period_start", "date", _("The first day of the agreement's period; empty if none.")),
        Field("period_end", "date", _("The last day of the agreement's period; empty if none.")),
        Field("value_nok", "number", _("The agreement's value in Norwegian kroner, once it is signed.")),
        Field(
            "parties",
            "array",
            _("The names of the parties: cities and organisations (in the CSV separated by “; ”)."),
        ),
        Field(
            "party_municipality_numbers",
            "array",
            _("The municipality numbers of the parties that are cities (in the CSV separated by “; ”)."),
        ),
        Field(
            "measure_ids",
            "array",
            _("The measures of the round the agreement is linked to (in the CSV separated by “; ”)."),
        ),
        Field(
            "municipality_numbers",
            "array",
            _("The municipality numbers of the cities of those measures (in the CSV separated by “; ”)."),
        ),
    ),
    _agreement_rows,
)

TABLES = {table.name: table for table in (PROGRAMMES, MEASURES, AGREEMENTS)}
FORMATS = {"csv": "text/csv; charset=utf-8; header=present", "json": "application/json"}


def moment(value):
    """An aware moment in ISO 8601, Oslo time with its offset, to the second."""
    return timezone.localtime(value, OSLO).isoformat(timespec="seconds")


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return value


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_chunks(table, rows):
    """The CSV of `rows`: the header, then the rows, as UTF-8 bytes a few hundred rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    row_of = row_writer(PLAIN)
    writer.writerow([field.name for field in table.fields])
    rows = iter(rows)
    while True:
        for row in islice(rows, ROWS_PER_CHUNK):
            writer.writerow(row_of([_csv_value(value) for value in row]))
        text = buffer.getvalue()
        if not text:
            return
        buffer.seek(0)
        buffer.truncate()
        yield text.encode()


def schema(table):
    """The table's fields, described in English (the schema does not change with the page's language)."""
    with override("en"):
        return [{"name": f.name, "type": f.type, "description": str(f.description)} for f in table.fields]


def head(table, round_, request):
    """What the JSON says before its rows."""
    publication = round_.publication
    return {
        "licence": publication.licence,
        "licence_url": publication.licence_url,
        "publisher": {"name": publisher()["name"], "uri": publisher()["uri"]},
        "round": {"slug": round_.slug, "name": round_.name, "url": _url(request, "opendata:round", round_.slug)},
        "table": table.name,
        "generated_at": moment(timezone.now()),
        "fields": schema(table),
    }


def json_chunks(table, round_, request, rows):
    """The JSON document of `rows`: the head (`head`), then `"rows": [...]`, one object per row."""
    names = [field.name for field in table.fields]
    opening = json.dumps(head(table, round_, request), ensure_ascii=False)
    yield (opening[:-1] + ', "rows": [').encode()
    rows = iter(rows)
    first = True
    while True:
        chunk = [
            json.dumps(dict(zip(names, map(_json_value, row), strict=True)), ensure_ascii=False)
            for row in islice(rows, ROWS_PER_CHUNK)
        ]
        if not chunk:
            break
        yield (("" if first else ",\n") + ",\n".join(chunk)).encode()
        first = False
    yield b"]}\n"


def download_response(table, fmt, round_, request):
    """The table of the round as a streamed download in `fmt` (csv or json), with the licence in its headers."""
    rows = table.rows(round_, request)
    chunks = csv_chunks(table, rows) if fmt == "csv" else json_chunks(table, round_, request, rows)
    response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
    attachment(response, f"{round_.slug}-{table.name}.{fmt}")
    publication = round_.publication
    response["Link"] = f'<{publication.licence_url}>; rel="license"'
    response["X-License"] = f"{publication.licence} {publication.licence_url}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
