from django.urls import path

from qingqian.accounts import views
from qingqian.accounts.views.roles import roles_matrix_view

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify_view, name="login-verify"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor_setup_view, name="two-factor"),
    path("two-factor/recovery-codes/", views.recovery_codes_view, name="two-factor-recovery-codes"),
    path("users/<int:pk>/two-factor-reset/", views.two_factor_reset_view, name="two-factor-reset"),
    path("roles/", roles_matrix_view, name="roles-matrix"),
]

organisation_urlpatterns = [
    path("", views.organisation_list_view, name="organisation-list"),
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
