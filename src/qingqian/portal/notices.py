"""The published notices (通报): a list, one notice, and an Atom feed. Only what
`published_notices` returns reaches these pages: approved notices, public fields."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from qingqian.core.region_selectors import region_name
from qingqian.portal.cache import cached_page
from qingqian.supervision.cases.selectors import published_notice_get, published_notices

NOTICES_PER_PAGE = 20
FEED_ENTRIES = 50


@cached_page
def notice_list(request):
    page = Paginator(published_notices(), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/notice_list.html", {"page": page})


@cached_page
def notice_detail(request, pk: int):
    notice = published_notice_get(pk)
    return render(request, "portal/notice_detail.html", {"notice": notice})


class NoticeFeed(Feed):
    """Atom: the feed's id is its page's address, an entry's id its notice's."""

    feed_type = Atom1Feed

    @method_decorator(cached_page)
    def __call__(self, request, *args, **kwargs):
        return super().__call__(request, *args, **kwargs)

    title = _("Public notices on clearing arrears owed to SMEs")
    subtitle = _("Notices approved for publication by the SME authorities.")
    link = reverse_lazy("portal:notice-list")
    author_name = _("SME arrears clearing platform")

    def items(self):
        return list(published_notices()[:FEED_ENTRIES])

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        # Atom's summary is written as type="html": the plain text escaped, in paragraphs.
        return linebreaks(item["text"], autoescape=True)

    def item_link(self, item):
        return reverse("portal:notice-detail", args=[item["pk"]])

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["published_at"]  # an approved notice is not edited

    def item_author_name(self, item):
        return item["authority"]

    def item_categories(self, item):
        name = region_name(item["region_code"])
        return [name] if name else []
