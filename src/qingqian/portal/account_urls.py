"""The signed-in side of SME accounts: one's own sign-up, colleagues, closing;
and the intake officers' queue of sign-ups to check."""

from django.urls import path

from qingqian.portal import signup_views as views

urlpatterns = [
    path("signup/", views.status_view, name="signup-status"),
    path("signup/code/send/", views.code_send_view, name="signup-code-send"),
    path("signup/code/", views.code_verify_view, name="signup-code-verify"),
    path("signup/email/", views.email_resend_view, name="signup-email-resend"),
    path("signup/licence/", views.licence_view, name="signup-licence"),
    path("colleagues/", views.colleagues_view, name="colleagues"),
    path("account/close/", views.account_close_view, name="account-close"),
    path("registrations/", views.registration_list_view, name="registration-list"),
    path("registrations/<int:pk>/", views.registration_detail_view, name="registration-detail"),
    path(
        "registrations/<int:pk>/licence/",
        views.registration_licence_view,
        name="registration-licence",
    ),
    path(
        "registrations/<int:pk>/approve/",
        views.registration_approve_view,
        name="registration-approve",
    ),
    path(
        "registrations/<int:pk>/refuse/",
        views.registration_refuse_view,
        name="registration-refuse",
    ),
]
