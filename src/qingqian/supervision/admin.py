"""Supervision records in the (read-only) project admin."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from qingqian.core.admin import ReadOnlyAdmin, site
from qingqian.core.scoping import scope_for
from qingqian.supervision.dashboard import services as rule_services
from qingqian.supervision.models import LaggardRule, PublicNotice, SupervisionCase


class SupervisionCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "subject", "region_code", "state", "opened_on", "due_on"]
    list_filter = ["kind", "subject", "state"]
    search_fields = ["title", "region_code"]


class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "case", "state", "drafted_at"]
    list_filter = ["state"]
    search_fields = ["title"]


site.register(SupervisionCase, SupervisionCaseAdmin)
site.register(PublicNotice, PublicNoticeAdmin)


class LaggardRuleAdmin(admin.ModelAdmin):
    """Thresholds are data: the national administrator edits them here, through
    the audited services."""

    list_display = ["kind", "level", "stage", "threshold", "window_months", "active"]
    list_editable = ["threshold", "active"]
    list_filter = ["level", "kind", "active"]

    def has_module_permission(self, request):
        return site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_add_permission(self, request):
        return site.has_permission(request) and scope_for(request.user).everything

    has_change_permission = has_delete_permission = lambda self, request, obj=None: (
        self.has_add_permission(request)
    )

    def save_model(self, request, obj, form, change):
        rule_services.laggard_rule_save(
            actor=request.user, rule=obj, changed=list(form.changed_data)
        )

    def delete_model(self, request, obj):
        rule_services.laggard_rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            rule_services.laggard_rule_delete(actor=request.user, rule=rule)


site.register(LaggardRule, LaggardRuleAdmin)


# --- periodic information reports (read-only: reports change through their services) ---

from qingqian.supervision.models import (  # noqa: E402
    ProvincialReport,
    ReportDefinition,
    ReportFigure,
    ReportValue,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)


class ReportFigureInline(ReadOnlyInline):
    model = ReportFigure
    fields = ["position", "key"]
    readonly_fields = fields


class ReportDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["code", "chinese_name", "name_en", "frequency", "due_working_days", "active"]
    list_filter = ["frequency", "active"]
    exclude = ["name"]
    readonly_fields = ["chinese_name"]
    inlines = [ReportFigureInline]

    @admin.display(description=_("name"))
    def chinese_name(self, definition):
        """The Chinese name is Chinese text whatever the reader's language."""
        return format_html('<span lang="zh-Hans">{}</span>', definition.name)


class ReportValueInline(ReadOnlyInline):
    model = ReportValue
    fields = ["key", "prefilled", "value", "reason"]
    readonly_fields = fields


class ProvincialReportAdmin(ReadOnlyAdmin):
    list_display = ["definition", "period_start", "province_code", "state", "due_on"]
    list_filter = ["definition", "state"]
    search_fields = ["province_code"]
    inlines = [ReportValueInline]


site.register(ReportDefinition, ReportDefinitionAdmin)
site.register(ProvincialReport, ProvincialReportAdmin)
