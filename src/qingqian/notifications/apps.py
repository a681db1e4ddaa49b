from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qingqian.notifications"
    label = "notifications"
