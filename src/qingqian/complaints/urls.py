from django.urls import path

from qingqian.complaints import notice
from qingqian.complaints.views import actions, detail, intake, routing

urlpatterns = [
    path("", detail.complaint_list, name="complaint-list"),
    path("new/", intake.complaint_new, name="complaint-create"),
    path("<int:pk>/", detail.complaint_detail, name="complaint-detail"),
    path("<int:pk>/note/", actions.complaint_note, name="complaint-note"),
    path("routing/", routing.routing_rules, name="routing-rules"),
    path("<int:pk>/edit/", intake.complaint_edit, name="complaint-edit"),
    path("<int:pk>/act/<slug:action>/", actions.complaint_act, name="complaint-act"),
    path("<int:pk>/evidence/", actions.complaint_evidence_add, name="complaint-evidence-add"),
    path("<int:pk>/evidence/<int:eid>/", detail.complaint_evidence, name="complaint-evidence"),
    path("<int:pk>/result-notice.pdf", notice.result_notice_view, name="complaint-result-notice"),
]
