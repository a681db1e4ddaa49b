"""Public pages of the services for SMEs (no sign-in), under /public/."""

from django.urls import include, path

urlpatterns = [
    path("tools/", include("qingqian.services.calculators.public_urls")),
    path("library/", include("qingqian.services.library.public_urls")),
    path("training/", include("qingqian.services.training.public_urls")),
    path("confirm/", include("qingqian.services.confirmations.public_urls")),
]
