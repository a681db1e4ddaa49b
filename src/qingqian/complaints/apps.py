from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "qingqian.complaints"
    label = "complaints"

    def ready(self):
        # The ledger's pages list the complaints about an item or a party
        # without the ledger importing complaints.
        from qingqian.accounts import events as account_events
        from qingqian.complaints import open_work, routing, selectors
        from qingqian.core import events
        from qingqian.ledger import linked

        linked.show_about_item("complaints", selectors.complaints_of_ledger_item)
        linked.show_about_party("complaints", selectors.complaints_of_party)
        # A fresh installation routes central and cross-province complaints to
        # the national authority from its first bootstrap on.
        events.subscribe(account_events.ORGANISATIONS_BOOTSTRAPPED, routing.seed_after_bootstrap)
        # What a unit still has to accept or handle, for accounts' deactivation
        # and transfer tool (accounts imports no domain app).
        open_work.register()
