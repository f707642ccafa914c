"""Reading the PDFs the portal makes: their text, and everything they carry."""

import io

from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject


def reader(data):
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def text(data):
    """The text of every page, with no-break spaces as plain spaces."""
    return "\n".join(page.extract_text() for page in reader(data).pages).replace("\xa0", " ")


def _streams(data):
    pdf = reader(data)
    numbers = [(number, generation) for generation, objects in pdf.xref.items() for number in objects]
    numbers += [(number, 0) for number in pdf.xref_objStm]
    for number, generation in numbers:
        obj = pdf.get_object(IndirectObject(number, generation, pdf))
        if isinstance(obj, StreamObject):
            yield obj


def contents(data):
    """Every byte the PDF holds: the file itself and each of its streams decompressed
    (page contents, fonts, images, embedded files), so that nothing hides in a compressed stream."""
    return b"\n".join([data, *(stream.get_data() for stream in _streams(data))])


def embedded_files(data):
    """The contents of the files embedded in the PDF: attachments of the document or of a link."""
    return [stream.get_data() for stream in _streams(data) if stream.get("/Type") == "/EmbeddedFile"]
