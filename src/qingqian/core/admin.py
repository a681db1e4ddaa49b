"""The Django admin: for administrators only, and read-only, because every
change must go through a service that writes its audit event."""

import json

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from qingqian.core.models import AuditEvent, CalendarDay, CalendarYear, LprRate, Region


class QingqianAdminSite(admin.AdminSite):
    site_header = _("Qingqian administration")
    site_title = _("Qingqian")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.is_administrator

    def login(self, request, extra_context=None):
        """The site's own sign-in, with its second step: the admin's form would skip it."""
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


site = QingqianAdminSite(name="admin")

# Django's Chinese catalogue lacks the admin index's (screen-reader) column
# headings; naming them here keeps them in ours, which takes precedence.
ADMIN_HEADINGS = (gettext_noop("Model name"), gettext_noop("Add link"),
                  gettext_noop("Change or view list link"))  # fmt: skip


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_module_permission(self, request):
        return site.has_permission(request)


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "actor", "verb", "target_type", "target_id"]
    list_filter = ["verb"]
    search_fields = ["target_id", "verb"]
    exclude = ["payload"]
    readonly_fields = ["details"]

    @admin.display(description=_("details"))
    def details(self, event):
        """The payload as the JSON it is (field names and codes, not prose)."""
        return format_html("<code>{}</code>", json.dumps(event.payload, ensure_ascii=False))


@admin.register(CalendarDay, site=site)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]


site.register(CalendarYear, ReadOnlyAdmin)
site.register(LprRate, ReadOnlyAdmin)
site.register(Region, ReadOnlyAdmin)
