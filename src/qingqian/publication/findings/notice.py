"""The prior notice (失信认定事先告知书): the written notice the enterprise gets
before it is listed, naming the list, the legal basis, the facts, the period and
its right to state its case by a date (国办发〔2020〕49号). In Chinese, as served."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation

from qingqian.core.pdf import font_family_css, pdf_download, render_pdf
from qingqian.publication.findings import selectors
from qingqian.publication.models import Finding

# From the decision on, the notice exists (it is served with the "notify" step).
NOTICE_STATES = frozenset(set(Finding.State.values) - {"proposed", "review", "dropped"})


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


def render_prior_notice(finding: Finding) -> bytes:
    with translation.override("zh-hans"):
        html = render_to_string(
            "publication/findings/prior_notice.html",
            {
                "finding": finding,
                "issuer": finding.decided_by.organisation if finding.decided_by else None,
                "decided": chinese_date(finding.decided_on),
                "served": chinese_date(finding.notified_on),
                "due": chinese_date(finding.defence_due_on),
                "font_family": font_family_css(),
            },
        )
    return render_pdf(html)


@login_required
def prior_notice_view(request, pk):
    finding = get_object_or_404(selectors.finding_list(actor=request.user), pk=pk)
    if finding.state not in NOTICE_STATES:
        raise Http404("The prior notice exists once the finding is decided.")
    filename = f"prior-notice-{finding.enterprise.uscc}-{finding.pk}.pdf"
    return pdf_download(lambda: render_prior_notice(finding), filename)
