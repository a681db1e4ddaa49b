from django.urls import path

from qingqian.services.legalaid import views

urlpatterns = [
    path("", views.aid_list_view, name="legalaid-list"),
    path("new/", views.aid_new_view, name="legalaid-new"),
    path("coverage/", views.aid_coverage_view, name="legalaid-coverage"),
    path("coverage/<int:pk>/", views.aid_coverage_view, name="legalaid-coverage-edit"),
    path("<int:pk>/", views.aid_detail_view, name="legalaid-detail"),
    path("<int:pk>/<slug:action>/", views.aid_step_view, name="legalaid-step"),
]
