from django.urls import path

from qingqian.reference import views

urlpatterns = [
    path("", views.reference_home, name="reference-home"),
    path("calendar/<int:year>/", views.calendar_year_view, name="reference-calendar"),
    path("lpr/", views.lpr_view, name="reference-lpr"),
]
