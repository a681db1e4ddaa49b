"""Forms of the periodic information report pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.core.form_fields import DateInput, YuanField
from qingqian.core.messages import yuan
from qingqian.supervision.reports import figures as report_figures
from qingqian.supervision.reports.services import MAX_REASON


class CountField(forms.CharField):
    """A count typed as a whole number (full-width digits accepted)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def clean(self, value):
        text = super().clean(value)
        text = (text or "").translate({0xFF10 + i: str(i) for i in range(10)}).replace(",", "")
        if text.startswith("-") and text[1:].isdecimal() and text[1:].isascii():
            return -int(text[1:])
        if not text.isdecimal() or not text.isascii():
            raise ValidationError(_("Enter a whole number."))
        return int(text)


class ReportValueForm(forms.Form):
    """One figure's reported value and reason; prefixed with the figure's key."""

    value = forms.CharField()
    reason = forms.CharField(
        label=gettext_lazy("reason for the change"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the value differs from the platform's figure."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, figure: dict, **kwargs):
        kwargs.setdefault("prefix", figure["key"])
        super().__init__(*args, **kwargs)
        self.figure = figure
        if figure["kind"] == report_figures.MONEY:
            field = YuanField(required=True, label=_("reported value (yuan)"))
        else:
            field = CountField(label=_("reported value"))
        if figure["prefilled"] is None:
            field.help_text = _("%(figure)s: entered by hand.") % {"figure": figure["label"]}
            self.fields["reason"].widget = forms.HiddenInput()
        else:
            field.help_text = _("%(figure)s: the platform counted %(prefilled)s.") % {
                "figure": figure["label"],
                "prefilled": display_value(figure["prefilled"], figure["kind"]),
            }
        self.fields["value"] = field


def display_value(value, kind: str) -> str:
    if value is None:
        return "—"
    return yuan(value) if kind == report_figures.MONEY else str(value)


class ReportingUnitAddForm(forms.Form):
    """The national administrator adds a reporting unit (choices: `units.candidates`)."""

    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    since = forms.DateField(
        label=gettext_lazy("Reports due from the period ending on or after"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leave empty for today."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (o.pk, f"{o.name} ({o.region_code})") for o in candidates
        ]
