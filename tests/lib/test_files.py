import hashlib
import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lib import files as uploads
from lib.files import InspectedUpload, inspect_upload
from tests.files import (
    make_docm,
    make_docx,
    make_exe,
    make_ods,
    make_odt,
    make_odt_with_macro,
    make_pdf,
    make_zip,
    make_zip_bomb,
    make_zip_with_many_entries,
)

LIMIT = 10 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


def upload(data, name="report.exe", content_type="application/octet-stream"):
    """An uploaded file whose name and declared type deliberately lie."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal_code(data, max_size=LIMIT):
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(upload(data), max_size=max_size)
    return excinfo.value.code


@pytest.mark.parametrize(
    ("make", "kind", "content_type", "extension"),
    [
        (make_pdf, "pdf", "application/pdf", ".pdf"),
        (make_docx, "docx", DOCX_TYPE, ".docx"),
        (make_odt, "odt", ODT_TYPE, ".odt"),
    ],
)
def test_inspect_upload_accepts_document_by_content_despite_name(make, kind, content_type, extension):
    data = make()
    result = inspect_upload(upload(data, name="report.exe"), max_size=LIMIT)
    assert result == InspectedUpload(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_inspect_upload_accepts_plain_bytesio_without_size():
    data = make_docx()
    result = inspect_upload(io.BytesIO(data), max_size=LIMIT)
    assert result.kind == "docx"
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_inspect_upload_accepts_pdf_header_after_leading_junk():
    data = b"\x00" * 500 + make_pdf()
    assert inspect_upload(io.BytesIO(data), max_size=LIMIT).kind == "pdf"


def test_inspect_upload_accepts_pdf_with_trailing_junk():
    data = make_pdf() + b"\n" * 500
    assert inspect_upload(io.BytesIO(data), max_size=LIMIT).kind == "pdf"


@pytest.mark.parametrize("make", [make_pdf, make_docx, make_odt])
def test_inspect_upload_rewinds_after_success(make):
    f = upload(make())
    f.read(7)
    inspect_upload(f, max_size=LIMIT)
    assert f.tell() == 0


def test_inspect_upload_rewinds_after_refusal():
    f = io.BytesIO(make_docm())
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(f, max_size=LIMIT)
    assert excinfo.value.code == "macros"
    assert f.tell() == 0


def test_inspect_upload_refuses_exe_named_pdf():
    f = upload(make_exe(), name="x.pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(f, max_size=LIMIT)
    assert excinfo.value.code == "unsupported_type"


def test_inspect_upload_refuses_self_extracting_exe():
    assert refusal_code(make_exe() + make_docx()) == "unsupported_type"


@pytest.mark.parametrize(
    "data",
    [
        b"Just some text, not a document.\n",
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        make_zip_with_many_entries(3),
        make_ods(),
        make_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
    ],
    ids=["text", "png", "plain-zip", "ods", "xlsx"],
)
def test_inspect_upload_refuses_unsupported_type(data):
    assert refusal_code(data) == "unsupported_type"


def test_inspect_upload_refuses_docm():
    assert refusal_code(make_docm()) == "macros"


def test_inspect_upload_refuses_docx_with_only_macroenabled_content_type():
    data = make_zip(
        {
            "[Content_Types].xml": '<Types><Override ContentType="application/'
            'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            "word/document.xml": "<w:document/>",
        }
    )
    assert refusal_code(data) == "macros"


def test_inspect_upload_refuses_odt_with_macro():
    assert refusal_code(make_odt_with_macro()) == "macros"


def test_inspect_upload_refuses_empty():
    assert refusal_code(b"") == "empty"


def test_inspect_upload_refuses_oversized_counting_real_bytes():
    data = make_pdf()
    f = upload(data)
    f.size = 10  # a lying size must not matter
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(f, max_size=len(data) - 1)
    assert excinfo.value.code == "too_large"
    assert f.tell() == 0


def test_inspect_upload_accepts_exactly_max_size():
    data = make_pdf()
    assert inspect_upload(upload(data), max_size=len(data)).size == len(data)


def test_inspect_upload_refuses_zip_bomb_quickly():
    data = make_zip_bomb()
    assert len(data) < 3 * 1024 * 1024
    start = time.monotonic()
    assert refusal_code(data) == "zip_bomb"
    assert time.monotonic() - start < 5


def test_inspect_upload_refuses_total_unpacked_size_over_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_SIZE", 2 * 1024 * 1024)
    chunk = bytes(1024 * 1024)  # each entry stays under the ratio check threshold
    data = make_zip({"[Content_Types].xml": chunk, "word/document.xml": chunk, "x": chunk})
    assert refusal_code(data) == "zip_bomb"


def test_inspect_upload_refuses_too_many_entries():
    assert refusal_code(make_zip_with_many_entries(1001)) == "too_many_entries"


def test_inspect_upload_allows_max_entries_then_judges_type():
    assert refusal_code(make_zip_with_many_entries(1000)) == "unsupported_type"


@pytest.mark.parametrize("name", ["../evil", "word/../../evil", "/etc/passwd", "C:/evil", "..\\evil"])
def test_inspect_upload_refuses_unsafe_entry_path(name):
    data = make_zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document/>",
            name: b"x",
        }
    )
    assert refusal_code(data) == "corrupt"


def test_inspect_upload_refuses_encrypted_entry():
    # zipfile cannot write encrypted entries, so set the "encrypted" flag bit by hand
    data = bytearray(make_docx())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + flag_at] |= 0x1
            at = data.find(signature, at + 1)
    assert refusal_code(bytes(data)) == "corrupt"


def test_inspect_upload_refuses_duplicate_entry_names():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("word/document.xml", "<other/>")
    assert refusal_code(buf.getvalue()) == "corrupt"


def test_inspect_upload_refuses_truncated_pdf():
    data = make_pdf()
    assert refusal_code(data[: data.rindex(b"%%EOF")]) == "corrupt"


def test_inspect_upload_refuses_truncated_docx():
    data = make_docx()
    assert refusal_code(data[: len(data) // 2]) == "corrupt"


def test_inspect_upload_refuses_docx_with_bad_crc():
    data = bytearray(
        make_zip(
            {
                "[Content_Types].xml": "<Types/>",
                "word/document.xml": "<w:document>hello</w:document>",
            },
            compression=zipfile.ZIP_STORED,
        )
    )
    at = data.index(b"hello")
    data[at] = ord("j")
    assert refusal_code(bytes(data)) == "corrupt"


def test_inspect_upload_refuses_odt_without_content():
    data = make_zip(
        {"mimetype": ODT_TYPE, "META-INF/manifest.xml": "<manifest/>"},
        compression=zipfile.ZIP_STORED,
    )
    assert refusal_code(data) == "corrupt"


def test_inspect_upload_sha256_matches_hashlib():
    data = make_odt(text="x" * 200_000)  # several read chunks
    assert inspect_upload(upload(data), max_size=LIMIT).sha256 == hashlib.sha256(data).hexdigest()


def test_make_zip_bomb_is_cached_and_small():
    assert make_zip_bomb() is make_zip_bomb()
    assert len(make_zip_bomb()) < 1024 * 1024
