"""Audited writes of organisations, users, sign-ins, API tokens and 2FA devices."""

from qingqian.accounts.services.invitations import (
    invitation_accept,
    invitation_pending,
    invitation_resend,
    invitation_user,
    user_invite,
)
from qingqian.accounts.services.organisation_changes import (
    organisation_deactivate,
    organisation_move,
    organisation_reactivate,
    organisation_rename,
    organisation_work_transfer,
)
from qingqian.accounts.services.organisations import (
    organisation_create,
    organisations_bootstrap,
)
from qingqian.accounts.services.passwords import (
    password_change,
    password_reset,
    password_reset_request,
    password_reset_user,
)
from qingqian.accounts.services.sessions import session_login, session_logout, sessions_end
from qingqian.accounts.services.staff import (
    user_deactivate,
    user_move,
    user_reactivate,
    user_role_change,
)
from qingqian.accounts.services.staff_import import users_import
from qingqian.accounts.services.tokens import api_token_issue, api_token_revoke
from qingqian.accounts.services.two_factor import (
    recovery_codes_generate,
    second_factor_verify,
    totp_device_confirm,
    totp_device_start,
    two_factor_reset,
)
from qingqian.accounts.services.users import user_create

__all__ = [
    "invitation_accept",
    "invitation_pending",
    "invitation_resend",
    "invitation_user",
    "password_change",
    "password_reset",
    "password_reset_request",
    "password_reset_user",
    "sessions_end",
    "user_deactivate",
    "user_invite",
    "user_move",
    "user_reactivate",
    "user_role_change",
    "users_import",
    "api_token_issue",
    "api_token_revoke",
    "organisation_create",
    "organisation_deactivate",
    "organisation_move",
    "organisation_reactivate",
    "organisation_rename",
    "organisation_work_transfer",
    "organisations_bootstrap",
    "recovery_codes_generate",
    "second_factor_verify",
    "session_login",
    "session_logout",
    "totp_device_confirm",
    "totp_device_start",
    "two_factor_reset",
    "user_create",
]
