from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qingqian.supervision"
    label = "supervision"
    verbose_name = "supervision"

    def ready(self):
        # The watcher subscribes; the complaint workflow does not know it is watched.
        from qingqian.supervision.dashboard.tallies import subscribe_to_complaints

        subscribe_to_complaints()
