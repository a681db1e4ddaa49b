from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


# --- the organisation tree -----------------------------------------------------------


class OrganisationAddForm(forms.Form):
    """A unit below `parent`; the region suggestions (a datalist) are the shipped
    regions within the parent's, and any county code may be typed."""

    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"))
    region_code = forms.CharField(
        label=_("region code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "list": "regions-below"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["kind"].choices = kinds


class OrganisationRenameForm(forms.Form):
    name = forms.CharField(label=_("new name"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="rename", **kwargs)


class OrganisationMoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("new parent"), queryset=None)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, prefix="move", **kwargs)
        self.fields["parent"].queryset = parents


class OrganisationTransferForm(forms.Form):
    target = forms.ModelChoiceField(label=_("unit that takes over the work"), queryset=None)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, prefix="transfer", **kwargs)
        self.fields["target"].queryset = targets
