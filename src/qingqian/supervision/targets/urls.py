"""Pages of campaign targets (spliced into `supervision.urls`)."""

from django.urls import path

from qingqian.supervision.targets import views

urlpatterns: list = [
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_new, name="target-new"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("targets/<int:pk>/close/", views.target_close, name="target-close"),
]
