from datetime import timedelta

import pytest
from django.utils import timezone

from qingqian.ledger import services
from qingqian.ledger.tasks import missed_instalments, send_missed_instalment_alerts
from qingqian.notifications.models import Notification


@pytest.fixture
def planned(make_item, user):
    item = make_item(owed_fen=300_00)
    today = timezone.localdate()
    plan = services.plan_create(
        actor=user("debtor-demo"),
        item=item,
        instalments=[(today + timedelta(days=10), 100_00), (today + timedelta(days=40), 200_00)],
    )
    return item, plan, today


def test_nothing_is_missed_before_the_first_due_date(planned):
    _item, _plan, today = planned
    assert missed_instalments(today + timedelta(days=10)) == []  # due that day: not late yet


def test_an_unpaid_instalment_alerts_the_keepers_once(planned):
    _item, plan, today = planned
    first = plan.instalments.get(number=1)
    assert missed_instalments(today + timedelta(days=11)) == [first]
    sent = send_missed_instalment_alerts(on=today + timedelta(days=11))
    again = send_missed_instalment_alerts(on=today + timedelta(days=12))
    recipients = set(
        Notification.objects.filter(dedup_key=f"ledger-instalment:{first.pk}:missed").values_list(
            "recipient__username", flat=True
        )
    )
    assert sent == len(recipients) >= 1 and again == 0
    assert "gd-intake" in recipients  # the keeping organisation's intake officer


def test_paying_the_instalment_in_time_means_no_alert(planned, user):
    item, plan, today = planned
    services.payment_record(
        actor=user("debtor-demo"), item=item, paid_on=today, amount_fen=100_00, method="transfer"
    )
    assert missed_instalments(today + timedelta(days=11)) == []
    # The second instalment is then due and unpaid.
    assert missed_instalments(today + timedelta(days=41)) == [plan.instalments.get(number=2)]


def test_every_missed_instalment_alerts_once_each(planned):
    _item, plan, today = planned
    first, second = plan.instalments.get(number=1), plan.instalments.get(number=2)
    assert missed_instalments(today + timedelta(days=41)) == [first, second]
    sent_early = send_missed_instalment_alerts(on=today + timedelta(days=11))
    sent_late = send_missed_instalment_alerts(on=today + timedelta(days=41))
    again = send_missed_instalment_alerts(on=today + timedelta(days=42))
    keys = list(
        Notification.objects.filter(recipient__username="gd-intake").values_list(
            "dedup_key", flat=True
        )
    )
    assert sorted(keys) == sorted(
        [f"ledger-instalment:{first.pk}:missed", f"ledger-instalment:{second.pk}:missed"]
    )
    assert sent_early == sent_late >= 1 and again == 0
