"""Build small test documents in memory (as bytes) for upload tests.

Every builder is deterministic (fixed zip timestamps), so equal calls give
equal bytes and equal hashes.
"""

import io
import zipfile

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def make_zip(entries, *, compression=zipfile.ZIP_DEFLATED):
    """Zip ``entries`` ({name: bytes or str}, in order) into bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, _EPOCH)
            info.compress_type = compression
            zf.writestr(info, data)
    return buf.getvalue()


def make_pdf(text="Hello"):
    """A minimal valid one-page PDF 1.4 with a correct xref table."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""

_DOCX_DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>
</w:document>"""

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>{extra}
<Override PartName="/word/document.xml" ContentType="{main}"/>
</Types>"""

_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def make_docx(text="Hello"):
    """A minimal valid Word (.docx) package."""
    return make_zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(extra="", main=_DOCX_MAIN),
            "_rels/.rels": _DOCX_RELS,
            "word/document.xml": _DOCX_DOCUMENT.format(text=text),
        }
    )


def make_docm(text="Hello"):
    """A Word macro-enabled document (.docm): vbaProject.bin + macroEnabled type."""
    bin_type = '\n<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    return make_zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(extra=bin_type, main=_DOCM_MAIN),
            "_rels/.rels": _DOCX_RELS,
            "word/document.xml": _DOCX_DOCUMENT.format(text=text),
            "word/_rels/document.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Target="vbaProject.bin"'
                ' Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>'
                "</Relationships>"
            ),
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        }
    )


_ODF_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>{extra}
</manifest:manifest>"""

_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:text><text:p>{text}</text:p></office:text></office:body>
</office:document-content>"""

_ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Sheet1"/></office:spreadsheet></office:body>
</office:document-content>"""


def _opendocument(mimetype, content, extra=None):
    """An OpenDocument package: ``mimetype`` first and stored, then the rest."""
    extra = extra or {}
    manifest_extra = "".join(
        f'\n<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>' for name in extra
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", _EPOCH), mimetype, zipfile.ZIP_STORED)
        files = {
            "META-INF/manifest.xml": _ODF_MANIFEST.format(mimetype=mimetype, extra=manifest_extra),
            "content.xml": content,
            **extra,
        }
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, _EPOCH), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def make_odt(text="Hello"):
    """A minimal valid OpenDocument text (.odt)."""
    return _opendocument(ODT_MIMETYPE, _ODT_CONTENT.format(text=text))


def make_ods():
    """A minimal OpenDocument spreadsheet (.ods): valid, but not an accepted type."""
    return _opendocument(ODS_MIMETYPE, _ODS_CONTENT)


def make_odt_with_macro(text="Hello"):
    """An .odt carrying a LibreOffice Basic library under ``Basic/``."""
    module = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script"'
        ' script:name="Module1" script:language="StarBasic">'
        "Sub Main\nEnd Sub</script:module>"
    )
    return _opendocument(
        ODT_MIMETYPE,
        _ODT_CONTENT.format(text=text),
        extra={"Basic/Standard/Module1.xml": module},
    )


_zip_bomb = None


def make_zip_bomb():
    """A ~300 KB docx-shaped zip whose document.xml inflates to 300 MB of zeros.

    Built by streaming 1 MB chunks (under a second) and cached per process.
    """
    global _zip_bomb
    if _zip_bomb is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compresslevel=9) as zf:
            zf.writestr(
                zipfile.ZipInfo("[Content_Types].xml", _EPOCH),
                _CONTENT_TYPES.format(extra="", main=_DOCX_MAIN),
            )
            info = zipfile.ZipInfo("word/document.xml", _EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            chunk = bytes(1 << 20)
            with zf.open(info, "w") as member:
                for _ in range(300):
                    member.write(chunk)
        _zip_bomb = buf.getvalue()
    return _zip_bomb


def make_exe():
    """Bytes that look like a Windows executable (DOS ``MZ`` header and stub)."""
    header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    return header.ljust(64, b"\x00") + b"This program cannot be run in DOS mode.\r\n$" + bytes(200)


def make_zip_with_many_entries(n):
    """A plain zip with ``n`` tiny stored entries."""
    return make_zip({f"f{i}.txt": b"x" for i in range(n)}, compression=zipfile.ZIP_STORED)


# The hostile corpus of the security stage (tests/security/test_uploads.py) -----------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the start of a compound file (vbaProject.bin, .doc)
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def polyglot(prefix, suffix=b""):
    """A file of another format that carries a whole valid PDF (so both %PDF- and %%EOF) inside it."""
    return prefix + make_pdf() + suffix


def make_pdf_without_pages():
    """A well-formed PDF with an empty page tree."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def make_docx_with(parts=None, *, content_types_extra="", main=_DOCX_MAIN, document_rels=None):
    """A Word package with extra `parts`, content type declarations and relationships of word/document.xml."""
    entries = {
        "[Content_Types].xml": _CONTENT_TYPES.format(extra=content_types_extra, main=main),
        "_rels/.rels": _DOCX_RELS,
        "word/document.xml": _DOCX_DOCUMENT.format(text="Handlingsprogram"),
    }
    if document_rels:
        entries["word/_rels/document.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{type_}" Target="{target}"/>'
                for n, (type_, target) in enumerate(document_rels, start=10)
            )
            + "</Relationships>"
        )
    return make_zip({**entries, **(parts or {})})


def make_xlsx(parts=None):
    """A minimal spreadsheet package, as Word embeds a chart's data."""
    return make_zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(
                extra="", main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            ).replace("/word/document.xml", "/xl/workbook.xml"),
            "xl/workbook.xml": "<workbook/>",
            **(parts or {}),
        }
    )


def make_odt_with(parts=None, *, manifest_extra="", body="<text:p>Handlingsprogram</text:p>", before_body=""):
    """An OpenDocument text with extra `parts`, manifest entries, and content.xml markup."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:s="urn:oasis:names:tc:opendocument:xmlns:script:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
        f"{before_body}<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", _EPOCH), ODT_MIMETYPE, zipfile.ZIP_STORED)
        files = {
            "META-INF/manifest.xml": _ODF_MANIFEST.format(mimetype=ODT_MIMETYPE, extra=manifest_extra),
            "content.xml": content,
            **(parts or {}),
        }
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, _EPOCH), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()
