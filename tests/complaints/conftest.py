from datetime import date

import pytest

from qingqian.complaints import services
from qingqian.parties.models import Enterprise

DEBTOR = "广东粤海城建集团有限公司"


@pytest.fixture
def draft(user):
    """A complete draft by sme-demo against the Guangdong large enterprise."""

    def make(**overrides):
        sme = user("sme-demo")
        fields = {
            "debtor": Enterprise.objects.get(name=DEBTOR),
            "contract_number": "GZ-2025-0042",
            "contract_signed_on": date(2025, 3, 1),
            "subject": "goods",
            "delivered_on": date(2025, 6, 30),
            "payment_due_on": date(2025, 8, 29),
            "amount_owed_fen": 128_000_00,
            "amount_paid_fen": 28_000_00,
            "request_text": "请求支付拖欠货款100000元及逾期利息。",
            "facts_text": "2025年3月签订设备采购合同，6月30日交货验收，至今未付余款。",
            "undertaking": True,
            "sme_notified_at_signing": "yes",
            **overrides,
        }
        return services.complaint_create_draft(actor=sme, complainant=sme.enterprise, **fields)

    return make
