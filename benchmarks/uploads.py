"""What the content check of an upload costs at the size limit (25 MB): time and peak memory.

`measure_upload_check()` builds a valid 25 MB PDF (200 pages, each with an
incompressible 125 KB image, as a scanned report would be) and a valid 25 MB
DOCX (the same images under word/media/), writes each to a file on disk (as
Django keeps a large upload) and runs `inspect_upload` on it: once timed,
once under tracemalloc for the peak of memory the check allocates. The check
reads the file once to hash it, then has pypdf or zipfile read it from the
file itself, so the peak stays far below the file's size.

    python -c "from benchmarks.uploads import measure_upload_check; print(measure_upload_check())"
"""

import os
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

SIZE = 25 * 1024 * 1024
PAGES = 200
MB = 1024 * 1024


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def build_pdf(path, *, pages=PAGES, size=SIZE):
    """A valid PDF of about `size` bytes: `pages` pages, each drawing one image of random bytes."""
    image_bytes = (size - 4096 * pages) // pages
    offsets = []
    with open(path, "wb") as out:

        def obj(number, body, stream=None):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s\n" % (number, body))
            if stream is not None:
                out.write(b"stream\n" + stream + b"\nendstream\n")
            out.write(b"endobj\n")

        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
        draw = b"q 500 0 0 700 50 50 cm /Im0 Do Q"
        for i in range(pages):
            page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
            obj(
                page,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
                b" /Resources << /XObject << /Im0 %d 0 R >> >> >>" % (content, image),
            )
            obj(content, b"<< /Length %d >>" % len(draw), draw)
            side = int((image_bytes / 3) ** 0.5)
            pixels = os.urandom(side * side * 3)
            obj(
                image,
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8 /Length %d >>" % (side, side, len(pixels)),
                pixels,
            )
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))


def build_docx(path, *, images=PAGES, size=SIZE):
    """A valid Word package of about `size` bytes: a text and `images` incompressible pictures."""
    from tests.files import _CONTENT_TYPES, _DOCX_DOCUMENT, _DOCX_MAIN, _DOCX_RELS

    image_bytes = (size - 64 * 1024) // images
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(extra='\n<Default Extension="png" ContentType="image/png"/>', main=_DOCX_MAIN),
        )
        zf.writestr("_rels/.rels", _DOCX_RELS)
        zf.writestr("word/document.xml", _DOCX_DOCUMENT.format(text="Handlingsprogram " * 2000))
        rels = "".join(
            f'<Relationship Id="rId{i}" Target="media/image{i}.png"'
            ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
            for i in range(images)
        )
        zf.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i in range(images):
            zf.writestr(f"word/media/image{i}.png", b"\x89PNG\r\n\x1a\n" + os.urandom(image_bytes))


def _check(path):
    from lib.files import inspect_upload

    with open(path, "rb") as f:
        return inspect_upload(f, max_size=SIZE + MB)


def measure(path):
    start = time.perf_counter()
    inspected = _check(path)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        _check(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "kind": inspected.kind,
        "file_mb": round(Path(path).stat().st_size / MB, 1),
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / MB, 2),
    }


def measure_upload_check():
    """Time and peak memory (tracemalloc) of the content check of a 25 MB PDF and a 25 MB DOCX."""
    setup_django()
    with tempfile.TemporaryDirectory() as tmp:
        pdf, docx = Path(tmp, "large.pdf"), Path(tmp, "large.docx")
        build_pdf(pdf)
        build_docx(docx)
        return {"upload_check_pdf_25mb": measure(pdf), "upload_check_docx_25mb": measure(docx)}


if __name__ == "__main__":
    for name, figures in measure_upload_check().items():
        print(name, figures)
