"""Real files for upload tests: evidence is checked over the whole file, so tests
upload documents that parse (a one-page PDF, a decodable PNG, a sound XLSX), and
build the hostile ones (polyglots, a truncated image, a zip bomb) here too."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from PIL import Image
from pypdf import PdfWriter
from xlsxwriter import Workbook

CONTENT_TYPES = "[Content_Types].xml"


def pdf_bytes(title: str = "") -> bytes:
    """A valid one-page PDF; a different `title` gives different bytes (another file)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    workbook = Workbook(out)
    workbook.add_worksheet().write(0, 0, "回单")
    workbook.close()
    return out.getvalue()


def html_behind_a_pdf_header() -> bytes:
    """Says "PDF" in its first bytes, is an HTML page after them."""
    return b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def svg_behind_a_png_header() -> bytes:
    """A real PNG signature followed by an SVG document with a script."""
    return (
        b"\x89PNG\r\n\x1a\n"
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    )


def truncated_png() -> bytes:
    whole = png_bytes((64, 64))
    return whole[: len(whole) // 2]


@cache  # a quarter of a gigabyte to compress: once per run
def zip_bomb_xlsx(unpacked_mb: int = 210) -> bytes:
    """An XLSX whose manifest is sound and one part unpacks to `unpacked_mb` MB of
    zeros (a few hundred kilobytes packed)."""
    real = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        bomb.writestr(CONTENT_TYPES, real.read(CONTENT_TYPES))
        with bomb.open("xl/padding.bin", "w", force_zip64=True) as part:
            chunk = bytes(2**20)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()


PDF = pdf_bytes()
