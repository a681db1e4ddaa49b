"""Signed-in pages of the services for SMEs, under /services/."""

from django.urls import include, path

from qingqian.services import views

urlpatterns = [
    path("", views.services_home, name="services-home"),
    path("letters/", include("qingqian.services.letters.urls")),
    path("confirmations/", include("qingqian.services.confirmations.urls")),
    path("library/", include("qingqian.services.library.urls")),
    path("legal-aid/", include("qingqian.services.legalaid.urls")),
    path("training/", include("qingqian.services.training.urls")),
]
