"""Forms of the complaint pages: type checks only; the rules live in the services.

Amounts are typed in yuan and become integer fen here (`YuanField`); every
refusal names the field the person has to correct.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qingqian.accounts.models import Organisation
from qingqian.accounts.rules import may_have_authority
from qingqian.accounts.selectors import organisation_subtree
from qingqian.complaints.models import Channel, NotAcceptedGround, ResultKind
from qingqian.complaints.routing import routing_scope
from qingqian.complaints.validation import DEBTOR_PARTICULARS
from qingqian.core import regions
from qingqian.core.form_fields import DateInput, RegionField, YuanField
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import COVERAGE_RULE
from qingqian.core.money import to_yuan_str
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES, Notified, Subject

OFFICIAL_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the evidence service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def apply_service_error(form: forms.Form, error: ValidationError, aliases: dict) -> None:
    """A service's ValidationError on the form's fields, renaming the service's
    field names (e.g. `amount_owed_fen`) to the form's (`amount_owed`)."""
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {aliases.get(name, name): messages for name, messages in error.error_dict.items()}
        )
    apply_validation_error(form, error)


# --- intake ---------------------------------------------------------------------

COMPLAINANT_FIELDS = ("complainant_uscc", "channel", "source_reference")
DEBTOR_FIELDS = tuple(f"debtor_{name}" for name in DEBTOR_PARTICULARS)
ARREARS_FIELDS = (
    "contract_number",
    "contract_signed_on",
    "subject",
    "delivered_on",
    "payment_due_on",
    "amount_owed",
    "amount_paid",
)
CLAIM_FIELDS = ("request_text", "facts_text", "sme_notified_at_signing")
# The complaint fields that keep their names between the form and the model.
SAME_NAME_FIELDS = (
    "contract_number",
    "contract_signed_on",
    "subject",
    "delivered_on",
    "payment_due_on",
    "request_text",
    "facts_text",
    "sme_notified_at_signing",
    "undertaking",
)
# Service field name → form field name.
INTAKE_ALIASES = {
    "amount_owed_fen": "amount_owed",
    "amount_paid_fen": "amount_paid",
    "debtor": "debtor_uscc",
    "uscc": "debtor_uscc",
    "name": "debtor_name",
    "type": "debtor_type",
    "region_code": "debtor_region_code",
    "address": "debtor_address",
    "contact_name": "debtor_contact_name",
    "contact_phone": "debtor_contact_phone",
    "file": "evidence",
    "complainant": "complainant_uscc",
}


