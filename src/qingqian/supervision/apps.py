from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qingqian.supervision"
    label = "supervision"
    verbose_name = "supervision"
