from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import RegionField
from qingqian.core.messages import industry_label, uscc_error_message
from qingqian.core.sizeclass import list_industries
from qingqian.core.uscc import check_uscc
from qingqian.parties.models import Enterprise

SIZE_FIELDS = ["industry", "staff", "revenue_wan", "assets_wan"]
CONTACT_FIELDS = ["address", "contact_name", "contact_phone"]


def industry_choices():
    return [("", _("— not given —"))] + [
        (industry.id, industry_label(industry)) for industry in list_industries()
    ]


class EnterpriseForm(forms.ModelForm):
    """Type checks only; the rules live in parties.services."""

    industry = forms.ChoiceField(label=_("industry"), required=False, choices=industry_choices)

    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "type", "region_code", *CONTACT_FIELDS, *SIZE_FIELDS]
        help_texts = {
            "uscc": _("18 characters, as printed on the business licence."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Uniqueness and format are checked by the service, with the clearer message.
        if "uscc" in self.fields:
            self.fields["uscc"].validators = []
        if "region_code" in self.fields:
            self.fields["region_code"] = RegionField(
                label=self.fields["region_code"].label,
                required=self.fields["region_code"].required,
                help_text=_("Province, city or county where the enterprise is registered."),
            )

    def clean_uscc(self):
        """Check the code with the other fields, so every error shows at once
        (the service checks it again, with uniqueness, for every caller)."""
        result = check_uscc(self.cleaned_data["uscc"])
        if not result.valid:
            raise forms.ValidationError(uscc_error_message(result))
        return result.code


class EnterpriseEditForm(EnterpriseForm):
    class Meta(EnterpriseForm.Meta):
        fields = ["name", "type", "region_code", *CONTACT_FIELDS, *SIZE_FIELDS]


class EnterpriseOwnForm(EnterpriseForm):
    """What an SME user or debtor representative may change about their own enterprise."""

    class Meta(EnterpriseForm.Meta):
        fields = [*CONTACT_FIELDS, *SIZE_FIELDS]
