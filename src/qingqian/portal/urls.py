"""The public pages, under /public/ (see qingqian/urls.py)."""

from django.urls import path

from qingqian.portal import views

app_name = "portal"

urlpatterns: list = [
    # The home's guide and the open statistics (portal/views.py).
    path("how-to-complain/", views.how_to_complain, name="how-to-complain"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<str:prefix>/", views.statistics, name="statistics-region"),
]
