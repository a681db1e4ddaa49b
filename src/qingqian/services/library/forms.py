"""Forms of the library's pages: types and lengths only; the rules live in the
services, whose errors land on the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.services.library.services import MAX_HEADING, MAX_NOTE, MAX_TEXT

MAX_QUESTION = 200
MAX_VERSION = 2**31 - 1


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=MAX_QUESTION, required=False)


class EntryForm(forms.Form):
    heading_zh = forms.CharField(label=_("Heading (Chinese)"), max_length=MAX_HEADING)
    text_zh = forms.CharField(
        label=_("Text (Chinese)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )
    heading_en = forms.CharField(label=_("Heading (English)"), max_length=MAX_HEADING)
    text_en = forms.CharField(
        label=_("Text (English)"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )
    note = forms.CharField(
        label=_("Reason for the change"),
        max_length=MAX_NOTE,
        required=False,
        help_text=_("Kept with the previous version in the entry's history."),
    )
    version = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput
    )
