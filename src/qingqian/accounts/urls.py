from django.urls import path

from qingqian.accounts import views
from qingqian.accounts.views import account, organisations, passwords, staff
from qingqian.accounts.views.roles import roles_matrix_view

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify_view, name="login-verify"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor_setup_view, name="two-factor"),
    path("two-factor/recovery-codes/", views.recovery_codes_view, name="two-factor-recovery-codes"),
    path("users/<int:pk>/two-factor-reset/", views.two_factor_reset_view, name="two-factor-reset"),
    path("roles/", roles_matrix_view, name="roles-matrix"),
    # Staff accounts: one's own account and passwords, invitations, staff management.
    path("me/", account.account_view, name="account"),
    path("tokens/<int:pk>/revoke/", account.api_token_revoke_view, name="api-token-revoke-web"),
    path("password/", passwords.password_change_view, name="password-change"),
    path("password/reset/", passwords.password_reset_request_view, name="password-reset"),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.password_reset_confirm_view,
        name="password-reset-confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        passwords.invitation_accept_view,
        name="invitation-accept",
    ),
    path("staff/", staff.staff_list_view, name="staff-list"),
    path("staff/invite/", staff.staff_invite_view, name="staff-invite"),
    path("staff/import/", staff.staff_import_view, name="staff-import"),
    path("staff/import/template/", staff.staff_import_template_view, name="staff-import-template"),
    path("staff/<int:pk>/", staff.staff_detail_view, name="staff-detail"),
    path("staff/<int:pk>/role/", staff.staff_role_view, name="staff-role"),
    path("staff/<int:pk>/move/", staff.staff_move_view, name="staff-move"),
    path("staff/<int:pk>/deactivate/", staff.staff_deactivate_view, name="staff-deactivate"),
    path("staff/<int:pk>/reactivate/", staff.staff_reactivate_view, name="staff-reactivate"),
    path(
        "staff/<int:pk>/invitation/",
        staff.staff_invitation_resend_view,
        name="staff-invitation-resend",
    ),
]

organisation_urlpatterns = [
    path("", views.organisation_list_view, name="organisation-list"),
    path("bootstrap/", organisations.organisations_bootstrap_view, name="organisations-bootstrap"),
    path("<int:pk>/", views.organisation_detail_view, name="organisation-detail"),
    path("<int:pk>/add/", views.organisation_add_view, name="organisation-add"),
    path("<int:pk>/rename/", views.organisation_rename_view, name="organisation-rename"),
    path("<int:pk>/move/", views.organisation_move_view, name="organisation-move"),
    path("<int:pk>/transfer/", views.organisation_transfer_view, name="organisation-transfer"),
    path(
        "<int:pk>/deactivate/", views.organisation_deactivate_view, name="organisation-deactivate"
    ),
    path(
        "<int:pk>/reactivate/", views.organisation_reactivate_view, name="organisation-reactivate"
    ),
]
