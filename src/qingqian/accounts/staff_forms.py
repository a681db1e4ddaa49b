"""Forms of staff management, invitations and passwords. They check only the
shape of the input; the services decide (and name the field that is wrong)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.accounts.models import STAFF_ROLES, Organisation, Role

STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]


def _password_field(label, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SetPasswordForm(forms.Form):
    """The invitee's first password, or a new one through a reset link."""

    password = _password_field(_("New password"), "new-password")
    password_again = _password_field(_("New password again"), "new-password")

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class PasswordChangeForm(forms.Form):
    old_password = _password_field(_("Current password"), "current-password")
    new_password = _password_field(_("New password"), "new-password")
    new_password_again = _password_field(_("New password again"), "new-password")

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords differ."))
        return data


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of your account"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.region_code})"


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=STAFF_ROLE_CHOICES)


class MoveForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("New organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class StaffFilterForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("all")), *STAFF_ROLE_CHOICES], required=False
    )
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("all")), ("yes", _("active")), ("no", _("deactivated"))],
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class StaffImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file of staff"))
