"""Sign-in and two-factor set-up; the organisation tree and its staff."""

from qingqian.accounts.views.organisations import (
    organisation_add_view,
    organisation_deactivate_view,
    organisation_detail_view,
    organisation_list_view,
    organisation_move_view,
    organisation_reactivate_view,
    organisation_rename_view,
    organisation_transfer_view,
)
from qingqian.accounts.views.signin import (
    lockout_response,
    login_verify_view,
    login_view,
    logout_view,
)
from qingqian.accounts.views.two_factor import (
    recovery_codes_view,
    two_factor_reset_view,
    two_factor_setup_view,
)

__all__ = [
    "lockout_response",
    "login_verify_view",
    "login_view",
    "logout_view",
    "organisation_add_view",
    "organisation_deactivate_view",
    "organisation_detail_view",
    "organisation_list_view",
    "organisation_move_view",
    "organisation_reactivate_view",
    "organisation_rename_view",
    "organisation_transfer_view",
    "recovery_codes_view",
    "two_factor_reset_view",
    "two_factor_setup_view",
]
