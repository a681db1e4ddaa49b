from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qingqian.core"
    label = "core"
    verbose_name = "Qingqian core"
