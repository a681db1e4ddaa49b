"""Input and output shapes of the API (types only; rules live in services)."""

import copy

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import pagination, serializers

from qingqian.accounts.models import Organisation, User
from qingqian.core import coverage
from qingqian.core.queries import MAX_ID
from qingqian.parties.models import Enterprise

# The base classes below carry comments, not docstrings: drf-spectacular would
# publish a base class's docstring as the description of every schema built on it.


class FieldTemplate:
    # Fields are built once per serializer class, not once per object: DRF
    # deep-copies (re-constructs) every declared field, and a model serializer
    # rebuilds them from the model, on each instance, which was the larger part
    # of reading a request and rendering a complaint. Each instance gets copies,
    # so a serializer may still change or drop fields for one request.

    def get_fields(self):
        template = type(self).__dict__.get("_field_template")
        if template is None:
            template = super().get_fields()
            type(self)._field_template = template
        return {name: _fresh(field) for name, field in template.items()}


class Serializer(FieldTemplate, serializers.Serializer):
    pass  # the API's plain serializer (inputs, queries, pages)


class OutputSerializer(FieldTemplate, serializers.ModelSerializer):
    pass  # the API's model serializer (outputs)


def _fresh(field: serializers.Field) -> serializers.Field:
    """A template field for one serializer instance. A plain field is copied
    shallowly: binding it to its parent sets attributes of the copy only, and
    validating or rendering changes nothing it shares (DRF's deep copy re-runs
    every field's constructor). A field bound to fields of its own (a nested
    serializer, a list or dict of a child field, a many-related field) is built
    anew, so that no two requests share a child."""
    if isinstance(
        field,
        serializers.BaseSerializer
        | serializers.ListField
        | serializers.DictField
        | serializers.ManyRelatedField,
    ):
        return copy.deepcopy(field)
    return copy.copy(field)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def paged(request, view, rows, output):
    """One page of `rows`, each rendered by `output`: a serializer class, or a
    function of one row."""
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    if isinstance(output, type):
        return paginator.get_paginated_response(output(page, many=True).data)
    return paginator.get_paginated_response([output(row) for row in page])


class ErrorOutput(Serializer):
    """The shape of every API error."""

    code = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


ERROR_TEXT = {
    400: "Invalid: `fields` names each problem.",
    401: "Not signed in, or the token is wrong or expired.",
    403: "You may not do this.",
    404: "No such record in your scope.",
    429: "Too many attempts; wait and try again.",
}


def error_responses(*codes: int, texts: dict[int, str] | None = None) -> dict:
    """The documented error answers; `texts` words them for one resource."""
    texts = {**ERROR_TEXT, **(texts or {})}
    return {code: OpenApiResponse(ErrorOutput, description=texts[code]) for code in codes}


def read_query(request, serializer_class) -> dict:
    """The query string checked by a serializer (a 400 naming the fields, if not)."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def page_of(item_serializer, name: str):
    """A paginated list's schema: count, next, previous, results."""
    return type(
        name,
        (Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
        },
    )


class TokenRequest(Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="For an account with two-factor sign-in: the current six-digit code "
        "of its authenticator app, or one unused recovery code (spent by this request).",
    )


class TokenResponse(Serializer):
    token = serializers.CharField()
    token_type = serializers.CharField()
    expires_at = serializers.DateTimeField()


class OrganisationOutput(OutputSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region_code", "parent", "is_active"]


class MeOutput(OutputSerializer):
    organisation = OrganisationOutput(read_only=True, allow_null=True)
    full_name = serializers.CharField(source="get_full_name")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "organisation", "enterprise"]


class EnterpriseOutput(OutputSerializer):
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


class EnterpriseUpdateInput(Serializer):
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=Enterprise.Type.choices, help_text=coverage.RULE_TEXT)
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


EnterprisePage = page_of(EnterpriseOutput, "EnterprisePage")
OrganisationPage = page_of(OrganisationOutput, "OrganisationPage")


# --- a debtor by id or by its particulars (complaints and ledger items) ---------------


class DebtorInput(Serializer):
    uscc = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=Enterprise.Type.choices, help_text=coverage.RULE_TEXT)
    region_code = serializers.CharField(max_length=6)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


DEBTOR_SCHEMA = {
    "oneOf": [
        {"type": "integer", "description": "The id of a known enterprise."},
        {
            "type": "object",
            "description": "A debtor by credit code: the known one, or a new record.",
            "properties": {
                "uscc": {"type": "string", "maxLength": 30},
                "name": {"type": "string", "maxLength": 200},
                "type": {
                    "type": "string",
                    "enum": Enterprise.Type.values,
                    "description": coverage.RULE_TEXT,
                },
                "region_code": {"type": "string", "maxLength": 6},
                "address": {"type": "string", "maxLength": 255},
                "contact_name": {"type": "string", "maxLength": 60},
                "contact_phone": {"type": "string", "maxLength": 30},
            },
            "required": ["uscc", "name", "type", "region_code"],
        },
    ]
}


@extend_schema_field(DEBTOR_SCHEMA)
class DebtorField(serializers.Field):
    """An enterprise id (int) or the debtor's particulars (object)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give the debtor's id or its particulars."),
    }

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            if not 1 <= data <= MAX_ID:  # no such row; a larger id would overflow a lookup
                self.fail("invalid")
            return data
        if not isinstance(data, dict):
            self.fail("invalid")
        particulars = DebtorInput(data=data)
        if not particulars.is_valid():
            raise serializers.ValidationError(particulars.errors)
        return dict(particulars.validated_data)