class ComplaintForm(forms.Form):
    """The guided intake form. Every field may be blank in a draft; submission
    is checked in full by `complaints.services.complaint_submit`."""

    complainant_uscc = forms.CharField(
        label=_("complainant's unified social credit code"),
        required=False,
        max_length=18,
        help_text=_("The SME on whose behalf you record this complaint."),
    )
    channel = forms.ChoiceField(label=_("channel"), choices=OFFICIAL_CHANNELS, required=False)
    source_reference = forms.CharField(
        label=_("sender's reference"),
        required=False,
        max_length=100,
        help_text=_(
            "For a complaint transferred from the national platform or the "
            '"Internet + supervision" channel: the sender\'s reference.'
        ),
    )

    debtor_name = forms.CharField(label=_("debtor's full name"), required=False, max_length=200)
    debtor_uscc = forms.CharField(
        label=pgettext_lazy("complaint", "debtor's unified social credit code"),
        required=False,
        max_length=18,
        help_text=_("18 characters, as printed on the business licence."),
    )
    debtor_type = forms.ChoiceField(
        label=pgettext_lazy("complaint", "debtor type"),
        choices=[("", "—"), *DEBTOR_TYPE_CHOICES],
        required=False,
        help_text=COVERAGE_RULE,
    )
    debtor_region_code = RegionField(
        label=pgettext_lazy("complaint", "debtor's region"),
        help_text=_("Province, city or county where the debtor is registered."),
    )
    debtor_address = forms.CharField(label=_("debtor's address"), required=False, max_length=255)
    debtor_contact_name = forms.CharField(
        label=_("debtor's contact person"), required=False, max_length=60
    )
    debtor_contact_phone = forms.CharField(
        label=_("debtor's contact phone"), required=False, max_length=30
    )

    contract_number = forms.CharField(label=_("contract number"), required=False, max_length=64)
    contract_signed_on = forms.DateField(
        label=_("contract signing date"), required=False, widget=DateInput()
    )
    subject = forms.ChoiceField(
        label=_("subject"), choices=[("", "—"), *Subject.choices], required=False
    )
    delivered_on = forms.DateField(
        label=_("delivery or acceptance date"), required=False, widget=DateInput()
    )
    payment_due_on = forms.DateField(
        label=_("agreed payment date"), required=False, widget=DateInput()
    )
    amount_owed = YuanField(
        label=_("amount owed (yuan)"), help_text=_("The contract amount due, e.g. 128,000.00.")
    )
    amount_paid = YuanField(
        label=_("amount already paid (yuan)"), help_text=_("0 if nothing was paid.")
    )

    request_text = forms.CharField(
        label=_("request"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you ask for, e.g. payment of the amount outstanding and interest."),
    )
    facts_text = forms.CharField(
        label=_("facts"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was supplied, when, what was accepted, and what is unpaid."),
    )
    sme_notified_at_signing = forms.ChoiceField(
        label=_("SME status notified at signing"),
        choices=Notified.choices,
        initial=Notified.UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Did you tell the buyer at signing that you are an SME?"),
    )
    evidence = MultipleFileField(
        label=_("evidence files"),
        help_text=_(
            "Contract, delivery or acceptance record, invoices, reconciliation statements: "
            "PDF, JPEG, PNG, OFD, XLSX or DOCX."
        ),
    )
    undertaking = forms.BooleanField(
        label=_(
            "I undertake that no court, arbitration body, other agency or mediation body "
            "has taken the matter up."
        ),
        required=False,
    )
    # Files already on the draft to take off it (rendered with the list of files).
    remove_evidence = forms.TypedMultipleChoiceField(
        label=_("remove"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, official: bool = False, evidence_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.official = official
        self.fields["remove_evidence"].choices = [
            (item.pk, item.original_name) for item in evidence_items
        ]
        if official:
            self.fields["complainant_uscc"].widget.attrs["list"] = "sme-options"
        else:
            for name in COMPLAINANT_FIELDS:
                del self.fields[name]

    def blocks(self):
        """The fieldsets of the form, in order: (legend, fields)."""
        blocks = [
            (_("Debtor"), DEBTOR_FIELDS),
            (_("Arrears"), ARREARS_FIELDS),
            (_("Request and facts"), CLAIM_FIELDS),
            (_("Evidence"), ("evidence",)),
            (_("Undertaking"), ("undertaking",)),
        ]
        if self.official:
            blocks.insert(0, (_("Complainant"), COMPLAINANT_FIELDS))
        return [(legend, [self[name] for name in names]) for legend, names in blocks]

    def clean_debtor_uscc(self):
        return self.cleaned_data["debtor_uscc"].strip().upper()

    def clean_complainant_uscc(self):
        return self.cleaned_data["complainant_uscc"].strip().upper()

    def names_a_debtor(self) -> bool:
        return any(self.cleaned_data.get(name) for name in DEBTOR_FIELDS)

    def debtor_fields(self) -> dict:
        """Keyword arguments of `enterprise_find_or_register_debtor`."""
        return {
            name.removeprefix("debtor_"): self.cleaned_data.get(name) or ""
            for name in DEBTOR_FIELDS
        }

    def complaint_fields(self) -> dict:
        """Keyword arguments of the draft services (without the debtor): the fields
        that are valid, so that a draft keeps them while the others are corrected."""
        data = self.cleaned_data
        fields = {name: data[name] for name in SAME_NAME_FIELDS if name in data}
        if "subject" in fields:
            fields["subject"] = fields["subject"] or ""
        if "sme_notified_at_signing" in fields:
            fields["sme_notified_at_signing"] = (
                fields["sme_notified_at_signing"] or Notified.UNKNOWN
            )
        if "amount_owed" in data:
            fields["amount_owed_fen"] = data["amount_owed"]
        if "amount_paid" in data:
            fields["amount_paid_fen"] = data["amount_paid"] or 0
        if self.official and data.get("channel"):
            fields["channel"] = data["channel"]
        if self.official:
            fields["source_reference"] = data["source_reference"].strip()
        return fields


def initial_from_complaint(complaint) -> dict:
    """What the intake form shows when a draft is resumed."""
    initial = {name: getattr(complaint, name) for name in SAME_NAME_FIELDS}
    initial["channel"] = complaint.channel
    initial["source_reference"] = complaint.source_reference
    initial["complainant_uscc"] = complaint.complainant.uscc
    if complaint.amount_owed_fen is not None:
        initial["amount_owed"] = to_yuan_str(complaint.amount_owed_fen)
    initial["amount_paid"] = to_yuan_str(complaint.amount_paid_fen or 0)
    for name in DEBTOR_FIELDS:
        particular = name.removeprefix("debtor_")
        if complaint.debtor:
            initial[name] = getattr(complaint.debtor, particular)
        else:
            initial[name] = complaint.debtor_as_entered.get(particular, "")
    return initial


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(
        label=_("evidence files"),
        help_text=_("PDF, JPEG, PNG, OFD, XLSX or DOCX."),
    )

    def clean_evidence(self):
        if not self.cleaned_data["evidence"]:
            raise ValidationError(_("Choose at least one file to add."))
        return self.cleaned_data["evidence"]


# --- workflow actions ------------------------------------------------------------


def _note(label=None):
    return forms.CharField(
        label=label or _("note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(forms.Form):
    """The fields one workflow service needs, plus the version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    aliases: dict[str, str] = {}

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint

    def service_kwargs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class NoteForm(ActionForm):
    note = _note()


class NotAcceptForm(ActionForm):
    ground = forms.ChoiceField(
        label=_("ground"), choices=[("", "—"), *NotAcceptedGround.choices], required=False
    )
    note = _note(_("reason given to the complainant"))


class TransferForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("handling department"), queryset=Organisation.objects.none(), required=False
    )
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = handling_departments(self.complaint)


def handling_departments(complaint):
    """Departments under the accepting authority (a national authority: all of them)."""
    departments = Organisation.objects.filter(
        kind=Organisation.Kind.HANDLING_DEPARTMENT, is_active=True
    )
    authority = complaint.accepting_authority if complaint else None
    if authority is None:
        return departments.none()
    if authority.kind != Organisation.Kind.NATIONAL_AUTHORITY:
        departments = departments & organisation_subtree(authority)
    return departments.order_by("path")


class ReturnForm(ActionForm):
    reason = _note(_("reason"))
    suggested_department = forms.CharField(
        label=_("the department that should handle it"), required=False, max_length=200
    )


class DebtorResponseForm(ActionForm):
    confirmed = YuanField(label=_("amount confirmed (yuan)"))
    disputed = YuanField(label=_("amount disputed (yuan)"))
    note = _note()
    aliases = {"confirmed_fen": "confirmed", "disputed_fen": "disputed"}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "confirmed_fen": data["confirmed"] or 0,
            "disputed_fen": data["disputed"] or 0,
            "note": data["note"],
        }


class ExtendForm(ActionForm):
    total_days = forms.IntegerField(
        label=_("new total period (days after receipt)"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("At most 90 days in total."),
    )
    approved_by = forms.CharField(
        label=_("approved by (head of the department)"), required=False, max_length=100
    )
    reason = _note(_("reason"))


class SupervisionOrderForm(ActionForm):
    due_on = forms.DateField(label=_("order due on"), required=False, widget=DateInput())
    note = _note(_("what the debtor is ordered to do"))


class SubmitResultForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("result"), choices=[("", "—"), *ResultKind.choices], required=False
    )
    text = _note(_("result for the complainant"))
    confirmed = YuanField(
        label=_("amount confirmed by the debtor (yuan)"),
        help_text=_("Left blank with the others: what the kind of result implies."),
    )
    paid = YuanField(label=_("of which paid during handling (yuan)"))
    planned = YuanField(label=_("of which in a repayment plan (yuan)"))
    disputed = YuanField(label=_("amount disputed, for the legal route (yuan)"))
    basis = _note(_("basis of the amounts (confirmation, reconciliation, evidence)"))
    aliases = {
        "confirmed_fen": "confirmed",
        "disputed_fen": "disputed",
        "paid_fen": "paid",
        "planned_fen": "planned",
    }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "basis": data["basis"],
            **{alias: data[name] for alias, name in self.aliases.items()},
        }


class SendBackForm(ActionForm):
    comments = _note(_("comments"))


class FeedbackForm(ActionForm):
    satisfied = forms.ChoiceField(
        label=_("Are you satisfied with the result?"),
        choices=[("yes", _("satisfied")), ("no", _("not satisfied"))],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = _note(_("comment"))

    def service_kwargs(self) -> dict:
        answer = self.cleaned_data["satisfied"]
        satisfied = {"yes": True, "no": False}.get(answer)
        return {"satisfied": satisfied, "comment": self.cleaned_data["comment"]}


class ReopenForm(ActionForm):
    new_facts = _note(_("new facts"))


class ReasonForm(ActionForm):
    reason = _note(_("reason"))


class EmptyActionForm(ActionForm):
    pass


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "submit": EmptyActionForm,
    "request-material": NoteForm,
    "resubmit": NoteForm,
    "accept": NoteForm,
    "not-accept": NotAcceptForm,
    "transfer": TransferForm,
    "return": ReturnForm,
    "debtor-response": DebtorResponseForm,
    "extend": ExtendForm,
    "supervision-order": SupervisionOrderForm,
    "submit-result": SubmitResultForm,
    "approve-result": NoteForm,
    "send-back": SendBackForm,
    "feedback": FeedbackForm,
    "reopen": ReopenForm,
    "withdraw": ReasonForm,
    "terminate": ReasonForm,
}


TRI_STATE = [("", _("either")), ("yes", _("yes")), ("no", _("no"))]


def province_choices() -> list[tuple[str, str]]:
    """The provinces a routing rule may name: those with an SME authority."""
    provinces = [p for p in regions.provinces() if may_have_authority(p.code)]
    return [("", "—"), *((p.code, p.name) for p in provinces)]


class RoutingRuleForm(forms.Form):
    priority = forms.IntegerField(
        label=_("priority (lower is tried first)"), min_value=1, max_value=9999
    )
    description = forms.CharField(label=_("description"), max_length=200)
    debtor_central = forms.ChoiceField(
        label=_("debtor is a central unit"), choices=TRI_STATE, required=False
    )
    cross_province = forms.ChoiceField(
        label=_("complainant in another province"), choices=TRI_STATE, required=False
    )
    debtor_province_code = forms.ChoiceField(
        label=_("debtor's province"), choices=province_choices, required=False
    )
    authority = forms.ModelChoiceField(
        label=_("accepting authority"),
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.NATIONAL_AUTHORITY, Organisation.Kind.PROVINCIAL_AUTHORITY],
            is_active=True,
        ),
        required=False,
        empty_label=_("the provincial authority of the debtor's province"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # A provincial administrator routes its own province's complaints to itself.
        if not routing_scope(actor).everything:
            authority = self.fields["authority"]
            authority.queryset = authority.queryset.filter(pk=actor.organisation_id)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("debtor_central", "cross_province"):
            data[name] = {"yes": True, "no": False}.get(data[name])
        return data
