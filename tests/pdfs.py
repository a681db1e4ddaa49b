"""Reading a PDF the way a reader sees it: its text layer with each line's place
on the page (poppler's pdftotext), and its pages as images (poppler's pdftoppm,
then Pillow). Both tools come with the Debian package poppler-utils
(scripts/install-system-packages)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    """One line of text as laid out: page number (from 1) and box in points."""

    text: str
    page: int
    x_min: float
    y_min: float
    x_max: float
    page_width: float


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: install the Debian package poppler-utils")
    return path


def pdf_text(pdf: bytes) -> str:
    """The text layer without whitespace (a CJK line may break anywhere)."""
    result = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return "".join(result.stdout.decode("utf-8").split())


def pdf_fonts(pdf: bytes, directory: Path) -> str:
    """poppler's pdffonts listing: the fonts the pages use, and whether embedded."""
    path = directory / "fonts.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_lines(pdf: bytes) -> list[Line]:
    """Every line in reading order, its words joined without spaces."""
    result = subprocess.run(
        [_tool("pdftotext"), "-bbox-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    root = ET.fromstring(result.stdout)
    lines = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        width = float(page.get("width"))
        for line in page.iter(f"{XHTML}line"):
            words = "".join(word.text or "" for word in line.iter(f"{XHTML}word"))
            box = [float(line.get(key)) for key in ("xMin", "yMin", "xMax")]
            lines.append(Line(words, number, *box, page_width=width))
    return lines


def first_page_image(pdf: bytes, directory: Path, dpi: int = 100) -> Image.Image:
    """The first page rasterised, as a greyscale image."""
    source = directory / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
        + [str(source), str(directory / "page")],
        check=True,
        capture_output=True,
    )
    with Image.open(directory / "page.png") as image:
        return image.convert("L")


def ink_share(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> float:
    """The share of dark pixels (text) in the image, or in the box (left, top, right, bottom)."""
    region = image.crop(box) if box else image
    histogram = region.histogram()
    dark = sum(histogram[:128])
    return dark / (region.width * region.height)
