"""Forms of the confirmation pages: types only; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import DateInput, RegionField, YuanField
from qingqian.core.messages import COVERAGE_RULE
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES, Subject

# The services' field names, as the forms name them.
REQUEST_FIELDS = {"debtor": "debtor_uscc", "amount_fen": "amount"}
ANSWER_FIELDS = {"confirmed_fen": "confirmed", "disputed_fen": "disputed"}


class RequestForm(forms.Form):
    debtor_uscc = forms.CharField(label=_("debtor's unified social credit code"), max_length=30)
    debtor_name = forms.CharField(label=_("debtor's name"), max_length=200)
    debtor_type = forms.ChoiceField(
        label=_("debtor type"), choices=DEBTOR_TYPE_CHOICES, help_text=COVERAGE_RULE
    )
    region_code = RegionField(label=_("debtor's region"), required=True)
    contract_number = forms.CharField(label=_("contract number"), max_length=100)
    contract_signed_on = forms.DateField(label=_("contract signing date"), widget=DateInput())
    subject = forms.ChoiceField(
        label=_("subject"), choices=[("", "—"), *Subject.choices], required=False
    )
    due_on = forms.DateField(label=_("payment due date"), widget=DateInput())
    amount = YuanField(label=_("amount to confirm (yuan)"), required=True)
    note = forms.CharField(
        label=_("note to the debtor"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def debtor(self) -> dict:
        data = self.cleaned_data
        return {
            "uscc": data["debtor_uscc"],
            "name": data["debtor_name"],
            "type": data["debtor_type"],
            "region_code": data["region_code"],
        }


class AnswerForm(forms.Form):
    confirmed = YuanField(label=_("amount confirmed (yuan)"), required=True)
    disputed = YuanField(
        label=_("amount disputed (yuan)"),
        help_text=_("The confirmed and the disputed amounts add up to the amount asked."),
    )
    reason = forms.CharField(
        label=_("reason for the dispute"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkAnswerForm(AnswerForm):
    answerer_name = forms.CharField(label=_("your name and position"), max_length=100)
