"""Forms of the reference-data pages: calendar days, schedule files, LPR fixings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.models import CalendarDay

MAX_UPLOAD_BYTES = 1_000_000


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("name"), max_length=60, required=False)


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=_("Schedule file (CSV: date,kind,name)"),
        help_text=_(
            "UTF-8; the first line may be the header <code>date,kind,name</code> or "
            "<code>日期,类别,名称</code>. Kind is <code>holiday</code> (or <code>休</code>) or "
            "<code>workday</code> (or <code>班</code>). Each year in the file replaces that year."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .txt file."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class LprRateForm(forms.Form):
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    rate_percent = forms.DecimalField(label=_("rate (% a year)"), max_digits=6, decimal_places=4)
    source = forms.CharField(
        label=_("source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
