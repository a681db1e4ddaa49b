"""Forms of the findings' steps: types only; the rules are in findings.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.publication.models import CreditList


class TextForm(forms.Form):
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 4}))


class DecideForm(forms.Form):
    credit_list = forms.ModelChoiceField(
        label=_("list"), queryset=CreditList.objects.filter(is_active=True)
    )
    legal_basis = forms.CharField(label=_("legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(label=_("facts found"), widget=forms.Textarea(attrs={"rows": 4}))


class CreditListForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=200)
    legal_basis = forms.CharField(label=_("legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(
        label=_("source of the period and conditions"),
        max_length=300,
        help_text=_("The measure in force, with its article, that fixes these numbers."),
    )
    publication_months = forms.IntegerField(label=_("publication period (months)"), min_value=1)
    defence_working_days = forms.IntegerField(
        label=_("time to state its case (working days)"), min_value=1
    )
    repair_conditions = forms.CharField(
        label=_("conditions of credit repair"), widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("in use"), required=False, initial=True)
