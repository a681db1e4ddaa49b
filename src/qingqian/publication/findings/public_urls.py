"""The defaulters list under /public/listings/ (included by portal/urls.py)."""

from django.urls import path

from qingqian.publication.findings import public_views as views

urlpatterns = [
    path("", views.listings, name="listings"),
    path("changes/", views.changes, name="listing-changes"),
    path("feed/", views.ChangesFeed(), name="listing-feed"),
]
