from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "qingqian.parties"
    label = "parties"
