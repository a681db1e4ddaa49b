"""The campaign target form: types only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import DateInput, YuanField
from qingqian.core.money import to_yuan_str
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES
from qingqian.supervision.targets.services import target_provinces

# Service field name → form field name.
ALIASES = {"min_owed_fen": "min_owed", "max_owed_fen": "max_owed"}


class CampaignTargetForm(forms.Form):
    name = forms.CharField(
        label=_("name"),
        max_length=200,
        help_text=_(
            "As the notice says it, e.g. undisputed arrears below ¥5 million cleared by 30 June."
        ),
    )
    min_owed = YuanField(
        label=_("owed at least (yuan)"),
        required=False,
        help_text=_("Leave empty for no lower bound."),
    )
    max_owed = YuanField(
        label=_("owed below (yuan)"),
        help_text=_("Items whose amount owed is below this amount are covered."),
    )
    provinces = forms.MultipleChoiceField(
        label=_("provinces"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every province."),
    )
    debtor_types = forms.MultipleChoiceField(
        label=_("debtor types"),
        required=False,
        choices=DEBTOR_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every debtor type."),
    )
    starts_on = forms.DateField(label=_("start date"), widget=DateInput)
    due_on = forms.DateField(label=_("due date"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].choices = target_provinces()

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "min_owed_fen": data["min_owed"],
            "max_owed_fen": data["max_owed"],
            "provinces": data["provinces"],
            "debtor_types": data["debtor_types"],
            "starts_on": data["starts_on"],
            "due_on": data["due_on"],
        }


def initial_from_target(target) -> dict:
    return {
        "name": target.name,
        "min_owed": None if target.min_owed_fen is None else to_yuan_str(target.min_owed_fen),
        "max_owed": to_yuan_str(target.max_owed_fen),
        "provinces": target.provinces,
        "debtor_types": target.types,
        "starts_on": target.starts_on,
        "due_on": target.due_on,
    }
