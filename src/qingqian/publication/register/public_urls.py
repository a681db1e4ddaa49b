"""The public register under /public/register/ (included by portal/urls.py)."""

from django.urls import path

from qingqian.publication.register import views

urlpatterns = [
    path("", views.register_search_view, name="register"),
    path("disclosures/", views.register_download_view, name="register-disclosures"),
    path("<str:uscc>/", views.register_enterprise_view, name="register-enterprise"),
]
