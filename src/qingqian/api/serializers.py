"""Input and output shapes of the API (types only; rules live in services)."""

from rest_framework import pagination, serializers

from qingqian.accounts.models import Organisation, User
from qingqian.parties.models import Enterprise


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    token_type = serializers.CharField()
    expires_at = serializers.DateTimeField()


class OrganisationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region_code", "parent"]


class MeOutput(serializers.ModelSerializer):
    organisation = OrganisationOutput(read_only=True)
    full_name = serializers.CharField(source="get_full_name")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "organisation", "enterprise"]


class EnterpriseOutput(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "type",
            "region_code",
            "address",
            "contact_name",
            "contact_phone",
            "industry",
            "staff",
            "revenue_wan",
            "assets_wan",
        ]


class EnterpriseUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=Enterprise.Type.choices)
    region_code = serializers.RegexField(r"^\d{6}$")
    address = serializers.CharField(max_length=255, allow_blank=True)
    contact_name = serializers.CharField(max_length=60, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, allow_blank=True)
    industry = serializers.CharField(max_length=40, allow_blank=True)
    staff = serializers.IntegerField(min_value=0, allow_null=True)
    revenue_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True
    )
    assets_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True
    )


class EnterpriseCreateInput(EnterpriseUpdateInput):
    uscc = serializers.CharField(max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("address", "contact_name", "contact_phone", "industry"):
            self.fields[name].required = False
        for name in ("staff", "revenue_wan", "assets_wan"):
            self.fields[name].required = False
