"""What an uploaded file really is, checked over the whole file.

A file's first bytes say what it claims to be; the claim is believed only when
the whole file parses as that type (the PDF has pages, the image decodes, the
office document or OFD is a sound package). The name and the browser's type
are ignored: a stored file is named and served by what was detected, so a PDF
header in front of HTML is refused, and a real PDF named "x.html" is served as
"x.pdf".
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import PurePath
from typing import TYPE_CHECKING

from defusedxml import ElementTree as defused_tree
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # nosec B405 # the type only; parsing is defused

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
OFD = "application/ofd"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", OFD: ".ofd", XLSX: ".xlsx", DOCX: ".docx"}

# An image larger than this is refused before it is decoded (a decompression bomb
# is a small file that decodes to gigabytes); 50 million pixels is a 50 MP photo.
MAX_IMAGE_PIXELS = 50_000_000
# A package (XLSX, DOCX, OFD) is unpacked to be checked: bounded against zip bombs.
MAX_PACKAGE_ENTRIES = 5_000
MAX_PACKAGE_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MANIFEST_BYTES = 2 * 1024 * 1024

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
}


class Refused(Exception):
    """The bytes are not a sound file of an accepted type; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def detected_type(data: bytes) -> str:
    """The content type `data` really is, or Refused with a reason for the reader."""
    if data.startswith(b"%PDF-"):
        return _checked_pdf(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _checked_image(data, "JPEG", JPEG)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _checked_image(data, "PNG", PNG)
    if data.startswith(b"PK\x03\x04"):
        return _checked_package(data)
    raise Refused(_("Only PDF, JPEG, PNG, OFD, XLSX and DOCX files are accepted."))


def stored_filename(original: str, content_type: str) -> str:
    """The name a file is offered under: its own stem, the detected type's extension
    ("evil.html" holding a PDF is "evil.pdf")."""
    stem = PurePath(PurePath(original.replace("\\", "/")).name).stem.strip() or "file"
    return stem[:200] + EXTENSIONS[content_type]


# --- PDF ------------------------------------------------------------------------------


def _checked_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused(_("The PDF is protected by a password; upload it without one."))
        pages = [page.mediabox for page in reader.pages]
    except Refused:
        raise
    # pypdf raises many kinds of errors on damaged input (its own, ValueError,
    # KeyError, RecursionError...): any of them means "not a readable PDF".
    except Exception as error:
        raise Refused(
            _("The file starts like a PDF but is not a readable PDF document.")
        ) from error
    if not pages:
        raise Refused(_("The file starts like a PDF but is not a readable PDF document."))
    return PDF


# --- images ---------------------------------------------------------------------------


def _checked_image(data: bytes, expected_format: str, content_type: str) -> str:
    from PIL import Image

    damaged = _("The file starts like a %(kind)s image but the image is damaged or incomplete.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                _refuse_too_many_pixels(probe.size)
                if probe.format != expected_format:
                    raise Refused(damaged % {"kind": expected_format})
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Refused(_too_many_pixels()) from error
    # Pillow reports damaged input as OSError, SyntaxError, ValueError and others.
    except Exception as error:
        raise Refused(damaged % {"kind": expected_format}) from error
    return content_type


def _refuse_too_many_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise Refused(_too_many_pixels())


def _too_many_pixels() -> str:
    return _("The image is too large: at most %(pixels)s pixels.") % {
        "pixels": f"{MAX_IMAGE_PIXELS:,}"
    }


# --- packages (XLSX, DOCX, OFD) ---------------------------------------------------------


def _checked_package(data: bytes) -> str:
    not_a_package = _("The file is not a valid XLSX, DOCX or OFD document.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        _refuse_bomb(entries)
        names = {entry.filename for entry in entries}
        if "OFD.xml" in names:
            kind = _ofd_kind(archive)
        elif "[Content_Types].xml" in names:
            kind = _office_kind(archive)
        else:
            kind = None
        # Every entry decompresses to its declared size with its CRC (bounded above).
        if kind is None or archive.testzip() is not None:
            raise Refused(not_a_package)
    except Refused:
        raise
    # zipfile and expat report damage as BadZipFile, ParseError, EOFError, zlib errors...
    except Exception as error:
        raise Refused(not_a_package) from error
    return kind


def _refuse_bomb(entries: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_PACKAGE_ENTRIES or unpacked > MAX_PACKAGE_UNPACKED_BYTES:
        raise Refused(
            _("The document unpacks to more than %(mb)s MB or %(entries)s parts; it is refused.")
            % {"mb": MAX_PACKAGE_UNPACKED_BYTES // 2**20, "entries": MAX_PACKAGE_ENTRIES}
        )


def _manifest(archive: zipfile.ZipFile, name: str) -> Element:
    with archive.open(name) as handle:
        text = handle.read(MAX_MANIFEST_BYTES + 1)
    if len(text) > MAX_MANIFEST_BYTES:
        raise ValueError(f"{name} is too large")
    return defused_tree.fromstring(text)  # no DTD, no entities


def _office_kind(archive: zipfile.ZipFile) -> str | None:
    root = _manifest(archive, "[Content_Types].xml")
    if root.tag != f"{CONTENT_TYPES_NS}Types":
        return None
    for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
        kind = MAIN_PARTS.get(override.get("ContentType", ""))
        if kind is not None:
            return kind
    return None


def _ofd_kind(archive: zipfile.ZipFile) -> str | None:
    root = _manifest(archive, "OFD.xml")
    return OFD if root.tag.rsplit("}", 1)[-1] == "OFD" else None
