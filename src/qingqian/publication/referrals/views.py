"""The referrals' pages: the list with the counts, one referral with its letter
and the answer, and the referral made from a case or a finding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core.forms import apply_validation_error
from qingqian.core.pdf import font_family_css, pdf_download, render_pdf
from qingqian.core.region_selectors import region_name
from qingqian.ledger.models import LedgerItem
from qingqian.parties.models import Enterprise
from qingqian.publication.findings import selectors as finding_selectors
from qingqian.publication.findings.notice import chinese_date
from qingqian.publication.referrals import selectors, services
from qingqian.publication.referrals.forms import AnswerForm, ReferralForm
from qingqian.supervision.cases import selectors as case_selectors

LETTER_ITEMS = 200  # the letter lists this many outstanding items, then the total

ORIGINS = {
    "case": lambda actor, pk: case_selectors.case_get(actor=actor, pk=pk),
    "finding": lambda actor, pk: get_object_or_404(
        finding_selectors.finding_list(actor=actor), pk=pk
    ),
}


@login_required
def referral_list_view(request):
    require_perm(request.user, Perm.FINDINGS_MANAGE)
    context = {
        "referrals": selectors.referral_list(actor=request.user)[:200],
        "counts": [_named(row) for row in selectors.referral_counts(actor=request.user)],
    }
    return render(request, "publication/referrals/referral_list.html", context)


def _named(row: dict) -> dict:
    province = region_name(row["province"] + "0000") or row["province"]
    return {**row, "province_name": province, "type_name": Enterprise.Type(row["body__type"]).label}


@login_required
def referral_new_view(request, origin, pk):
    if origin not in ORIGINS:
        raise Http404
    source = ORIGINS[origin](request.user, pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(
                actor=request.user, origin=source, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The referral is recorded; send its letter."))
            return redirect("referral-detail", pk=referral.pk)
    return render(
        request, "publication/referrals/referral_new.html", {"form": form, "source": source}
    )


@login_required
def referral_detail_view(request, pk):
    referral = get_object_or_404(selectors.referral_list(actor=request.user), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_answer(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("referral-detail", pk=pk)
    context = {"referral": referral, "form": form}
    return render(request, "publication/referrals/referral_detail.html", context)


@login_required
def referral_letter_view(request, pk):
    referral = get_object_or_404(selectors.referral_list(actor=request.user), pk=pk)
    filename = f"referral-{referral.body.uscc}-{referral.pk}.pdf"
    return pdf_download(lambda: render_referral_letter(referral), filename)


def render_referral_letter(referral) -> bytes:
    """The letter in Chinese, as sent, with the body's outstanding items (the first
    LETTER_ITEMS by due date, and how many more)."""
    outstanding = LedgerItem.objects.filter(
        debtor=referral.body, owed_fen__gt=F("paid_fen") + F("written_off_fen")
    ).select_related("creditor")
    count = outstanding.count()
    with translation.override("zh-hans"):
        html = render_to_string(
            "publication/referrals/letter.html",
            {
                "referral": referral,
                "items": outstanding.order_by("due_on", "pk")[:LETTER_ITEMS],
                "more": max(0, count - LETTER_ITEMS),
                "issuer": referral.referred_by.organisation,
                "referred": chinese_date(referral.referred_on),
                "due": chinese_date(referral.response_due_on),
                "font_family": font_family_css(),
            },
        )
    return render_pdf(html)
