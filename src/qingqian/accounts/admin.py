from qingqian.accounts.models import ApiToken, Organisation, User
from qingqian.core.admin import ReadOnlyAdmin, site


class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "region_code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "region_code"]


class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "role", "organisation", "enterprise", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name"]
    exclude = ["password"]


class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at"]
    exclude = ["key_hash"]


site.register(Organisation, OrganisationAdmin)
site.register(User, UserAdmin)
site.register(ApiToken, ApiTokenAdmin)
