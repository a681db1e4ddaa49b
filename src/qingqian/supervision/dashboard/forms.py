"""The laggard-rule form: types and ranges only; the service checks the rest."""

from __future__ import annotations

from django import forms

from qingqian.supervision.models import LaggardRule


class LaggardRuleForm(forms.ModelForm):
    class Meta:
        model = LaggardRule
        fields = ["threshold", "window_months", "active"]
        widgets = {"window_months": forms.NumberInput(attrs={"min": 1, "max": 120})}
