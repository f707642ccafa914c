"""A status report over many cities: the summary, then the table of every city as an appendix
rendered a part at a time (REPORT_APPENDIX_CITIES cities each) and merged, its pages numbered on."""

import re

import pytest
from django.test import override_settings

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
