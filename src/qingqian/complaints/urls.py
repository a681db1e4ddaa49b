from django.urls import path

from qingqian.complaints import notice, views

urlpatterns = [
    path("", views.complaint_list, name="complaint-list"),
    path("new/", views.complaint_new, name="complaint-create"),
    path("<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("<int:pk>/note/", views.complaint_note, name="complaint-note"),
    path("routing/", views.routing_rules, name="routing-rules"),
    path("<int:pk>/edit/", views.complaint_edit, name="complaint-edit"),
    path("<int:pk>/act/<slug:action>/", views.complaint_act, name="complaint-act"),
    path("<int:pk>/evidence/", views.complaint_evidence_add, name="complaint-evidence-add"),
    path("<int:pk>/evidence/<int:eid>/", views.complaint_evidence, name="complaint-evidence"),
    path("<int:pk>/result-notice.pdf", notice.result_notice_view, name="complaint-result-notice"),
]
