from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "qingqian.supervision"
    label = "supervision"
    verbose_name = _("supervision")

    def ready(self):
        # The watcher subscribes; the complaint workflow does not know it is watched.
        from qingqian.supervision import open_work
        from qingqian.supervision.dashboard.tallies import subscribe_to_complaints

        subscribe_to_complaints()
        # The cases a department must still answer, for accounts' deactivation
        # and transfer tool (accounts imports no domain app).
        open_work.register()
        # The default reporting units once accounts' bootstrap made the authorities.
        from qingqian.accounts import events as account_events
        from qingqian.core import events
        from qingqian.supervision.reports.units import default_units_after_bootstrap

        events.subscribe(account_events.ORGANISATIONS_BOOTSTRAPPED, default_units_after_bootstrap)
