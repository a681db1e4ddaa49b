"""The audit verbs of accounts: organisations, users, sign-in and its second factor,
API tokens."""

ORGANISATION_CREATE = "organisation.create"
ORGANISATIONS_BOOTSTRAP = "organisation.bootstrap"
ORGANISATION_RENAME = "organisation.rename"
ORGANISATION_MOVE = "organisation.move"
ORGANISATION_DEACTIVATE = "organisation.deactivate"
ORGANISATION_REACTIVATE = "organisation.reactivate"
ORGANISATION_WORK_TRANSFER = "organisation.work_transfer"
USER_CREATE = "user.create"
USER_RECOVERY_CODES_GENERATE = "user.recovery_codes_generate"
USER_RECOVERY_CODE_USE = "user.recovery_code_use"
USER_TWO_FACTOR_RESET = "user.two_factor_reset"
USER_INVITE = "user.invite"
USER_INVITATION_RESEND = "user.invitation_resend"
USER_INVITATION_ACCEPT = "user.invitation_accept"
USERS_IMPORT = "user.import"
USER_ROLE_CHANGE = "user.role_change"
USER_MOVE = "user.move"
USER_DEACTIVATE = "user.deactivate"
USER_REACTIVATE = "user.reactivate"
USER_PASSWORD_CHANGE = "user.password_change"  # nosec B105 # an audit verb, not a secret
USER_PASSWORD_RESET_REQUEST = "user.password_reset_request"  # nosec B105 # an audit verb
USER_PASSWORD_RESET = "user.password_reset"  # nosec B105 # an audit verb, not a secret

AUTH_LOGIN = "auth.login"
AUTH_LOGOUT = "auth.logout"
AUTH_TOKEN_ISSUE = "auth.token_issue"  # nosec B105 # an audit verb, not a secret
AUTH_TOKEN_REVOKE = "auth.token_revoke"  # nosec B105 # an audit verb, not a secret
AUTH_TOTP_START = "auth.totp_start"
AUTH_TOTP_CONFIRM = "auth.totp_confirm"
