"""Forms of the ledger pages: types only; the rules live in the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import DateInput, RegionField, YuanField
from qingqian.core.messages import COVERAGE_RULE
from qingqian.core.money import MoneyError, parse_yuan
from qingqian.core.queries import MAX_ID
from qingqian.ledger.models import LegalProceeding, PaymentMethod
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES, Notified, Subject

PAYMENT_METHODS = [(v, label) for v, label in PaymentMethod.choices if v != PaymentMethod.REPORTED]


class LedgerItemForm(forms.Form):
    debtor_uscc = forms.CharField(label=_("debtor's unified social credit code"), max_length=30)
    debtor_name = forms.CharField(label=_("debtor's name"), max_length=200)
    debtor_type = forms.ChoiceField(
        label=_("debtor type"), choices=DEBTOR_TYPE_CHOICES, help_text=COVERAGE_RULE
    )
    region_code = RegionField(label=_("debtor's region"), required=True)
    creditor_uscc = forms.CharField(
        label=_("creditor's (SME's) unified social credit code"), max_length=30
    )
    contract_number = forms.CharField(label=_("contract number"), max_length=100)
    contract_signed_on = forms.DateField(label=_("contract signing date"), widget=DateInput())
    subject = forms.ChoiceField(
        label=_("subject"), choices=[("", "—"), *Subject.choices], required=False
    )
    due_on = forms.DateField(label=_("payment due date"), widget=DateInput())
    owed = YuanField(label=_("amount owed (yuan)"), required=True)
    paid = YuanField(label=_("amount already paid (yuan)"))
    disputed = YuanField(label=_("amount disputed (yuan)"))
    agreed_rate_percent = forms.DecimalField(
        label=_("agreed overdue interest rate (% a year)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=3,
    )
    sme_notified_at_signing = forms.ChoiceField(
        label=_("SME status notified at signing"), choices=Notified.choices
    )
    notes = forms.CharField(label=_("notes"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sme_notified_at_signing"].initial = Notified.UNKNOWN


class EvidenceField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("evidence (PDF, JPEG, PNG, OFD, XLSX or DOCX)"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("payment date"), widget=DateInput(), initial=timezone.localdate
    )
    amount_fen = YuanField(label=_("amount (yuan)"), required=True)
    method = forms.ChoiceField(
        label=_("method"),
        choices=PAYMENT_METHODS,
        help_text=_("Commercial bills may not be forced on SMEs: they are flagged."),
    )
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    evidence = EvidenceField()


class ReverseForm(forms.Form):
    payment = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason for the reversal"), max_length=500)


class ConfirmForm(forms.Form):
    disputed_fen = YuanField(
        label=_("amount disputed (yuan)"), help_text=_("0 or blank: the amount is confirmed.")
    )
    note = forms.CharField(
        label=_("reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = EvidenceField()

    def clean_disputed_fen(self):
        return self.cleaned_data["disputed_fen"] or 0


class PlanForm(forms.Form):
    instalments = forms.CharField(
        label=_("instalments"),
        help_text=_("One per line: date and amount in yuan, e.g. 2026-12-31 50000.00"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_instalments(self) -> list[tuple[date, int]]:
        plan = []
        for number, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if line.strip():
                plan.append(_instalment(number, line))
        return plan


def _instalment(number: int, line: str) -> tuple[date, int]:
    parts = line.split()
    if len(parts) != 2:
        raise ValidationError(_("Line %(n)d: write a date and an amount.") % {"n": number})
    try:
        due_on = date.fromisoformat(parts[0])
    except ValueError:
        raise ValidationError(
            _("Line %(n)d: the date must look like 2026-12-31.") % {"n": number}
        ) from None
    try:
        return due_on, parse_yuan(parts[1], allow_zero=False)
    except MoneyError:
        raise ValidationError(
            _("Line %(n)d: the amount must be in yuan, e.g. 50000.00.") % {"n": number}
        ) from None


class LegalOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LegalProceeding.Kind.choices)
    body = forms.CharField(label=_("court or body"), max_length=200)
    case_number = forms.CharField(label=_("case number"), max_length=100, required=False)
    filed_on = forms.DateField(label=_("filing date"), widget=DateInput())


class LegalDecideForm(forms.Form):
    proceeding = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[c for c in LegalProceeding.Outcome.choices if c[0] != "pending"],
    )
    decided_on = forms.DateField(label=_("decision date"), widget=DateInput())
    enforcement = forms.CharField(label=_("enforcement"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("ledger return (CSV or XLSX)"),
        help_text=_("Use the template; a file with any bad row is refused as a whole."),
    )
    owner = forms.ModelChoiceField(label=_("keeping organisation"), queryset=None)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if owners.count() == 1:
            self.fields["owner"].initial = owners.first()
