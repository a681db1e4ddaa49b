"""The site's form rendering, and how service errors reach a form."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

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


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the fields it names (or to the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
