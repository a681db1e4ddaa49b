"""The demand letter form: types only; the rules (who writes, the interest,
the deadline) live in the service, whose errors land on the fields they name."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import DateInput, YuanField
from qingqian.core.money import MoneyError, parse_yuan
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES, Notified
from qingqian.services.letters import selectors
from qingqian.services.letters.services import MAX_TEXT

# The public interest calculator's query parameters, and the fields they fill.
PREFILL = {
    "principal": "principal_fen",
    "due": "due_on",
    "end": "interest_as_of",
    "agreed_rate": "agreed_rate_percent",
    "signed": "contract_signed_on",
}
MAX_PAYMENTS = 50


class PaymentsField(forms.CharField):
    """Payments received, one a line: date and amount in yuan (2025-04-10 4000.00)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        text = super().clean(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_PAYMENTS:
            raise ValidationError(_("At most %(count)s payments.") % {"count": MAX_PAYMENTS})
        return [_payment(number, line) for number, line in enumerate(lines, start=1)]


def _payment(number: int, line: str) -> tuple[date, int]:
    day, _sep, amount = line.replace(":", " ", 1).replace("，", " ").partition(" ")
    try:
        return date.fromisoformat(day.strip()), parse_yuan(amount.strip(), allow_zero=False)
    except (ValueError, MoneyError):
        raise ValidationError(
            _("Line %(number)s: write a date and an amount, like 2025-04-10 4000.00.")
            % {"number": number}
        ) from None


class DemandLetterForm(forms.Form):
    debtor_name = forms.CharField(label=_("debtor's name"), max_length=MAX_TEXT["debtor_name"])
    debtor_uscc = forms.CharField(label=_("debtor's unified social credit code"), max_length=30)
    debtor_address = forms.CharField(
        label=_("address of the debtor"), max_length=MAX_TEXT["debtor_address"], required=False
    )
    debtor_type = forms.ChoiceField(label=_("debtor type"), choices=DEBTOR_TYPE_CHOICES)
    contract_title = forms.CharField(
        label=_("contract title"), max_length=MAX_TEXT["contract_title"]
    )
    contract_number = forms.CharField(
        label=_("contract number"), max_length=MAX_TEXT["contract_number"], required=False
    )
    contract_signed_on = forms.DateField(label=_("contract signing date"), widget=DateInput())
    sme_notified_at_signing = forms.ChoiceField(
        label=_("Did you tell the buyer at signing that you are an SME?"),
        choices=Notified.choices,
        widget=forms.RadioSelect,
    )
    principal_fen = YuanField(label=_("amount owed (yuan)"), required=True)
    due_on = forms.DateField(label=_("due date"), widget=DateInput())
    payments = PaymentsField(
        label=_("payments already received"),
        required=False,
        help_text=_("One a line: the date and the amount in yuan, e.g. 2025-04-10 4000.00."),
    )
    interest_as_of = forms.DateField(label=_("count interest up to"), widget=DateInput())
    agreed_rate_percent = forms.DecimalField(
        label=_("agreed annual rate of overdue interest (%)"),
        required=False,
        min_value=0,
        max_value=99,
        decimal_places=4,
        help_text=_("Leave blank if the contract agrees none: 0.05% a day applies."),
    )
    letter_date = forms.DateField(
        label=_("letter date"), required=False, widget=DateInput(), help_text=_("Today if blank.")
    )
    pay_by = forms.DateField(
        label=_("deadline to pay"),
        required=False,
        widget=DateInput(),
        help_text=_("If blank: 10 working days after the letter date."),
    )

    BLOCKS = (
        (_("The debtor"), ("debtor_name", "debtor_uscc", "debtor_address", "debtor_type")),
        (
            _("The contract"),
            ("contract_title", "contract_number", "contract_signed_on", "sme_notified_at_signing"),
        ),
        (
            _("Amounts and dates"),
            ("principal_fen", "due_on", "payments", "interest_as_of", "agreed_rate_percent"),
        ),
        (_("The letter"), ("letter_date", "pay_by")),
    )

    def blocks(self):
        """The fieldsets of the form, in order: (legend, bound fields)."""
        return [(legend, [self[name] for name in names]) for legend, names in self.BLOCKS]


class AttachForm(forms.Form):
    """Which of the SME's draft or open complaints the letter goes to."""

    complaint = forms.ModelChoiceField(queryset=None, label=_("complaint"))

    def __init__(self, *args, actor, letter, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["complaint"]
        attached = letter.attachments.values("complaint")
        field.queryset = selectors.attachable_complaints(actor=actor).exclude(pk__in=attached)
        field.label_from_instance = complaint_label


def complaint_label(complaint) -> str:
    """Its tracking number (a draft has none yet: its creation date), debtor and state."""
    if complaint.tracking_number:
        name = complaint.tracking_number
    else:
        name = _("draft of %(date)s") % {"date": complaint.created_at.date().isoformat()}
    parts = [name, complaint.debtor.name if complaint.debtor else "", complaint.get_state_display()]
    return " · ".join(part for part in parts if part)


def initial_from_query(query) -> dict:
    """The form's starting values from the interest calculator's query string."""
    initial = {field: query[name] for name, field in PREFILL.items() if query.get(name)}
    lines = [line.strip() for text in query.getlist("payment") for line in text.splitlines()]
    payments = [line.replace(":", " ", 1) for line in lines if line]
    if payments:
        initial["payments"] = "\n".join(payments)
    return initial
