from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "qingqian.ledger"
    label = "ledger"
    verbose_name = _("ledger")

    def ready(self):
        # The items a unit still keeps, for accounts' deactivation and transfer
        # tool (accounts imports no domain app).
        from qingqian.ledger import open_work

        open_work.register()
