"""A public notice cites the figures of its case's subject as the dashboard shows them."""

from django.utils import timezone

from qingqian.demo_complaints import seed_demo_complaints
from qingqian.ledger.models import LedgerItem
from qingqian.supervision.cases import services
from qingqian.supervision.dashboard import selectors as dashboard


def open_case(user, **subject):
    return services.case_open(
        actor=user("supervisor"),
        kind="listed",
        title="挂牌督办",
        reason="逾期未办结投诉较多",
        due_working_days=20,
        listed_items="逾期投诉清零",
        lift_conditions="逾期投诉清零",
        **subject,
    )


def test_a_region_notice_cites_the_dashboard(user):
    seed_demo_complaints()
    case = open_case(user, subject="region", region_code="440000")
    notice = services.notice_draft(actor=user("supervisor"), case=case, title="通报", text="通报")
    today = timezone.localdate()
    shown = dashboard.dashboard(
        actor=user("supervisor"), region="44", start=f"{today.year}-01", end=f"{today:%Y-%m}"
    )
    assert notice.figures["received"] == shown["complaints"]["received"] > 0
    assert notice.figures["overdue_now"] == shown["overdue"]["total"]
    assert notice.figures["ledger"]["identified_fen"] == shown["ledger"]["identified_fen"]


def test_a_debtor_notice_cites_its_own_items(user, make_item, debtor):
    make_item(owed_fen=300_00)
    make_item(owed_fen=200_00)
    case = open_case(user, subject="debtor", debtor=debtor)
    notice = services.notice_draft(actor=user("supervisor"), case=case, title="通报", text="通报")
    owed = sum(
        item.owed_fen - item.written_off_fen for item in LedgerItem.objects.filter(debtor=debtor)
    )
    assert notice.figures["ledger"]["identified_fen"] == owed >= 500_00
