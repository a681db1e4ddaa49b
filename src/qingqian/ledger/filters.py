"""The filters of the ledger item list, one definition for the pages and the API.

The FilterSet only parses and validates: the selectors take the parsed values as
a `LedgerFilter`, because the totals answer the same filters from the summary
table, which a filtered queryset cannot do.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import YuanField
from qingqian.core.queries import MAX_ID
from qingqian.ledger.models import Category, LedgerItem, Status
from qingqian.ledger.selectors import AGE_BUCKETS, LedgerFilter
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES


class ParsedFilter(django_filters.Filter):
    """A form field for one `LedgerFilter` attribute (`field_name`)."""

    def __init__(self, field_class: type[forms.Field], field_name: str, **kwargs):
        super().__init__(field_name=field_name, **kwargs)
        self.field_class = field_class


def any_of(choices) -> list[tuple[str, str]]:
    return [("", _("all")), *choices]


def choice(field_name: str, label, choices) -> ParsedFilter:
    return ParsedFilter(forms.ChoiceField, field_name, label=label, choices=any_of(choices))


def enterprise(field_name: str) -> ParsedFilter:
    return ParsedFilter(
        forms.IntegerField,
        field_name,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
    )


def contract_number() -> ParsedFilter:
    return ParsedFilter(
        forms.CharField, "contract_number", label=_("contract number"), max_length=100
    )


def search() -> ParsedFilter:
    return ParsedFilter(
        forms.CharField,
        "search",
        label=_("search"),
        min_length=2,  # one character matches too much to be of use, or to be fast
        max_length=100,
        help_text=_(
            "Part of a debtor's or creditor's name, or the start of a credit code "
            "or contract number."
        ),
    )


class LedgerItemFilter(django_filters.FilterSet):
    region = ParsedFilter(
        forms.RegexField,
        "region",
        label=_("region code (or its first digits)"),
        regex=r"^[0-9]{2,6}$",
    )
    debtor_type = choice("debtor_type", _("debtor type"), DEBTOR_TYPE_CHOICES)
    status = choice("status", _("status"), Status.choices)
    category = choice("category", _("category"), Category.choices)
    age = choice("age", _("days overdue"), [(key, key) for key in AGE_BUCKETS])
    min_owed = ParsedFilter(YuanField, "min_owed_fen", label=_("owed from (yuan)"))
    max_owed = ParsedFilter(YuanField, "max_owed_fen", label=_("owed up to (yuan)"))
    q = search()
    debtor = enterprise("debtor_id")
    creditor = enterprise("creditor_id")

    class Meta:
        model = LedgerItem
        fields: list[str] = []  # the declared filters only

    def ledger_filter(self) -> LedgerFilter:
        """What the selectors filter by: nothing unless the data is valid (the page
        names the errors, the API refuses them)."""
        if not self.is_valid():
            return LedgerFilter()
        data = self.form.cleaned_data
        return LedgerFilter(**{f.field_name: data[name] for name, f in self.filters.items()})
