"""The text of uploaded documents, and DOCX and ODT as HTML that is safe to show."""

import io

import pytest

from lib import documents
from tests.files import make_docx, make_docx_with, make_odt, make_odt_with, make_pdf

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def docx_with_a_link_and_a_remote_image():
    document = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:a="{A}"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
<w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Tiltak</w:t></w:r></w:p>
<w:p><w:hyperlink r:id="rId10"><w:r><w:t>Les mer</w:t></w:r></w:hyperlink></w:p>
<w:p><w:r><w:t>&lt;script&gt;alert(1)&lt;/script&gt; og &lt;img src=x onerror=alert(2)&gt;</w:t></w:r></w:p>
<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="bilde"/><a:graphic><a:graphicData
 uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill>
<a:blip r:link="rId11"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
</w:body></w:document>"""
    data = make_docx_with(
        {"word/document.xml": document},
        document_rels=[(HYPERLINK, "https://evil.example/"), (IMAGE, "https://evil.example/track.png")],
    )
    # The relationships to somewhere else are external ones.
    return data.replace(b'Target="https://', b'TargetMode="External" Target="https://')


def read(data, content_type):
    file = io.BytesIO(data)
    return documents.extract_text(file, content_type), documents.to_html(file, content_type)


def test_the_text_of_a_pdf_docx_and_odt():
    assert read(make_pdf("Bybane til Fyllingsdalen"), documents.PDF)[0] == "Bybane til Fyllingsdalen"
    assert read(make_docx("Parkeringsnorm"), documents.DOCX) == ("Parkeringsnorm", "<p>Parkeringsnorm</p>")
    assert read(make_odt("Sykkelvei"), documents.ODT) == ("Sykkelvei", "<p>Sykkelvei</p>")


def test_docx_html_keeps_the_text_and_nothing_that_runs_or_fetches():
    text, html = read(docx_with_a_link_and_a_remote_image(), documents.DOCX)

    assert "Les mer" in text
    assert "<h1>Tiltak</h1>" in html
    assert "Les mer" in html
    for unsafe in ["<script", "<img", "<a ", "href=", "evil.example"]:
        assert unsafe not in html, unsafe
    # What the city typed that looks like markup stays text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; og &lt;img src=x onerror=alert(2)&gt;" in html


def test_odt_html_has_headings_and_escaped_text():
    body = (
        '<text:h text:outline-level="2">Mål</text:h>'
        "<text:p>&lt;script&gt;alert(1)&lt;/script&gt;</text:p>"
        '<text:p><text:a xlink:href="https://evil.example/">Lenke</text:a></text:p>'
    )

    text, html = read(make_odt_with(body=body), documents.ODT)

    assert html == "<h2>Mål</h2><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>Lenke</p>"
    assert text == "Mål\n\n<script>alert(1)</script>\n\nLenke"


@pytest.mark.parametrize("content_type", [documents.PDF, documents.DOCX, documents.ODT])
def test_a_file_that_cannot_be_read_gives_no_text_and_no_error(content_type):
    assert read(b"PK\x03\x04 not really", content_type) == ("", "")


def test_sanitise_removes_what_mammoth_would_never_make():
    assert documents.sanitise('<p style="x" onclick="y">a<iframe src="//e"></iframe></p>') == "<p>a</p>"
