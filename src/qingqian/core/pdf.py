"""PDF letters and reports: HTML rendered by WeasyPrint with the Noto CJK fonts
(Debian: fonts-noto-cjk). Without the fonts, or WeasyPrint's libraries, a PDF is
refused with a message that says what to install: never a PDF of empty boxes."""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 # fc-list only, see cjk_font_installed
from collections.abc import Callable
from functools import lru_cache

CJK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


class PdfUnavailable(RuntimeError):
    """The PDF cannot be made on this machine; the message says what to install."""


def font_family_css() -> str:
    """The CJK families as a CSS font-family list."""
    return ", ".join(f'"{family}"' for family in CJK_FAMILIES)


def render_pdf(html: str) -> bytes:
    return weasyprint().HTML(string=html).write_pdf()


def pdf_download(render: Callable[[], bytes], filename: str):
    """The PDF `render` makes, as an attachment (a browser's PDF viewer does not
    run under the download sandbox); 503 with what to install when it cannot be made."""
    from django.http import HttpResponse

    from qingqian.core.downloads import PDF, file_response

    try:
        content = render()
    except PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return file_response(content, filename=filename, content_type=PDF)


def weasyprint():
    """The weasyprint module, once the CJK fonts are known to be there."""
    _require_cjk_font()
    try:
        import weasyprint as module
    except (ImportError, OSError) as error:  # OSError: Pango/HarfBuzz libraries missing
        raise PdfUnavailable(
            "PDFs need WeasyPrint and its system libraries "
            "(pip install weasyprint; Debian packages libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0) and the Debian package fonts-noto-cjk: {error}"
        ) from error
    return module


@lru_cache(maxsize=1)
def cjk_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    listing = subprocess.run(  # nosec B603 # fixed arguments, no shell, no input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return any(family in listing for family in CJK_FAMILIES)


def _require_cjk_font() -> None:
    if not cjk_font_installed():
        cjk_font_installed.cache_clear()  # look again next time: it may be installed by then
        raise PdfUnavailable(
            "PDFs need the Noto CJK fonts: install the Debian package "
            "fonts-noto-cjk (scripts/install-system-packages does it), then try again."
        )
