from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.publication.models import Referral


class ReferralForm(forms.Form):
    referred_to = forms.CharField(
        label=_("referred to"),
        max_length=200,
        help_text=_("The body's superior or supervising department."),
    )
    to_discipline_organs = forms.BooleanField(
        label=_("also to the discipline inspection and supervision organs"), required=False
    )
    facts = forms.CharField(label=_("facts"), widget=forms.Textarea(attrs={"rows": 5}))
    response_working_days = forms.IntegerField(
        label=_("answer within (working days)"), min_value=1, max_value=60, initial=20
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Referral.Outcome.choices)
    text = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 4}))
