"""The product's URLs plus the baselines: bare Django views, one inserting a row
(intake.py), one answering a fixed page (public_pages.py)."""

from bare_views import bare_insert, bare_page
from django.urls import include, path

urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/bare-page/", bare_page),
    path("", include("qingqian.urls")),
]
