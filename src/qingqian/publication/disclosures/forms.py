"""Forms of the disclosure pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.core.form_fields import DateInput, YuanField
from qingqian.publication.disclosures.services import MAX_REASON
from qingqian.publication.models.disclosures import MAX_EXPLANATION, FilerGroup

HAS_OVERDUE_CHOICES = [
    ("yes", gettext_lazy("Yes: there were overdue unpaid SME contracts at the year end")),
    ("no", gettext_lazy("No: none")),
]


class DisclosureForm(forms.Form):
    """The body's figures at the year end, prefilled from the ledger; each change
    from the prefill with its reason (the service checks it)."""

    has_overdue = forms.ChoiceField(
        label=gettext_lazy("Overdue unpaid SME contracts at the year end"),
        choices=HAS_OVERDUE_CHOICES,
        widget=forms.RadioSelect,
    )
    overdue_count = forms.IntegerField(
        label=gettext_lazy("number of contracts at the year end"), min_value=0, required=False
    )
    overdue_amount = YuanField(label=gettext_lazy("amount at the year end (yuan)"))
    explanation = forms.CharField(
        label=gettext_lazy("explanation"),
        required=False,
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional, at most 500 characters."),
    )
    count_reason = forms.CharField(
        label=gettext_lazy("reason the number differs from the ledger"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount_reason = forms.CharField(
        label=gettext_lazy("reason the amount differs from the ledger"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    correction_reason = forms.CharField(
        label=gettext_lazy("reason for the correction"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["correction_reason"]

    def clean(self):
        data = super().clean()
        if data.get("has_overdue") == "no":
            # "None" means none: the number and amount left from the prefill do not count.
            for name in ("overdue_count", "overdue_amount"):
                self.errors.pop(name, None)
                data[name] = 0
        else:
            if data.get("overdue_count") is None and "overdue_count" not in self.errors:
                self.add_error("overdue_count", ValidationError(_("Give the number.")))
            if data.get("overdue_amount") is None and "overdue_amount" not in self.errors:
                self.add_error("overdue_amount", ValidationError(_("Give the amount.")))
        return data


class FlagCloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("what was found"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    """A disclosure period as the national administrator sets it."""

    year = forms.IntegerField(label=gettext_lazy("year disclosed"), min_value=2020, max_value=2100)
    filer_group = forms.ChoiceField(label=gettext_lazy("who files"), choices=FilerGroup.choices)
    opens_on = forms.DateField(label=gettext_lazy("filing opens on"), widget=DateInput())
    due_on = forms.DateField(label=gettext_lazy("due on"), widget=DateInput())
    remind_before_working_days = forms.IntegerField(
        label=gettext_lazy("reminder before the due date (working days)"), min_value=0, max_value=60
    )
    remind_after_working_days = forms.IntegerField(
        label=gettext_lazy("reminder after the due date (working days)"), min_value=0, max_value=60
    )
    tolerance = YuanField(
        label=gettext_lazy("tolerance (yuan)"),
        required=True,
        help_text=gettext_lazy(
            "A disclosed amount differing from the ledger by more than the larger of the two "
            "tolerances is flagged."
        ),
    )
    tolerance_percent = forms.DecimalField(
        label=gettext_lazy("tolerance (percent of the ledger amount)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    source = forms.CharField(label=gettext_lazy("legal source"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("file (CSV or XLSX)"))
    note = forms.CharField(
        label=gettext_lazy("where the disclosures were filed"),
        max_length=200,
        help_text=gettext_lazy(
            "For example: annual reports on the National Enterprise Credit Information "
            "Publicity System, exported on 2026-07-10."
        ),
    )
