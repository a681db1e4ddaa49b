"""The query of the item list, the totals and the export: the ledger's own filter
definition (`qingqian.ledger.filters`) under the API's names, documented for the
schema from that definition."""

from __future__ import annotations

from django import forms
from rest_framework import exceptions, serializers

from qingqian.api.common import enum
from qingqian.api.complaints.serializers import YuanField
from qingqian.api.filtering import problems_of
from qingqian.api.serializers import Serializer
from qingqian.core import form_fields
from qingqian.core.queries import MAX_ID
from qingqian.ledger.filters import LedgerItemFilter, contract_number
from qingqian.ledger.selectors import PAGE_SIZE, LedgerFilter

MAX_PAGE_SIZE = 500


class LedgerItemQuery(LedgerItemFilter):
    """The pages' search `q`, and an exact contract number `contract`."""

    contract = contract_number()


# The schema's words for the filters: named enums, and what each means.
ENUMS = {
    "debtor_type": "LedgerDebtorTypeEnum",
    "status": "LedgerStatusEnum",
    "category": "LedgerCategoryEnum",
    "age": "LedgerAgeEnum",
}
DESCRIPTIONS = {
    "region": "Region code prefix of the debtor's location: 44, 4401, 440104.",
    "age": "Days overdue, for items not cleared or written off.",
    "contract": "A contract number, exactly.",
    "q": "Part of a debtor's or creditor's name, or the start of a credit code or contract number.",
}


def documented_field(name: str, field: forms.Field) -> serializers.Field:
    """A filter's form field as the API field of the same type (for the schema)."""
    options = {"required": False}
    if name in DESCRIPTIONS:
        options["help_text"] = DESCRIPTIONS[name]
    if isinstance(field, form_fields.YuanField):
        return YuanField(**options)
    if isinstance(field, forms.ChoiceField):
        return enum(ENUMS[name], [value for value, _label in field.choices if value], **options)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, **options
        )
    if isinstance(field, forms.RegexField):
        return serializers.RegexField(field.regex.pattern, allow_blank=True, **options)
    return serializers.CharField(allow_blank=True, max_length=field.max_length, **options)


LedgerFilterParameters = type(
    "LedgerFilterParameters",
    (Serializer,),
    {name: documented_field(name, field) for name, field in LedgerItemQuery().form.fields.items()},
)


class LedgerPageInput(Serializer):
    after = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The `next_after` of the previous page: items with a smaller id follow.",
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE
    )


class ExportFormatInput(Serializer):
    format = enum("LedgerExportFormatEnum", ["csv", "xlsx"], required=False, default="csv")


def read_filters(request, rest_class: type[Serializer] | None = None) -> tuple[LedgerFilter, dict]:
    """The filters of the query, and the rest of it (paging, format) checked by
    `rest_class`: every invalid parameter is named at once, in one 400."""
    filterset = LedgerItemQuery(request.query_params)
    problems = problems_of(filterset)
    rest = {}
    if rest_class is not None:
        query = rest_class(data=request.query_params)
        if query.is_valid():
            rest = dict(query.validated_data)
        problems.update(query.errors)
    if problems:
        raise exceptions.ValidationError(problems)
    return filterset.ledger_filter(), rest
