"""Content checks for uploaded action-plan documents.

Only PDF, DOCX and ODT are accepted, recognised by their *content*: the file
name and the browser's declared content type are chosen by the uploader and
prove nothing. Zip-based documents are decompressed once, in a streaming way,
so that zip bombs, path tricks and macro-carrying documents are refused
before anything is stored or handed to a viewer or converter.
"""

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
READ_CHUNK = 64 * 1024
PDF_HEADER_WINDOW = 1024  # the PDF spec allows junk before "%PDF-" in the first 1 KB
PDF_EOF_WINDOW = 1024  # "%%EOF" must be this close to the end (trailing junk allowed)
MAX_ZIP_ENTRIES = 1000
MAX_UNPACKED_SIZE = 100 * MB  # total bytes actually decompressed from all entries
MAX_RATIO = 200  # per-entry decompressed/compressed ratio ...
RATIO_MIN_SIZE = 1 * MB  # ... enforced once an entry has inflated beyond this
MAX_MARKER_SIZE = 1 * MB  # how much of [Content_Types].xml / mimetype we read

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB."),
    "unsupported_type": _("Only PDF, DOCX and ODT documents are accepted; this file is not one of them."),
    "macros": _("Documents with macros are not accepted."),
    "corrupt": _("The document is damaged or not a valid PDF, DOCX or ODT file."),
    "zip_bomb": _("The document unpacks to too much data."),
    "too_many_entries": _("The document consists of too many parts (more than %(limit)s)."),
}

KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt"),
}


@dataclass(frozen=True)
class InspectedUpload:
    kind: str  # "pdf" | "docx" | "odt"
    content_type: str
    extension: str
    size: int  # bytes actually read
    sha256: str  # hex digest of the whole content


def _refuse(code, **params) -> NoReturn:
    raise ValidationError(MESSAGES[code], code=code, params=params or None)


def inspect_upload(f, *, max_size: int) -> InspectedUpload:
    """Identify ``f`` as PDF, DOCX or ODT by content, or raise ValidationError.

    The file is read in full (we count real bytes; ``f.size`` is not trusted)
    and the position is reset to 0 afterwards so the caller can save it.
    """
    try:
        size, digest, head, tail = _read_all(f, max_size)
        if head.startswith(b"PK\x03\x04"):  # a zip; SFX exes (MZ...PK) fall through
            f.seek(0)
            kind = _inspect_zip(f)
        elif b"%PDF-" in head[:PDF_HEADER_WINDOW]:
            if b"%%EOF" not in tail:
                _refuse("corrupt")
            kind = "pdf"
        else:
            _refuse("unsupported_type")
    finally:
        f.seek(0)
    content_type, extension = KINDS[kind]
    return InspectedUpload(kind, content_type, extension, size, digest)


def _read_all(f, max_size):
    """Hash and measure the content; keep only its head and tail for sniffing."""
    f.seek(0)
    hasher = hashlib.sha256()
    size, head, tail = 0, b"", b""
    while chunk := f.read(READ_CHUNK):
        size += len(chunk)
        if size > max_size:
            _refuse("too_large", limit=_megabytes(max_size))
        hasher.update(chunk)
        if len(head) < PDF_HEADER_WINDOW:
            head += chunk[: PDF_HEADER_WINDOW - len(head)]
        tail = (tail + chunk)[-PDF_EOF_WINDOW:]
    if size == 0:
        _refuse("empty")
    return size, hasher.hexdigest(), head, tail


def _megabytes(n):
    value = round(n / MB, 1)
    return int(value) if value == int(value) else value


def _inspect_zip(f):
    """Check a zip container for safety first, then decide DOCX vs ODT."""
    try:
        with zipfile.ZipFile(f) as zf:
            _check_archive(zf)
            return _classify(zf)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        _refuse("corrupt")


_UNSAFE_NAME = re.compile(r"^([/\\]|[A-Za-z]:)|(^|[/\\])\.\.([/\\]|$)")


def _check_archive(zf):
    """Refuse odd archives and decompress every entry, counting real bytes.

    Header sizes are attacker-controlled, so we inflate everything (in chunks,
    stopping as soon as a limit is crossed). Reading to the end also makes
    zipfile verify each entry's CRC.
    """
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        _refuse("too_many_entries", limit=MAX_ZIP_ENTRIES)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):  # duplicates let two readers see different files
        _refuse("corrupt")
    total = 0
    for info in infos:
        if (
            _UNSAFE_NAME.search(info.filename)
            or info.flag_bits & 0x1  # encrypted
            # OOXML and ODF only use stored/deflate; refuse anything exotic
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        ):
            _refuse("corrupt")
        inflated = 0
        with zf.open(info) as member:
            while chunk := member.read(READ_CHUNK):
                inflated += len(chunk)
                total += len(chunk)
                if total > MAX_UNPACKED_SIZE or (
                    inflated > RATIO_MIN_SIZE and inflated > MAX_RATIO * max(info.compress_size, 1)
                ):
                    _refuse("zip_bomb")


def _classify(zf):
    """Tell an ODT from a DOCX by their mandatory parts; refuse macro carriers."""
    infos = zf.infolist()
    names = {info.filename for info in infos}
    if infos[0].filename == "mimetype":  # OpenDocument: mimetype must come first
        if _read_marker(zf, "mimetype") != ODT_MIMETYPE:
            _refuse("unsupported_type")  # spreadsheets, presentations, templates...
        if "content.xml" not in names:
            _refuse("corrupt")
        if any(name.startswith(("Basic/", "Scripts/")) for name in names):
            _refuse("macros")
        return "odt"
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        basenames = {name.lower().rsplit("/", 1)[-1] for name in names}
        if (
            basenames & {"vbaproject.bin", "vbadata.xml"}
            or b"macroenabled" in _read_marker(zf, "[Content_Types].xml").lower()
        ):
            _refuse("macros")
        return "docx"
    _refuse("unsupported_type")  # plain zips, xlsx, pptx, jars...


def _read_marker(zf, name):
    with zf.open(name) as member:
        return member.read(MAX_MARKER_SIZE)
