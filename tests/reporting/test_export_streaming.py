"""The CSV exports are streamed: written row by row while they are sent, from rows that are read
from the database as they are written, with the same bytes as the in-memory writer made."""

import datetime
import inspect
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplans import services
from actionplans.models import OSLO
from agreements.models import Agreement
from lib.csvfiles import BOM, EXCEL_NB, PLAIN, csv_cell, csv_chunks, csv_response, row_writer
from meetings.models import Invitation
from meetings.services import create_meeting
from reporting import tables
from tests import factories
from tests.conftest import upload

TABLES = ["programmes", "measures", "reviews", "agreements", "registrations"]


def get(client, user, table, language="en", **params):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("export", args=[table, "csv"]), params)


@pytest.fixture
def world(round_, oslo_programme, contact_oslo, bergen_submitted, contact_bergen, manager, atp, energy):
    """Oslo's draft with two measures (one a formula, one with a decimal comma), Bergen submitted with
    one; an agreement; a gathering with an answered invitation."""
    upload(oslo_programme, contact_oslo)
    factories.MeasureFactory(
        programme=oslo_programme,
        theme_area=atp,
        title="=1+1",
        description="Maks 0,5 plasser; per bolig",
        expected_effect=Decimal("1234.5"),
        cost_estimate=Decimal("2500000"),
        state_cooperation_wanted=True,
    )
    factories.MeasureFactory(programme=oslo_programme, theme_area=energy, expected_effect=None, cost_estimate=None)
    services.reopen_programme(bergen_submitted, by=contact_bergen, comment="")
    factories.MeasureFactory(programme=bergen_submitted, theme_area=atp, expected_effect=Decimal("-5.0"))
    services.submit_programme(
        bergen_submitted, by=contact_bergen, now=datetime.datetime(2030, 1, 10, 14, 5, tzinfo=OSLO)
    )
    Agreement.objects.create(
        title="Belønningsordning", kind="pilot_project", value=Decimal("3000000"), created_by=manager
    )
    start = datetime.datetime(2030, 3, 4, 10, tzinfo=OSLO)
    meeting = create_meeting(by=manager, kind="network_gathering", title="Samling", starts_at=start, ends_at=start)
    Invitation.objects.create(
        meeting=meeting,
        user=contact_oslo,
        response="attending",
        responded_at=datetime.datetime(2030, 2, 1, 9, 30, tzinfo=OSLO),
        attended=True,
    )
    return {"meeting": meeting}


def params_of(table, world, **params):
    """The filters of a table's page as its view gets them (a QueryDict)."""
    if table == "registrations":
        params = {"meeting": str(world["meeting"].pk), **params}
    query = QueryDict(mutable=True)
    query.update(params)
    return query


@pytest.mark.parametrize("dialect", ["excel-nb", "plain"])
@pytest.mark.parametrize("table", TABLES)
def test_csv_is_streamed_with_the_bytes_of_the_in_memory_writer(client, world, manager, table, dialect):
    params = params_of(table, world, dialect=dialect)

    response = get(client, manager, table, language="nb", **params)
    streamed = b"".join(response.streaming_content)

    with translation.override("nb"):
        built = tables.TABLES[table](manager, params)
        in_memory = csv_response(params, "x.csv", built.headers, list(built.rows))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Cache-Control"] == "private, no-store"
    assert streamed.startswith(BOM.encode())
    assert len(streamed.decode("utf-8-sig").splitlines()) > 1
    assert streamed == in_memory.content


def test_measures_csv_keeps_its_dialect_and_formula_guard(client, world, manager):
    excel = b"".join(get(client, manager, "measures", language="nb", status="draft").streaming_content)
    plain = b"".join(get(client, manager, "measures", language="nb", status="draft", dialect="plain").streaming_content)

    assert excel.decode("utf-8-sig").splitlines()[1] == (
        "Oslo;Utkast;Areal og transport;;'=1+1;Maks 0,5 plasser; per bolig;Planlagt;1234,5;;;2500000;Ja;;;;;"
    ).replace("Maks 0,5 plasser; per bolig", '"Maks 0,5 plasser; per bolig"')
    assert plain.decode("utf-8-sig").splitlines()[1] == (
        'Oslo,Utkast,Areal og transport,,\'=1+1,"Maks 0,5 plasser; per bolig",Planlagt,1234.5,,,2500000,Ja,,,,,'
    )


