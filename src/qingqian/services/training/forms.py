"""Forms of the training pages: types and lengths only; the rules (dates, seats,
states, scope) live in the services, whose errors land on the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.services.models import TrainingEvent
from qingqian.services.training.services import MAX_CAPACITY, MAX_TEXT, MAX_TITLE

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is Beijing time."""

    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=LOCAL_MINUTE)


def _moment(label):
    return forms.DateTimeField(
        label=label, widget=LocalDateTimeInput(), help_text=_("Beijing time")
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=MAX_TITLE)
    topic = forms.ChoiceField(label=_("topic"), choices=TrainingEvent.Topic.choices)
    description = forms.CharField(
        label=_("description"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_at = _moment(_("starts at"))
    ends_at = _moment(_("ends at"))
    registration_closes_at = _moment(_("registration closes at"))
    place = forms.CharField(
        label=_("place"),
        required=False,
        max_length=MAX_TITLE,
        help_text=_("The address, or leave empty for an online event."),
    )
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("seats"), min_value=1, max_value=MAX_CAPACITY)

    @classmethod
    def initial_of(cls, event: TrainingEvent) -> dict:
        return {name: getattr(event, name) for name in cls.base_fields}


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("why the event is cancelled"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the event's public page and sent to everyone registered."),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("title of the material"), max_length=MAX_TITLE)
    file = forms.FileField(
        label=_("file (PDF, DOCX, XLSX, OFD, JPEG or PNG)"),
        required=False,
        help_text=_("Checked by its content; the same size limit as evidence files."),
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("attendance"),
        choices=[("yes", _("attended")), ("no", _("absent"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
