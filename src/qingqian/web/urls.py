from django.urls import path

from qingqian.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
