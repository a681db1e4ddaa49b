from django.urls import path

from qingqian.publication.findings import notice, views

urlpatterns = [
    path("", views.finding_list_view, name="finding-list"),
    path("lists/", views.credit_lists_view, name="credit-lists"),
    path("lists/<int:pk>/", views.credit_lists_view, name="credit-list-edit"),
    path("<int:pk>/", views.finding_detail_view, name="finding-detail"),
    path("<int:pk>/prior-notice.pdf", notice.prior_notice_view, name="finding-prior-notice"),
    path("<int:pk>/<slug:action>/", views.finding_step_view, name="finding-step"),
    path("propose/<slug:origin>/<int:pk>/", views.finding_propose_view, name="finding-propose"),
]
