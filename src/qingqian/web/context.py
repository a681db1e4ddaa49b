"""Template context shared by every page."""

from django.conf import settings

from qingqian.accounts.permissions import Perm, has_perm


def navigation(request):
    return {
        "LANGUAGES": settings.LANGUAGES,
        "debug_banner": settings.DEBUG,
        "perms_stats": has_perm(getattr(request, "user", None), Perm.STATS_VIEW)
        if getattr(request, "user", None) is not None and request.user.is_authenticated
        else False,
    }
