"""The text of an uploaded document, and DOCX and ODT as HTML that is safe to show.

Run on files that passed the upload check (`lib.files.inspect_upload`). The HTML is made by
mammoth (DOCX) or from odfdo's paragraphs (ODT) and then sanitised with nh3: only text
markup is kept (headings, paragraphs, lists, tables, emphasis); no scripts, styles, images,
links or anything that would fetch from elsewhere.
"""

import html
import io
import logging

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

# What the reader needs of a document's structure, and nothing that could run or fetch.
ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u",
    "sub", "sup", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
# A text longer than this is cut: it is read and compared, not archived (the file is).
MAX_TEXT = 2_000_000


def _bytes(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def extract_text(file, content_type):
    """The document's text, page after page or paragraph after paragraph; "" if it has none
    that can be read (a scanned PDF, a damaged file)."""
    try:
        if content_type == PDF:
            from pypdf import PdfReader  # noqa: PLC0415 - only where a PDF is read

            reader = PdfReader(io.BytesIO(_bytes(file)))
            text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
        elif content_type == DOCX:
            import mammoth  # noqa: PLC0415

            text = mammoth.extract_raw_text(io.BytesIO(_bytes(file))).value
        elif content_type == ODT:
            text = "\n\n".join(_odt_blocks(file, as_html=False))
        else:
            return ""
    except Exception:
        # A file that passed the check but cannot be read as text is still the city's document.
        logger.warning("No text could be read from a %s document", content_type, exc_info=True)
        return ""
    return text.strip()[:MAX_TEXT]


def to_html(file, content_type):
    """DOCX or ODT as sanitised HTML; "" for other types or a document that cannot be read."""
    try:
        if content_type == DOCX:
            import mammoth  # noqa: PLC0415

            raw = mammoth.convert_to_html(io.BytesIO(_bytes(file)), convert_image=_no_image).value
        elif content_type == ODT:
            raw = "".join(_odt_blocks(file, as_html=True))
        else:
            return ""
    except Exception:
        logger.warning("A %s document could not be shown as HTML", content_type, exc_info=True)
        return ""
    return sanitise(raw)


def sanitise(raw):
    import nh3  # noqa: PLC0415

    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes={}, url_schemes=set(), strip_comments=True)


def _no_image(image):
    """Images are left out: the reader reads the text; the original is one click away."""
    return {}


def _odt_blocks(file, *, as_html):
    """The headings, paragraphs and list items of an ODT's body, in order."""
    from odfdo import Document  # noqa: PLC0415

    document = Document(io.BytesIO(_bytes(file)))
    for element in document.body.get_elements("descendant::text:h | descendant::text:p"):
        text = (element.get_formatted_text() or "").strip()
        if not text:
            continue
        if not as_html:
            yield text
        elif element.tag == "text:h":
            level = min(max(int(element.get_attribute("text:outline-level") or 1), 1), 6)
            yield f"<h{level}>{html.escape(text)}</h{level}>"
        else:
            yield f"<p>{html.escape(text)}</p>"
