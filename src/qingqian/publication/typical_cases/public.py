"""The public pages of typical cases: a list (by kind), one case, and an Atom feed.
Only what `published_cases` returns reaches them: published and withdrawn cases,
public fields; a withdrawn case shows its public note instead of its text."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases.selectors import published_case_get, published_cases

CASES_PER_PAGE = 20
FEED_ENTRIES = 50


def case_list(request):
    kind = request.GET.get("kind")
    if kind not in TypicalCase.Kind.values:
        kind = None
    page = Paginator(published_cases(kind), CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "publication/typical_cases/public_list.html",
        {"page": page, "kind": kind, "kinds": TypicalCase.Kind.choices},
    )


def case_detail(request, pk: int):
    case = published_case_get(pk)
    return render(request, "publication/typical_cases/public_detail.html", {"case": case})


def kind_label(kind: str) -> str:
    return str(TypicalCase.Kind(kind).label)


class TypicalCaseFeed(Feed):
    """Atom: the feed's id is its page's address, an entry's id its case's."""

    feed_type = Atom1Feed
    title = gettext_lazy("Typical cases of arrears owed to SMEs")
    subtitle = gettext_lazy(
        "Malicious arrears exposed and good practice held up as an example, "
        "published by the SME authorities."
    )
    link = reverse_lazy("portal:typical-case-list")
    author_name = gettext_lazy("SME arrears clearing platform")

    def items(self):
        return list(published_cases()[:FEED_ENTRIES])

    def item_title(self, item):
        return f"[{kind_label(item['kind'])}] {item['published_title']}"

    def item_description(self, item):
        if item["state"] == TypicalCase.State.WITHDRAWN:
            text = _("Withdrawn: %(note)s") % {"note": item["withdrawal_note"]}
        else:
            text = item["public_text"]
        return linebreaks(text, autoescape=True)

    def item_link(self, item):
        return reverse("portal:typical-case-detail", args=[item["pk"]])

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["withdrawn_at"] or item["published_at"]

    def item_author_name(self, item):
        return item["authority"]

    def item_categories(self, item):
        return [kind_label(item["kind"])]
