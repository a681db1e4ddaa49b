from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qingqian.notifications import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(actor=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": selectors.notification_list(
                actor=request.user, unread_only=True
            ).count(),
        },
    )


@require_POST
@login_required
def notification_read(request, pk):
    """Mark one message read, then go to its record (`open`) or back to the inbox."""
    notification = selectors.notification_get(actor=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("open") and _is_local(request, notification.url):
        return redirect(notification.url)
    return redirect("inbox")


def _is_local(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
