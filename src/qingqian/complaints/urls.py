from django.urls import path

from qingqian.complaints import views

urlpatterns = [
    path("<int:pk>/", views.complaint_detail, name="complaint-detail"),
]
