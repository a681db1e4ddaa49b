"""Form fields that several apps' pages share: dates typed in a date picker,
amounts typed in yuan, cleaned to integer fen with a message the person can act
on, and regions picked by name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingqian.core.money import MoneyError, parse_yuan
from qingqian.core.region_selectors import region_choices
from qingqian.core.regions import is_valid_region_code

MONEY_MESSAGES = {
    "empty": _("Enter an amount in yuan."),
    "invalid_format": _("Enter an amount in yuan, for example 1,234.56."),
    "not_ascii_digits": _("Use the digits 0 to 9."),
    "not_finite": _("Enter an amount in yuan, for example 1,234.56."),
    "exponent": _("Write the amount in full, without an exponent."),
    "bad_grouping": _("Thousands separators must split groups of three digits."),
    "leading_zero": _("Remove the leading zeros."),
    "too_many_decimals": _("Enter at most two decimals (fen)."),
    "too_large": _("The amount is too large."),
    "negative": _("The amount cannot be negative."),
    "zero": _("The amount cannot be zero."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YuanField(forms.CharField):
    """An amount typed in yuan; cleaned to integer fen (or None when left blank)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_yuan(text)
        except MoneyError as error:
            raise ValidationError(MONEY_MESSAGES.get(error.code, error.message)) from error


class RegionField(forms.ChoiceField):
    """A region picked by name: one list grouped by province (province, its
    prefectures, their counties), which needs no script; cleaned to the
    6-digit code. A code typed into a request by hand must be one of them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=self.grouped_choices, **kwargs)
        self.widget.attrs.setdefault("data-region-picker", "")
        # The labels of the three narrowing lists a script builds from this one.
        self.widget.attrs.update(
            {
                "data-label-province": _("province"),
                "data-label-city": _("city"),
                "data-label-county": _("county or district"),
            }
        )

    @staticmethod
    def grouped_choices():
        return [("", "—"), *region_choices()]

    def valid_value(self, value) -> bool:
        # A county whose year's list is not imported yet is still a valid code.
        return super().valid_value(value) or is_valid_region_code(value)
