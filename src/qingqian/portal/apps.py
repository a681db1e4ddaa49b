from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qingqian.portal"
    label = "portal"
