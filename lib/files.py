"""Content checks for uploaded documents.

Only PDF, DOCX and ODT are accepted, recognised by their *content*: the file
name and the browser's declared content type are chosen by the uploader and
prove nothing. A PDF must open with a PDF parser and have a page, and nothing
but padding may come before its header (so no executable, script or markup
that merely carries the PDF markers). Zip-based documents are decompressed
once, in a streaming way, so that zip bombs, path tricks and macro-carrying
documents are refused before anything is stored or handed to a viewer.

Used by programme drafts, meeting documents and agreement documents alike.
Receiving and storing them is `lib.uploads`; handing them out, `lib.downloads`.
"""

import hashlib
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import NoReturn
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

MB = 1024 * 1024
READ_CHUNK = 64 * 1024
PDF_HEADER_WINDOW = 1024  # the PDF spec allows junk before "%PDF-" in the first 1 KB ...
PDF_PADDING = b"\x00\t\n\f\r "  # ... of which we allow only padding, no other format's start
BOMS = (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")
PDF_EOF_WINDOW = 1024  # "%%EOF" must be this close to the end (trailing junk allowed)
MAX_ZIP_ENTRIES = 1000
MAX_UNPACKED_SIZE = 100 * MB  # total bytes actually decompressed from all entries
MAX_RATIO = 200  # per-entry decompressed/compressed ratio ...
RATIO_MIN_SIZE = 1 * MB  # ... enforced once an entry has inflated beyond this
MAX_MARKER_SIZE = 1 * MB  # how much of the `mimetype` entry we read
UPLOAD_OVERHEAD = 1 * MB  # what a request may carry beside its file: other fields, multipart framing

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound files: .doc, .xls, vbaProject.bin, OLE objects
ZIP_MAGIC = b"PK\x03\x04"

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB."),
    "unsupported_type": _("Only PDF, DOCX and ODT documents are accepted; this file is not one of them."),
    "macros": _("Documents with macros are not accepted."),
    "embedded_object": _(
        "Documents with embedded objects from other programs (OLE) are not accepted; insert them as pictures."
    ),
    "encrypted": _("The PDF is protected by a password; save it without one and upload it again."),
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


class OversizedUpload(UploadedFile):
    """Stands in `request.FILES` for a file whose upload `UploadLimitHandler` stopped; holds no content."""

    def __init__(self, name, size):
        super().__init__(file=None, name=name, size=size)

    def open(self, mode=None):
        return self

    def close(self):
        pass  # there is nothing to close


def _refuse(code, **params) -> NoReturn:
    raise ValidationError(MESSAGES[code], code=code, params=params or None)


def inspect_upload(f, *, max_size: int) -> InspectedUpload:
    """Identify ``f`` as PDF, DOCX or ODT by content, or raise ValidationError.

    The file is read in full once (we count real bytes; ``f.size`` is not
    trusted), then a PDF is opened by pypdf and a zip inflated entry by entry,
    both from ``f`` itself, never copied whole into memory. The position is
    reset to 0 afterwards so the caller can save it.
    """
    if isinstance(f, OversizedUpload):
        _refuse("too_large", limit=_megabytes(max_size))
    try:
        size, digest, head, tail = _read_all(f, max_size)
        if head.startswith(ZIP_MAGIC):  # a zip; SFX exes (MZ...PK) fall through
            f.seek(0)
            kind = _inspect_zip(f)
        elif _pdf_header_at_start(head):
            if b"%%EOF" not in tail:
                _refuse("corrupt")
            f.seek(0)
            _inspect_pdf(f)
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


def _pdf_header_at_start(head):
    """Whether "%PDF-" comes first, after at most a byte-order mark and padding.

    Readers accept a PDF header anywhere in the first kilobyte; that is what
    lets an executable, a script, an HTML page or an SVG carry one in a
    comment and pass for a PDF. Whatever format a file starts as, it is that
    format, so anything but padding before the header is refused.
    """
    at = head.find(b"%PDF-")
    if at == -1:
        return False
    prefix = head[:at]
    for bom in BOMS:
        if prefix.startswith(bom):
            prefix = prefix[len(bom) :]
            break
    return not prefix.strip(PDF_PADDING)


def _inspect_pdf(f):
    """Open the PDF with pypdf, from the file itself, and count its pages."""
    try:
        reader = PdfReader(f, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            _refuse("encrypted")
        pages = len(reader.pages)
    except (DependencyError, FileNotDecryptedError):  # AES without the optional crypto library, or a password
        _refuse("encrypted")
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on hostile input; all mean the same here
        _refuse("corrupt")
    if pages < 1:
        _refuse("corrupt")


def _inspect_zip(f):
    """Check a zip container for safety first, then decide DOCX vs ODT."""
    try:
        with zipfile.ZipFile(f) as zf:
            _check_archive(zf, _Budget())
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


class _Budget:
    """Bytes decompressed so far, over the package and the packages inside it."""

    total = 0


def _check_archive(zf, budget, *, nested=False):
    """Refuse odd archives and decompress every entry, counting real bytes.

    Header sizes are attacker-controlled, so we inflate everything (in chunks,
    stopping as soon as a limit is crossed). Reading to the end also makes
    zipfile verify each entry's CRC. On the way, each entry is checked for
    what may run: OLE2 compound parts (whatever their name), the parts that
    declare macros, and packages inside the package (an Excel chart's data
    in a DOCX), which are checked the same way.
    """
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        _refuse("too_many_entries", limit=MAX_ZIP_ENTRIES)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):  # duplicates let two readers see different files
        _refuse("corrupt")
    _check_part_names(names)
    broken = False  # a part that should be XML is not: refused once all is inflated, so that size limits speak first
    for info in infos:
        if (
            _UNSAFE_NAME.search(info.filename)
            or info.flag_bits & 0x1  # encrypted
            # OOXML and ODF only use stored/deflate; refuse anything exotic
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        ):
            _refuse("corrupt")
        scanner = _MacroScanner() if _declares_code(info.filename) else None
        inner = None
        inflated = 0
        with zf.open(info) as member:
            while chunk := member.read(READ_CHUNK):
                if inflated == 0:
                    if chunk.startswith(OLE2_MAGIC):
                        _refuse("embedded_object")
                    if chunk.startswith(ZIP_MAGIC):
                        if nested:
                            _refuse("embedded_object")  # a package in a package in a package: no document needs it
                        inner = tempfile.SpooledTemporaryFile(max_size=MB)  # closed below
                inflated += len(chunk)
                budget.total += len(chunk)
                if budget.total > MAX_UNPACKED_SIZE or (
                    inflated > RATIO_MIN_SIZE and inflated > MAX_RATIO * max(info.compress_size, 1)
                ):
                    _refuse("zip_bomb")
                if scanner:
                    scanner.feed(chunk)
                if inner:
                    inner.write(chunk)
        if scanner:
            broken |= scanner.close()
        if inner:
            with inner, zipfile.ZipFile(inner) as package:
                _check_archive(package, budget, nested=True)
    if broken:
        _refuse("corrupt")


_MACRO_PART_NAMES = {"vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin"}


def _check_part_names(names):
    """Refuse the parts macros live in under their usual names (other names are caught by content)."""
    for name in names:
        lower = name.lower()
        basename = lower.rsplit("/", 1)[-1]
        if basename in _MACRO_PART_NAMES or basename.startswith("activex") or lower.startswith(("basic/", "scripts/")):
            _refuse("macros")


def _declares_code(name):
    """The XML parts that say whether a package carries code: OOXML content types and relationships,
    the ODF manifest, and ODF content and styles (where event listeners and macro links live)."""
    basename = name.rsplit("/", 1)[-1]
    return (
        name == "[Content_Types].xml"
        or name.endswith(".rels")
        or name == "META-INF/manifest.xml"
        or basename in ("content.xml", "styles.xml")
    )


_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SCRIPT = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_SCRIPT_ELEMENTS = {
    f"{{{_OFFICE}}}script",  # document event bindings (an empty <office:scripts/> is harmless)
    f"{{{_SCRIPT}}}event-listener",
    "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}event-listener",
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}execute-macro",
}
_MEDIA_TYPE = f"{{{_MANIFEST}}}media-type"
_FULL_PATH = f"{{{_MANIFEST}}}full-path"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# In OOXML content types and relationship types: VBA projects and their data and signatures, ActiveX, docm/dotm.
_OOXML_CODE_MARKERS = ("vbaproject", "vbadata", "activex", "macroenabled")


