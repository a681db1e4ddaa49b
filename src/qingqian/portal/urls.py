"""The public pages, under /public/ (see qingqian/urls.py)."""

from django.urls import path

from qingqian.portal import notices, views

app_name = "portal"

urlpatterns: list = [
    # published notices (通报)
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/feed/", notices.NoticeFeed(), name="notice-feed"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    # The home's guide and the open statistics (portal/views.py).
    path("how-to-complain/", views.how_to_complain, name="how-to-complain"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<str:prefix>/", views.statistics, name="statistics-region"),
]
