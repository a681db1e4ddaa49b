"""The officials' pages of typical cases (included under /typical-cases/)."""

from django.urls import path

from qingqian.publication.typical_cases import views

app_name = "typical_cases"

urlpatterns: list = [
    path("", views.typical_case_list, name="list"),
    path("new/", views.typical_case_start, name="start"),
    path("new/<int:complaint>/", views.typical_case_new, name="new"),
    path("<int:pk>/", views.typical_case_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.typical_case_act, name="act"),
]