def _is_code(tag, attrib):
    if tag in _SCRIPT_ELEMENTS:
        return True
    for key, value in attrib.items():
        value = value.strip().lower()
        if key in ("ContentType", "Type") and (
            any(marker in value for marker in _OOXML_CODE_MARKERS) or value.endswith("/relationships/control")
        ):
            return True
        if key == _MEDIA_TYPE and any(marker in value for marker in ("script", "basic", "python")):
            return True
        if key == _FULL_PATH and value.lstrip("/").startswith(("basic/", "scripts/")):
            return True
        if key == _XLINK_HREF and value.startswith(("vnd.sun.star.script:", "macro:")):
            return True
    return False


class _MacroScanner:
    """Parses one XML part as it is inflated, refusing on the first element that declares code.

    Parsed, not searched for bytes: names may be written with character
    references or in UTF-16, and ODF namespace prefixes are free to choose.
    Elements are dropped once read, so memory stays small however large the part.
    """

    def __init__(self):
        self.parser = ElementTree.XMLPullParser(events=("start", "end"))
        self.broken = False

    def feed(self, chunk):
        if not self.broken:
            self._parse(self.parser.feed, chunk)

    def close(self):
        """Finish the part; whether it was not well-formed XML."""
        if not self.broken:
            self._parse(self.parser.close)
        return self.broken

    def _parse(self, step, *args):
        try:
            step(*args)
            for event, element in self.parser.read_events():
                if event == "start":
                    if _is_code(element.tag, element.attrib):
                        _refuse("macros")
                else:
                    element.clear()
        except ElementTree.ParseError:
            self.broken = True


def _classify(zf):
    """Tell an ODT from a DOCX by their mandatory parts."""
    infos = zf.infolist()
    names = {info.filename for info in infos}
    if infos[0].filename == "mimetype":  # OpenDocument: mimetype must come first
        if _read_marker(zf, "mimetype") != ODT_MIMETYPE:
            _refuse("unsupported_type")  # spreadsheets, presentations, templates...
        if "content.xml" not in names:
            _refuse("corrupt")
        return "odt"
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    _refuse("unsupported_type")  # plain zips, xlsx, pptx, jars...


def _read_marker(zf, name):
    with zf.open(name) as member:
        return member.read(MAX_MARKER_SIZE)
