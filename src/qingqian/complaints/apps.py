from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "qingqian.complaints"
    label = "complaints"
