"""The public register's pages: the search, and one enterprise's public record
(disclosures, on-platform record, payment behaviour, listings in force)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core.namesearch import MIN_FRAGMENT
from qingqian.core.spreadsheets import download
from qingqian.portal.figures import SUPPRESSED, count_cell, is_small
from qingqian.publication.register import selectors
from qingqian.services.confirmations.selectors import breached_requests_count

MAX_QUERY = 60


def register_search_view(request):
    text = request.GET.get("q", "")[:MAX_QUERY].strip()
    after = request.GET.get("after", "")
    after = int(after) if after.isdigit() else 0
    results, problem = [], ""
    if text:
        results = selectors.register_search(text, after=after)
        if selectors.search_q(text) is None:
            problem = _(
                "Type at least %(n)d characters of the name, or the start of the credit code."
            ) % {"n": MIN_FRAGMENT}
    context = {
        "q": text,
        "results": results,
        "problem": problem,
        "next_after": results[-1].pk if len(results) == selectors.PAGE else None,
    }
    return render(request, "publication/register/search.html", context)


def register_enterprise_view(request, uscc: str):
    enterprise = selectors.register_get(uscc)
    context = {
        "enterprise": enterprise,
        "complaints": [_suppressed(row) for row in selectors.complaint_record(enterprise)],
        "arrears": selectors.arrears_record(enterprise),
        "behaviour": selectors.payment_behaviour(enterprise),
        "listings": selectors.listings_in_force(enterprise),
        "typical_cases": selectors.typical_cases_naming(enterprise),
        "disclosures": selectors.public_disclosures(enterprise),
        "confirmation_breaches": breached_requests_count(enterprise),
        "suppressed": SUPPRESSED,
    }
    return render(request, "publication/register/enterprise.html", context)


def _suppressed(row: dict) -> dict:
    """The open statistics' rule: a count of 1 to 4 complaints is "<5", and so is
    a rate resting on 1 to 4 rated complaints."""
    if is_small(row["rated"]):
        on_time = SUPPRESSED
    else:
        on_time = f"{100 * row['met'] / row['rated']:.0f}%" if row["rated"] else "—"
    return {"year": row["year"], "accepted": count_cell(row["accepted"]), "on_time": on_time}


def register_download_view(request):
    """Every published disclosure as CSV or XLSX, at a stable address, with the
    moment of extraction in the file's name."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    kinds = ["text"] * 7 + ["money", "text", "date", "text", "text"]
    name = f"qingqian-disclosures-extracted-{timezone.localtime():%Y%m%dT%H%M%S}"
    header = list(selectors.DISCLOSURE_COLUMNS)
    return download(name, header, selectors.all_public_disclosures(), kinds, fmt=fmt)
