from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "qingqian.ledger"
    label = "ledger"
    verbose_name = "ledger"

    def ready(self):
        # The items a unit still keeps, for accounts' deactivation and transfer
        # tool (accounts imports no domain app).
        from qingqian.ledger import open_work

        open_work.register()
