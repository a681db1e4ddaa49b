from qingqian.core.admin import ReadOnlyAdmin, site
from qingqian.parties.models import Enterprise


class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "type", "region_code"]
    list_filter = ["type"]
    search_fields = ["name", "uscc"]


site.register(Enterprise, EnterpriseAdmin)
