"""The written result notice (投诉处理结果告知书): a PDF letter to the complainant.

The result is the handling department's (处理投诉部门): it signs the letter,
which goes to the complainant and is copied to the accepting department
(受理投诉部门); Regulations 2020 Art. 17 / 2025 Art. 25. The letter follows the
order of a formal administrative letter (GB/T 9704-2012): title, addressee
followed by a colon, body (the complaint, the facts found, the result with
its amounts, the remedy for what stays disputed), the issuer and the date
(落款), then the copy line (抄送) below them.

Written in the reader's language (zh-Hans, or English for an English
interface), rendered from `complaints/result_notice.html` by WeasyPrint with
the Noto CJK fonts (Debian: fonts-noto-cjk). Only a resolved or closed
complaint has one.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qingqian.complaints import selectors
from qingqian.complaints.models import Complaint, ResultKind, State
from qingqian.complaints.results import claimed_outstanding
from qingqian.core.messages import yuan
from qingqian.core.pdf import font_family_css, pdf_download, render_pdf

NOTICE_STATES = frozenset({State.RESOLVED, State.CLOSED})
# The 2025 revision (Decree No. 802) in force: its Art. 15 has the undisputed part paid on time.
REVISION_2025_IN_FORCE = date(2025, 6, 1)
RESULT_SENTENCES = {
    ResultKind.PAID: _("The respondent has paid the amount owed in full."),
    ResultKind.PLAN: _("Your unit and the respondent have agreed a repayment plan."),
    ResultKind.DISPUTED: _(
        "Your unit and the respondent disagree on the amount; it is referred to the legal route."
    ),
    ResultKind.PARTLY: _("The respondent confirms part of the amount and disagrees with the rest."),
}


def render_result_notice(complaint: Complaint) -> bytes:
    """The notice as PDF bytes, in the active language."""
    html = render_to_string("complaints/result_notice.html", notice_context(complaint))
    return render_pdf(html)


def notice_context(complaint: Complaint) -> dict:
    # Resolved means transferred, so a handling department exists; the accepting
    # authority signs only a notice of a complaint it kept (none today).
    issuer = complaint.handling_department or complaint.accepting_authority
    copy_to = complaint.accepting_authority if issuer != complaint.accepting_authority else None
    return {
        "complaint": complaint,
        "language": get_language() or "zh-hans",
        "issuer": issuer,
        "copy_to": copy_to,
        "dates": _dates(complaint),
        "result_sentence": RESULT_SENTENCES.get(complaint.result_kind, ""),
        "amounts": _amounts(complaint),
        "cites_article_15": cites_article_15(complaint),
        "font_family": font_family_css(),
    }


def _dates(complaint: Complaint) -> dict[str, str]:
    days = {
        "submitted": complaint.submitted_on,
        "accepted": complaint.accepted_on,
        "received": complaint.received_on,
        "signed": complaint.contract_signed_on,
        "issued": issued_on(complaint),
    }
    return {name: long_date(day) if day else "—" for name, day in days.items()}


def long_date(day: date) -> str:
    """A letter's date: 2026年10月20日, or 20 October 2026 (never the short forms)."""
    if (get_language() or "zh-hans").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return date_format(day, "j F Y")


def _amounts(complaint: Complaint) -> dict[str, str]:
    """The amounts the result records, in yuan of the reader's language."""
    return {
        "claimed": yuan(claimed_outstanding(complaint)),
        "confirmed": yuan(complaint.result_confirmed_fen),
        "paid": yuan(complaint.result_paid_fen),
        "planned": yuan(complaint.result_planned_fen),
        "disputed": yuan(complaint.result_disputed_fen),
    }


def cites_article_15(complaint: Complaint) -> bool:
    """The rule of the version in force when the complaint was accepted, not the latest."""
    return bool(complaint.accepted_on and complaint.accepted_on >= REVISION_2025_IN_FORCE)


def issued_on(complaint: Complaint) -> date:
    """The day the result was approved: the result is given from then on."""
    approved = complaint.events.filter(action="approve-result").order_by("at", "pk").last()
    if approved is None:
        return timezone.localdate()
    return approved.day or timezone.localdate(approved.at)


@login_required
def result_notice_view(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if complaint.state not in NOTICE_STATES:
        raise Http404("A result notice exists once the result is approved.")
    filename = f"result-notice-{complaint.tracking_number or complaint.pk}.pdf"
    return pdf_download(lambda: render_result_notice(complaint), filename)
