from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qingqian.web"
    label = "web"
