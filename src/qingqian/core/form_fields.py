"""Form fields that several apps' pages share: dates typed in a date picker and
amounts typed in yuan, cleaned to integer fen with a message the person can act on."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingqian.core.money import MoneyError, parse_yuan

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
