"""The written result notice (投诉处理结果告知书): a zh-Hans PDF for the complainant.

Rendered from `complaints/result_notice.html` by WeasyPrint with the Noto CJK
fonts (Debian: fonts-noto-cjk). Only a resolved or closed complaint has one.
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 # fc-list only, see _cjk_font_installed
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from qingqian.complaints import selectors
from qingqian.complaints.models import Complaint, ResultKind, State
from qingqian.complaints.results import claimed_outstanding
from qingqian.core import downloads
from qingqian.core.downloads import file_response
from qingqian.core.money import format_yuan

NOTICE_STATES = frozenset({State.RESOLVED, State.CLOSED})
# The notice is a zh-Hans document whatever the reader's interface language.
RESULT_KIND_ZH = {
    ResultKind.PAID: "欠款已全额支付",
    ResultKind.PLAN: "已达成还款计划",
    ResultKind.DISPUTED: "双方存在争议，转由法律途径解决",
    ResultKind.OTHER: "其他",
    ResultKind.PARTLY: "部分确认、部分存在争议",
}
CJK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


class NoticeUnavailable(RuntimeError):
    """The PDF cannot be made on this machine; the message says what to install."""


def render_result_notice(complaint: Complaint) -> bytes:
    """The notice as PDF bytes."""
    html = render_to_string("complaints/result_notice.html", notice_context(complaint))
    return _weasyprint().HTML(string=html).write_pdf()


def notice_context(complaint: Complaint) -> dict:
    return {
        "complaint": complaint,
        "result_kind": RESULT_KIND_ZH.get(complaint.result_kind, ""),
        "amounts": _amounts(complaint),
        "issued_on": _issued_on(complaint),
        "font_family": ", ".join(f'"{family}"' for family in CJK_FAMILIES),
    }


def _amounts(complaint: Complaint) -> list[tuple[str, str]]:
    """The amounts the result establishes, as the notice lists them (in Chinese)."""
    amounts = [
        ("投诉所称未付金额", claimed_outstanding(complaint)),
        ("被投诉人确认金额", complaint.result_confirmed_fen),
        ("其中：处理期间已支付", complaint.result_paid_fen),
        ("其中：纳入还款计划", complaint.result_planned_fen),
        ("存在争议金额", complaint.result_disputed_fen),
    ]
    return [(label, format_yuan(fen, "zh-CN")) for label, fen in amounts]


def _issued_on(complaint: Complaint):
    approved = complaint.events.filter(action="approve-result").order_by("at", "pk").last()
    return timezone.localdate(approved.at) if approved else timezone.localdate()


@login_required
def result_notice_view(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if complaint.state not in NOTICE_STATES:
        raise Http404("A result notice exists once the result is approved.")
    try:
        pdf = render_result_notice(complaint)
    except NoticeUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    # An attachment: a browser's PDF viewer refuses to run under the sandbox policy.
    filename = f"result-notice-{complaint.tracking_number or complaint.pk}.pdf"
    return file_response(pdf, filename=filename, content_type=downloads.PDF)


# --- what the machine needs ---------------------------------------------------------


def _weasyprint():
    _require_cjk_font()
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango/HarfBuzz libraries missing
        raise NoticeUnavailable(
            "The result notice PDF needs WeasyPrint and its system libraries "
            "(pip install weasyprint; Debian packages libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0) and the Debian package fonts-noto-cjk: {error}"
        ) from error
    return weasyprint


@lru_cache(maxsize=1)
def _cjk_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    listing = subprocess.run(  # nosec B603 # fixed arguments, no shell, no input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return any(family in listing for family in CJK_FAMILIES)


def _require_cjk_font() -> None:
    if not _cjk_font_installed():
        _cjk_font_installed.cache_clear()  # look again next time: it may be installed by then
        raise NoticeUnavailable(
            "The result notice PDF needs the Noto CJK fonts: install the Debian package "
            "fonts-noto-cjk (scripts/install-system-packages does it), then try again."
        )
