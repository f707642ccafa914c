"""A status report over many cities: the summary, then the table of every city as an appendix
rendered a part at a time (REPORT_APPENDIX_CITIES cities each) and merged, its pages numbered on."""

import json
import re
import sys

import pytest
from django.test import override_settings

from lib import pdf as pdf_module
from reporting import reports
from tests import factories
from tests import pdf as read_pdf


@pytest.fixture
def seven_programmes(round_):
    return [
        factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name=f"Testby {n}", slug=f"testby-{n}"))
        for n in range(1, 8)
    ]


def page_texts(pdf):
    return [page.extract_text() for page in read_pdf.reader(pdf).pages]


@override_settings(REPORT_APPENDIX_CITIES=3)
def test_over_the_limit_the_cities_are_an_appendix_in_parts(manager, round_, seven_programmes):
    pages = page_texts(reports.render_status_report(manager, round_, language="en"))
    text = "\n".join(pages)

    # The summary names the appendix instead of listing the cities.
    body = text[: text.index("Appendix: cities 1–3 of 7")]
    assert "The round's 7 cities are listed in the appendix" in body
    assert "Every city's programme in" not in body  # the caption of the table of cities
    # Three parts of at most three cities, every city once, in order.
    for first, last in [(1, 3), (4, 6), (7, 7)]:
        assert f"Appendix: cities {first}–{last} of 7" in text
    appendix = text[text.index("Appendix: cities 1–3 of 7") :]
    names = re.findall(r"Testby \d", appendix)
    assert names == [f"Testby {n}" for n in range(1, 8)]
    # Pages numbered on from the summary through every part, without a total.
    numbers = [int(re.search(r"Page (\d+)", page).group(1)) for page in pages[1:]]
    assert numbers == list(range(2, len(pages) + 1))
    assert " of " not in " ".join(re.findall(r"Page \d+[^\n]*", text))
    # Each part's pages carry the report's running header.
    for page in pages[1:]:
        assert "Status report – Handlingsprogram 2030" in page


@override_settings(REPORT_APPENDIX_CITIES=7)
def test_up_to_the_limit_the_report_is_one_document_with_its_cities(manager, round_, seven_programmes):
    pages = page_texts(reports.render_status_report(manager, round_, language="en"))
    text = "\n".join(pages)

    assert "Appendix" not in text
    table = text[text.index("Every city's programme in Handlingsprogram 2030") :]
    assert re.findall(r"Testby \d", table)[:7] == [f"Testby {n}" for n in range(1, 8)]
    assert f"Page 2 of {len(pages)}" in pages[1]


@override_settings(REPORT_APPENDIX_CITIES=3)
def test_the_appendix_speaks_norwegian(manager, round_, seven_programmes):
    text = "\n".join(page_texts(reports.render_status_report(manager, round_, language="nb")))
    assert "Vedlegg: byene 1–3 av 7" in text
    assert "Side 2" in text


def _tagged(pdf):
    root = read_pdf.reader(pdf).trailer["/Root"]
    return "/StructTreeRoot" in root and "/MarkInfo" in root


@override_settings(REPORT_APPENDIX_CITIES=7)
def test_a_report_of_one_document_is_tagged_for_screen_readers(manager, round_, seven_programmes):
    assert _tagged(reports.render_status_report(manager, round_, language="en"))


@override_settings(REPORT_APPENDIX_CITIES=3)
def test_a_report_merged_from_parts_is_not_tagged(manager, round_, seven_programmes):
    # pypdf's merge keeps no structure tree: the parts are rendered untagged (`reports._with_appendix`).
    assert not _tagged(reports.render_status_report(manager, round_, language="en"))


@override_settings(REPORT_APPENDIX_CITIES=30, REPORT_PDF_PROCESSES=2)
def test_a_part_longer_than_the_first_has_the_parts_after_it_numbered_on(manager, round_, monkeypatch):
    # The parts after the first are rendered together, numbered as if each had the first's pages;
    # the second part's long names wrap and take more pages, so the third is rendered again.
    for n in range(1, 71):
        name = f"Testby {n:02d}" + (
            " med et svært langt navn som bryter over flere linjer" * 3 if 31 <= n <= 60 else ""
        )
        factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name=name[:100], slug=f"testby-{n}"))

    batches = []
    render_pdfs = reports.render_pdfs
    monkeypatch.setattr(
        reports, "render_pdfs", lambda htmls, **kw: batches.append(len(htmls)) or render_pdfs(htmls, **kw)
    )

    pages = page_texts(reports.render_status_report(manager, round_, language="en"))

    assert batches == [1, 1, 2, 1]  # the summary; the first part; the other two together; the third again
    text = "\n".join(pages)
    parts = [text.index(f"Appendix: cities {first}–{last} of 70") for first, last in [(1, 30), (31, 60), (61, 70)]]
    assert parts == sorted(parts)
    page_of = [next(i for i, page in enumerate(pages) if f"cities {first}–" in page) for first in (1, 31, 61)]
    assert page_of[2] - page_of[1] > page_of[1] - page_of[0]  # the second part is the longer
    numbers = [int(re.search(r"Page (\d+)", page).group(1)) for page in pages[1:]]
    assert numbers == list(range(2, len(pages) + 1))


def test_documents_rendered_in_processes_are_those_rendered_here():
    htmls = [f"<html><body><h1>Del {n}</h1><p>{'tekst ' * 50 * n}</p></body></html>" for n in (1, 2, 3)]

    here = pdf_module.render_pdfs(htmls, processes=1, tagged=False)
    apart = pdf_module.render_pdfs(htmls, processes=2, tagged=False)

    assert [page_texts(pdf) for pdf in apart] == [page_texts(pdf) for pdf in here]
    assert [t[0].split("\n")[0] for t in map(page_texts, apart)] == ["Del 1", "Del 2", "Del 3"]


def test_a_process_that_fails_is_an_error_not_an_empty_document(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(RuntimeError, match="The PDF process failed"):
        pdf_module.render_pdfs(["<p>a</p>", "<p>b</p>"], processes=2)


def test_a_process_reads_our_static_files_and_nothing_else(tmp_path):
    # In the process, without Django, the static files are read from the folders handed to it.
    locations = json.loads(json.dumps(pdf_module.static_locations()))
    body, content_type = pdf_module.static_file(f"{pdf_module.BASE_URL}static/pdf/report.css", locations=locations)
    assert b"@page" in body and content_type == "text/css"
    for url in ["static/../portal/settings.py", "static/pdf/none.css", "media/x.pdf"]:
        with pytest.raises(pdf_module.RefusedURL):
            pdf_module.static_file(f"{pdf_module.BASE_URL}{url}", locations=locations)
    secret = tmp_path / "secret.txt"
    secret.write_text("hemmelig")
    html = f'<html><body><p>Tekst</p><a rel="attachment" href="file://{secret}">x</a></body></html>'
    assert b"hemmelig" not in pdf_module.render_pdfs([html, html], processes=2)[0]
