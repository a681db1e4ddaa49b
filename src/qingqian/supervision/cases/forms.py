"""Forms of the supervision case pages: types and lengths only; the rules (what is
required for which kind, scope, states) live in the services, whose errors land
on the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.accounts.models import Organisation
from qingqian.core.form_fields import DateInput, RegionField
from qingqian.core.messages import COVERAGE_RULE
from qingqian.supervision.cases.services import MAX_DUE_WORKING_DAYS, MAX_TEXT, MAX_TITLE
from qingqian.supervision.models import PublicNotice, SupervisionCase

MAX_VERSION = 2**31 - 1
# Fields the dashboard's laggard list (and anyone) may prefill through the query string.
PREFILL_FIELDS = (
    "kind",
    "subject",
    "region_code",
    "department",
    "debtor",
    "title",
    "reason",
    "due_working_days",
)


def _text(label, *, required=False, rows=4, max_length=MAX_TEXT, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _blank(choices):
    return [("", "—"), *choices]


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, max_value=MAX_VERSION, **kwargs)


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=SupervisionCase.Kind.choices)
    subject = forms.ChoiceField(
        label=_("under supervision"), choices=SupervisionCase.Subject.choices
    )
    region_code = RegionField(
        label=_("region (jurisdiction)"),
        help_text=_("For a jurisdiction: a province or a city."),
    )
    department = forms.ModelChoiceField(
        label=_("handling department"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="—",
        help_text=_("For a handling department."),
    )
    debtor = forms.CharField(
        label=_("debtor's unified social credit code"),
        required=False,
        max_length=30,
        help_text=COVERAGE_RULE,
    )
    title = forms.CharField(label=_("title"), max_length=MAX_TITLE)
    reason = _text(_("reason"), required=True)
    due_working_days = forms.IntegerField(
        label=_("deadline (working days)"),
        min_value=1,
        max_value=MAX_DUE_WORKING_DAYS,
        initial=20,
        help_text=_("Counted in working days from the day after opening, on the calendar."),
    )
    interview_on = forms.DateField(
        label=_("interview date"),
        required=False,
        widget=DateInput(),
        help_text=_("For an interview (may be in the future)."),
    )
    participants = _text(_("participants"), rows=2, help_text=_("For an interview."))
    minutes = _text(_("minutes"), help_text=_("May be recorded after the interview."))
    commitments = _text(_("commitments"), rows=3)
    listed_items = _text(_("listed items"), help_text=_("For a listed supervision."))
    lift_conditions = _text(_("conditions to lift"), rows=3)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class ProgressForm(forms.Form):
    text = _text(_("progress made"), required=True)
    version = VersionField()


class InterviewForm(forms.Form):
    interview_on = forms.DateField(label=_("interview date"), widget=DateInput())
    participants = _text(_("participants"), required=True, rows=2)
    minutes = _text(_("minutes"), required=True)
    commitments = _text(_("commitments"), rows=3)
    version = VersionField()


class LiftForm(forms.Form):
    note = _text(_("why the case can be closed"), required=True, rows=3)
    version = VersionField()


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("notice title"), max_length=MAX_TITLE)
    text = _text(_("text of the notice"), required=True, rows=6)


class NoticeDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (PublicNotice.State.APPROVED, _("approve for publication")),
            (PublicNotice.State.REJECTED, _("reject")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Approving publishes the notice on the public site at once: its title and text "
            "as they stand, the drafting unit, the region and the date; no one's name."
        ),
    )
    note = _text(_("note (required to reject)"), rows=3)
