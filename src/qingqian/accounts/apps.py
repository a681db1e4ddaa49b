from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qingqian.accounts"
    label = "accounts"
