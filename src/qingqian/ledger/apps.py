from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "qingqian.ledger"
    label = "ledger"
    verbose_name = "ledger"
