"""The calculators' forms: they lay the fields out and carry the refusals; the
parsing and every rule are `core.calculators`', through `answers`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import DateInput
from qingqian.parties.forms import industry_choices
from qingqian.services.calculators.labels import BUYER_TYPES, FIELDS


def _text(name: str, *, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(
        label=FIELDS[name],
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


def _date(name: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=FIELDS[name], required=False, help_text=help_text, widget=DateInput()
    )


def _flag(name: str, *, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=FIELDS[name], required=False, help_text=help_text)


class CalculatorForm(forms.Form):
    """Every field is text the calculator parses; the form never refuses a value itself."""

    def refuse(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)


class InterestForm(CalculatorForm):
    principal = _text("principal", inputmode="decimal")
    due = _date("due", help_text=_("The last day the buyer could lawfully pay."))
    end = _date("end", help_text=_("Interest is counted up to and including this day."))
    agreed_rate = _text(
        "agreed_rate",
        inputmode="decimal",
        help_text=_("Leave blank if the contract agrees none: 0.05% a day then applies."),
    )
    signed = _date("signed", help_text=_("Needed with an agreed rate, and to flag old contracts."))
    payment = forms.CharField(
        label=FIELDS["payment"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, date:amount, for example 2025-04-10:4000.00."),
    )
    from_regulations_start = _flag(
        "from_regulations_start",
        help_text=_("For a contract signed before 2020-09-01; courts split on this."),
    )


class DeadlineForm(CalculatorForm):
    start = _date("start", help_text=_("The day of the event; counting starts the next day."))
    working_days = _text("working_days", inputmode="numeric")
    days = _text(
        "days",
        inputmode="numeric",
        help_text=_("Fill in one of the two: working days or calendar days."),
    )
    provisional = _flag("provisional")


class SizeForm(CalculatorForm):
    industry = forms.CharField(
        label=FIELDS["industry"], required=False, widget=forms.Select(choices=industry_choices)
    )
    staff = _text("staff", inputmode="numeric")
    revenue = _text("revenue", inputmode="decimal")
    assets = _text("assets", inputmode="decimal")
    date = _date("date", help_text=_("Use the contract signing date; blank means today."))


class PaymentTermForm(CalculatorForm):
    buyer_type = forms.CharField(
        label=FIELDS["buyer_type"],
        required=False,
        widget=forms.Select(choices=[("", "—"), *BUYER_TYPES.items()]),
    )
    signed = _date("signed", help_text=_("The version of the Regulations in force then applies."))
    delivered = _date("delivered")
    accepted = _date("accepted", help_text=_("Only where payment depends on acceptance."))
    acceptance_ends = _date("acceptance_ends")
    settled = _date("settled", help_text=_("Only for settlement by progress or by period."))
    agreed_days = _text("agreed_days", inputmode="numeric")
    third_party = _flag("third_party")
