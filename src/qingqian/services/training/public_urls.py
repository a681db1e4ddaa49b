"""The public pages of training, under /public/training/."""

from django.urls import path

from qingqian.services.training import public

app_name = "training_public"

urlpatterns: list = [
    path("", public.event_list, name="list"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("<int:pk>/event.ics", public.event_calendar, name="ics"),
    path("<int:pk>/materials/<int:material>/", public.material_download, name="material"),
]
