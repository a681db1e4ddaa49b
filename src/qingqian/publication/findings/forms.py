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
