"""The library's public pages, under /public/library/."""

from django.urls import path

from qingqian.services.library import public_views

urlpatterns = [
    path("", public_views.index, name="library-index"),
    path("search/", public_views.search_page, name="library-search"),
    path("compare/", public_views.compare, name="library-compare"),
    path("<slug:slug>/", public_views.document, name="library-document"),
]
