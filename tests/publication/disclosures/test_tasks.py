"""Reminders to the bodies that have not filed, on the real 2026 calendar."""

from datetime import date

import pytest

from qingqian.notifications.models import Notification
from qingqian.publication.disclosures import services
from qingqian.publication.disclosures.tasks import send_disclosure_reminders


def _to(user, period):
    keys = Notification.objects.filter(
        recipient=user, dedup_key__startswith=f"disclosure:{period.pk}:"
    )
    return list(keys.values_list("dedup_key", flat=True))


@pytest.mark.parametrize(
    ("on", "which"),
    [
        (date(2026, 3, 16), None),  # 11 working days before 31 March
        (date(2026, 3, 17), "before"),  # 10 working days before
        (date(2026, 3, 31), "before"),
        (date(2026, 4, 7), None),  # after Qingming, not yet 5 working days
        (date(2026, 4, 8), "after"),
    ],
)
def test_agencies_are_reminded_before_and_after_31_march(agency_rep, public_2025, on, which):
    send_disclosure_reminders(on)
    assert _to(agency_rep, public_2025) == (
        [f"disclosure:{public_2025.pk}:{which}:2026-03-31"] if which else []
    )


def test_each_reminder_goes_once_and_not_to_those_who_filed(agency_rep, rep, public_2025):
    assert send_disclosure_reminders(date(2026, 3, 20)) >= 1
    send_disclosure_reminders(date(2026, 3, 23))
    assert _to(agency_rep, public_2025) == [f"disclosure:{public_2025.pk}:before:2026-03-31"]
    assert _to(rep, public_2025) == []  # a large enterprise files in the other period
    services.disclosure_file(
        actor=agency_rep,
        period=public_2025,
        enterprise=agency_rep.enterprise,
        has_overdue=False,
        overdue_count=0,
        overdue_amount_fen=0,
        on=date(2026, 3, 25),
    )
    send_disclosure_reminders(date(2026, 4, 9))
    assert _to(agency_rep, public_2025) == [f"disclosure:{public_2025.pk}:before:2026-03-31"]