@pytest.mark.parametrize("table", TABLES)
def test_a_table_reads_its_rows_as_they_are_written(world, manager, table):
    built = tables.TABLES[table](manager, params_of(table, world))

    assert inspect.isgenerator(built.rows)
    assert built.count() == len(list(built.rows))


def test_the_view_reads_no_row_before_the_file_is_sent(client, world, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    with CaptureQueriesContext(connection) as before_sending:
        response = client.get(reverse("export", args=["measures", "csv"]))
    with CaptureQueriesContext(connection) as while_sending:
        content = b"".join(response.streaming_content)

    assert not any("actionplans_measure" in q["sql"] and "ORDER BY" in q["sql"] for q in before_sending)
    assert [q for q in while_sending if 'FROM "actionplans_measure"' in q["sql"]]
    assert content.count(b"\r\n") == 4  # the header and three measures


def test_csv_chunks_never_hold_all_rows():
    rows = ([n, f"rad {n}"] for n in itertools.count())  # endless: a list of it would never end

    chunks = csv_chunks(PLAIN, ["n", "text"], rows, rows_per_chunk=3)
    first, second = next(chunks), next(chunks)

    assert first == (BOM + "n,text\r\n0,rad 0\r\n1,rad 1\r\n2,rad 2\r\n").encode()
    assert second == b"3,rad 3\r\n4,rad 4\r\n5,rad 5\r\n"


def test_csv_chunks_of_no_rows_are_the_header():
    assert list(csv_chunks(EXCEL_NB, ["A", "B"], iter([]))) == [(BOM + "A;B\r\n").encode()]


@pytest.mark.parametrize("dialect", [EXCEL_NB, PLAIN])
@pytest.mark.parametrize("seconds", [False, True])
def test_the_row_writer_writes_what_csv_cell_writes(dialect, seconds):
    values = [
        None,
        0,
        -5,
        True,
        False,
        "",
        "Bybane",
        "=SUM(A1)",
        "+1",
        "-1",
        "@x",
        "\tx",
        "Maks 0,5",
        Decimal("1234.5"),
        Decimal("-5.0"),
        Decimal("2500000"),
        0.25,
        datetime.date(2030, 1, 15),
        datetime.datetime(2030, 1, 10, 13, 5, 9, tzinfo=datetime.UTC),
        datetime.datetime(2030, 1, 10, 14, 5, 9),
        translation.gettext_lazy("Yes"),
    ]
    expected = ["" if (cell := csv_cell(v, dialect, seconds=seconds)) is None else cell for v in values]

    written = row_writer(dialect, seconds=seconds)(values)

    assert ["" if v is None else str(v) for v in written] == expected


def test_a_stream_sent_after_the_request_keeps_the_requests_language(client, world, manager):
    response = get(client, manager, "measures", language="en", status="submitted")

    with translation.override("nb"):  # another request's language, in the same thread, while it is sent
        text = b"".join(response.streaming_content).decode("utf-8-sig")

    assert text.splitlines()[1].startswith("Bergen,Submitted on time,Land use and transport,")


def test_unknown_filters_are_left_out_as_on_the_page(client, world, manager):
    everything = b"".join(get(client, manager, "measures").streaming_content)
    odd = get(client, manager, "measures", round="no-such-round", status="nonsense", theme="")

    assert odd.status_code == 200
    assert b"".join(odd.streaming_content) == everything


def test_an_unknown_dialect_is_refused_before_anything_is_streamed(client, world, manager):
    response = get(client, manager, "measures", dialect="tsv")

    assert response.status_code == 400
    assert not response.streaming


@pytest.mark.parametrize("table", ["programmes", "measures", "reviews", "agreements"])
def test_csv_costs_the_same_queries_for_one_and_three_cities(client, round_, atp, manager, table):
    client.force_login(manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("export", args=[table, "csv"]))
            b"".join(response.streaming_content)
        return len(queries)

    def add_city():
        programme = factories.ProgrammeFactory(round=round_)
        factories.MeasureFactory.create_batch(2, programme=programme, theme_area=atp)
        upload(programme, manager)
        services.submit_programme(programme, by=manager)
        services.review_for(programme, atp)

    add_city()
    one = count()
    add_city()
    add_city()
    three = count()

    assert one == three
    assert three < 20
