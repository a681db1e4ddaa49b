"""The signed-in pages of training, under /services/training/."""

from django.urls import path

from qingqian.services.training import views

app_name = "training"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("events/new/", views.event_new, name="event-new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/publish/", views.event_publish, name="event-publish"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/materials/", views.material_add, name="material-add"),
    path(
        "events/<int:pk>/registrations.csv",
        views.registrations_export,
        name="registrations-export",
    ),
    path(
        "events/<int:pk>/registrations/<int:registration>/attendance/",
        views.attendance_record,
        name="attendance",
    ),
    path("register/<int:pk>/", views.register, name="register"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
]
