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
