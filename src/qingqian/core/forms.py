from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from qingqian.core.models import CalendarDay

MAX_UPLOAD_BYTES = 1_000_000

# A label ending in one of these gets no label suffix. Django's own list is the
# translation of ":?.!", which leaves out the full-width Chinese marks.
LABEL_END_PUNCTUATION = tuple(".?!:。？！：")


def ends_in_punctuation(label) -> bool:
    return str(label).rstrip().endswith(LABEL_END_PUNCTUATION)


class BoundField(forms.BoundField):
    """Adds the label suffix only after a label without its own final mark:
    "……受理。" rather than "……受理。:"."""

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if label_suffix is None and ends_in_punctuation(contents or self.label or ""):
            label_suffix = ""
        return super().label_tag(contents, attrs, label_suffix, tag)


class FormRenderer(DjangoTemplates):
    """The site's form renderer (settings.FORM_RENDERER): Django's, with the
    label rule above for every form."""

    bound_field_class = BoundField


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("name"), max_length=60, required=False)


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=_("Schedule file (CSV: date,kind,name)"),
        help_text=_("UTF-8; kind is holiday or workday. Each year in the file replaces that year."),
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
