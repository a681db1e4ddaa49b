"""Pages of supervision cases and public notices."""

from django.urls import path

from qingqian.supervision.cases import views

urlpatterns: list = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/export.<slug:fmt>", views.case_export, name="case-export"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<slug:action>/", views.case_act, name="case-act"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/decide/", views.notice_decide, name="notice-decide"),
]
