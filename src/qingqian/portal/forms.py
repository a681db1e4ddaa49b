"""Forms of the sign-up and of the SME's own account: types only; the rules are
in portal.signup, which names each field it refuses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.core.form_fields import RegionField
from qingqian.parties.forms import industry_choices


class SignupForm(forms.Form):
    uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as printed on the business licence."),
    )
    enterprise_name = forms.CharField(label=_("enterprise's full name"), max_length=200)
    region_code = RegionField(label=_("region"), help_text=_("Where the enterprise is registered."))
    contact_name = forms.CharField(label=_("contact person"), max_length=150)
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=20,
        help_text=_("We text a code to it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("e-mail address"),
        max_length=150,
        help_text=_("Your username. We send a link to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    industry = forms.ChoiceField(label=_("industry"), choices=industry_choices, required=False)
    staff = forms.IntegerField(label=_("staff"), min_value=0, required=False)
    revenue_wan = forms.DecimalField(
        label=_("revenue last year (10,000 yuan)"), min_value=0, decimal_places=2, required=False
    )
    assets_wan = forms.DecimalField(
        label=_("total assets (10,000 yuan)"), min_value=0, decimal_places=2, required=False
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("code from the text message"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LicenceForm(forms.Form):
    file = forms.FileField(
        label=_("business licence"),
        help_text=_("A scan or photo: PDF, OFD, JPEG or PNG."),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The SME reads it and may send another licence."),
    )


class ColleagueForm(forms.Form):
    full_name = forms.CharField(label=_("name"), max_length=150)
    email = forms.CharField(label=_("e-mail address"), max_length=150)


class CloseForm(forms.Form):
    password = forms.CharField(
        label=_("your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
