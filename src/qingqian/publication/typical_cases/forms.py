"""Forms of the typical case pages: types and lengths only; the rules (scope, states,
four eyes, masking) live in the services, whose errors land on the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases.services import MAX_TEXT, MAX_TITLE

MAX_VERSION = 2**31 - 1


def _text(label, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, max_value=MAX_VERSION, **kwargs)


class StartForm(forms.Form):
    """Which finished complaint to draft from, by its tracking number."""

    tracking_number = forms.CharField(label=_("tracking number of the complaint"), max_length=32)


class DraftForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of typical case"),
        choices=TypicalCase.Kind.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("title"), max_length=MAX_TITLE)
    text = _text(
        _("text"),
        required=False,
        rows=10,
        help_text=_(
            "Starts from the complaint's facts, request and result, masked: the SME, people's "
            "names, phones, identity and account numbers, e-mail addresses and street addresses "
            "are replaced, and the debtor is 某单位. Whatever you write is masked again when saved."
        ),
    )
    version = VersionField()


class ReviewForm(forms.Form):
    version = VersionField()


class PublishForm(forms.Form):
    version = VersionField()


class ReturnForm(forms.Form):
    note = _text(_("why it goes back to the drafter"), rows=3)
    version = VersionField()


class ApproveForm(forms.Form):
    name_debtor = forms.BooleanField(
        label=_("name the debtor in the published case"),
        required=False,
        help_text=_(
            "Unticked, the debtor stays 某单位. Naming it is the approving authority's decision."
        ),
    )
    version = VersionField()


class WithdrawForm(forms.Form):
    note = _text(
        _("public note on the withdrawal"),
        rows=3,
        help_text=_("Shown on the public page instead of the text."),
    )
    version = VersionField()


ACTION_FORMS = {
    "edit": DraftForm,
    "review": ReviewForm,
    "return": ReturnForm,
    "approve": ApproveForm,
    "publish": PublishForm,
    "withdraw": WithdrawForm,
}
