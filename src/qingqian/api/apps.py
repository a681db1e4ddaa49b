from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qingqian.api"
    label = "api"

    def ready(self):
        from qingqian.api import schema  # noqa: F401  (registers the bearer scheme)
