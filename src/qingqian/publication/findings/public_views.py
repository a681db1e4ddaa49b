"""The defaulters list in public: the listings in force (page, CSV, XLSX, JSON)
and every change since a moment (JSON, CSV, Atom), keyed by credit code, so
that credit-sharing platforms can synchronise incrementally. Only what
`findings.selectors` returns for the public reaches these views."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.core.spreadsheets import download
from qingqian.publication.findings.selectors import listing_changes, public_listings

FEED_ENTRIES = 100
LISTING_FIELDS = (
    "uscc",
    "name",
    "region_code",
    "list",
    "legal_basis",
    "listed_from",
    "listed_until",
    "under_review",
)
CHANGE_FIELDS = ("uscc", "change", "reason", "list", "at")


def listings(request):
    rows = public_listings()
    fmt = request.GET.get("format", "")
    if fmt == "json":
        return JsonResponse({"extracted_at": _now(), "listings": [_plain(row) for row in rows]})
    if fmt in ("csv", "xlsx"):
        table = [[_plain(row)[field] for field in LISTING_FIELDS] for row in rows]
        name = f"qingqian-listings-extracted-{timezone.localtime():%Y%m%dT%H%M%S}"
        return download(name, list(LISTING_FIELDS), table, None, fmt=fmt)
    return render(request, "publication/findings/listings.html", {"listings": rows})


def changes(request):
    """`since`: an ISO 8601 moment (with its offset); without it, every change."""
    since_text = request.GET.get("since", "")
    since = parse_datetime(since_text) if since_text else None
    if since_text and (since is None or since.tzinfo is None):
        message = _(
            "Give “since” as an ISO 8601 moment with its offset, e.g. 2026-10-01T00:00:00+08:00."
        )
        return JsonResponse(
            {"code": "invalid", "message": message, "fields": {"since": message}}, status=400
        )
    rows = [_change(change) for change in listing_changes(since=since)]
    if request.GET.get("format") == "csv":
        table = [[row[field] for field in CHANGE_FIELDS] for row in rows]
        name = f"qingqian-listing-changes-extracted-{timezone.localtime():%Y%m%dT%H%M%S}"
        return download(name, list(CHANGE_FIELDS), table, None, fmt="csv")
    return JsonResponse({"extracted_at": _now(), "since": since_text or None, "changes": rows})


def _now() -> str:
    return timezone.now().isoformat()


def _plain(row: dict) -> dict:
    return {
        **row,
        "listed_from": row["listed_from"].isoformat(),
        "listed_until": row["listed_until"].isoformat(),
    }


def _change(change) -> dict:
    return {
        "uscc": change.uscc,
        "change": change.kind,
        "reason": change.reason,
        "list": change.finding.credit_list.code,
        "at": change.at.isoformat(),
    }


class ChangesFeed(Feed):
    """Atom: one entry per change, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Changes to the defaulters list")
    subtitle = gettext_lazy("Listings published, put under review and removed, by credit code.")
    link = reverse_lazy("portal:listings")
    author_name = gettext_lazy("SME arrears clearing platform")

    def items(self):
        return list(listing_changes().order_by("-at", "-pk")[:FEED_ENTRIES])

    def item_title(self, item):
        return f"{item.uscc} · {item.get_kind_display()}"

    def item_description(self, item):
        return item.finding.credit_list.name

    def item_link(self, item):
        return reverse("portal:listings") + f"#{item.uscc}-{item.pk}"

    def item_pubdate(self, item):
        return item.at
