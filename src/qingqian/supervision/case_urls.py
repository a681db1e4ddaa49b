"""Pages of supervision cases and public notices."""

from django.urls import path

from qingqian.supervision import case_views

urlpatterns: list = [
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/new/", case_views.case_new, name="case-new"),
    path("cases/export.<slug:fmt>", case_views.case_export, name="case-export"),
    path("cases/<int:pk>/", case_views.case_detail, name="case"),
    path("cases/<int:pk>/act/<slug:action>/", case_views.case_act, name="case-act"),
    path("notices/<int:pk>/", case_views.notice_detail, name="notice"),
    path("notices/<int:pk>/decide/", case_views.notice_decide, name="notice-decide"),
]
