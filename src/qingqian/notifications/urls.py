from django.urls import path

from qingqian.notifications import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
]
