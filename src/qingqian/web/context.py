"""Template context shared by every page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

from qingqian.accounts.permissions import Perm, has_perm


def navigation(request):
    return {
        "LANGUAGES": settings.LANGUAGES,
        "debug_banner": settings.DEBUG,
        "language_next": language_next(request),
        "perms_stats": has_perm(getattr(request, "user", None), Perm.STATS_VIEW)
        if getattr(request, "user", None) is not None and request.user.is_authenticated
        else False,
    }


def language_next(request) -> str:
    """Where the language switch returns to: this page after a GET; after a
    POST (whose URL may accept nothing else) the page the form was on, if it
    is on this site, else the start page."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "") or "/"
    return "/"
