from django.urls import path

from qingqian.core import views

urlpatterns = [
    path("", views.reference_home, name="reference-home"),
]
