"""The public pages, under /public/ (see qingqian/urls.py)."""

from django.urls import include, path

from qingqian.portal import notices, signup_views, views

app_name = "portal"

urlpatterns: list = [
    # published notices (通报)
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/feed/", notices.NoticeFeed(), name="notice-feed"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("cases/", include("qingqian.publication.typical_cases.public_urls")),  # 典型案例
    # SME sign-up (the signed-in steps are in portal/account_urls.py)
    path("signup/", signup_views.signup_view, name="signup"),
    path(
        "signup/email/<uidb64>/<token>/",
        signup_views.email_verify_view,
        name="signup-email",
    ),
    # the public register (publication/register)
    path("register/", include("qingqian.publication.register.public_urls")),
    # the defaulters list (publication/findings)
    path("listings/", include("qingqian.publication.findings.public_urls")),
    # The home's guide and the open statistics (portal/views.py).
    path("how-to-complain/", views.how_to_complain, name="how-to-complain"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<str:prefix>/", views.statistics, name="statistics-region"),
]
