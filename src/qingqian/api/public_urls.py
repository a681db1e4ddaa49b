"""The public API alone, for its own OpenAPI schema (/api/v1/public/schema/)."""

from django.urls import include, path

from qingqian.api.urls import public_v1

urlpatterns = [path("api/v1/public/", include(public_v1))]
