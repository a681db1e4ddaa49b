"""Forms of legal aid: types and choices only; the rules are in legalaid.services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.regions import lookup, prefectures
from qingqian.services.models import AidRequest

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What you need"), choices=AidRequest.Kind.choices, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=AidRequest.Topic.choices)
    description = forms.CharField(
        label=_("Describe the matter"), widget=forms.Textarea(attrs={"rows": 5})
    )
    region_code = forms.ChoiceField(label=_("Region"))
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=AidRequest.Urgency.choices,
        initial=AidRequest.Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("An urgent request is answered within 1 working day, others within 3."),
    )
    complaint = forms.ModelChoiceField(label=_("Linked complaint"), queryset=None, required=False)
    ledger_item = forms.ModelChoiceField(
        label=_("Linked ledger item"), queryset=None, required=False
    )

    def __init__(self, *args, enterprise, complaints, ledger_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = region_choices(enterprise.region_code)
        self.fields["region_code"].initial = enterprise.region_code[:4] + "00"
        self.fields["complaint"].queryset = complaints
        self.fields["ledger_item"].queryset = ledger_items
        self.fields["ledger_item"].label_from_instance = lambda item: (
            f"{item.contract_number} · {item.debtor.name}"
        )


def region_choices(region_code: str) -> list[tuple[str, str]]:
    """The enterprise's province and its prefectures."""
    province_code = region_code[:2] + "0000"
    province = lookup(province_code)
    choices = [(province_code, province.name if province else province_code)]
    return choices + [(p.code, p.name) for p in prefectures(province_code)]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AppointmentForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = forms.ChoiceField(
        label=_("Where"), choices=AidRequest.Place.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Address or link, and what to bring"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Advice given or outcome"), widget=forms.Textarea(attrs={"rows": 5})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 is the best."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Legal service"), queryset=None)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class CoverageForm(forms.Form):
    region_codes = forms.CharField(
        label=_("Regions covered besides its own"),
        required=False,
        help_text=_("6-digit region codes, separated by spaces or commas."),
    )

    def clean_region_codes(self) -> list[str]:
        return [code for code in re.split(r"[\s,，、]+", self.cleaned_data["region_codes"]) if code]
