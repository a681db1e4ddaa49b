"""Template context shared by every page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

from qingqian.accounts.permissions import Perm, has_perm


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "LANGUAGES": settings.LANGUAGES,
        "debug_banner": settings.DEBUG,
        "language_next": language_next(request),
        "perms_stats": signed_in and has_perm(user, Perm.STATS_VIEW),
        "perms_signups": signed_in and has_perm(user, Perm.SIGNUP_REVIEW),
        "perms_findings": signed_in and has_perm(user, Perm.FINDINGS_MANAGE),
        "perms_typical_cases": signed_in and has_perm(user, Perm.TYPICAL_CASE_MANAGE),
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
