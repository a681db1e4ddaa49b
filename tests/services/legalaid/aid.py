"""Helpers of the legal aid tests."""

from datetime import date

from qingqian.services.legalaid import services

# A Tuesday before the 2025 National Day holiday (1–8 October; 28 September and
# 11 October were working days).
BEFORE_NATIONAL_DAY = date(2025, 9, 30)


def submit(sme, **overrides):
    fields = {
        "kind": "aid",
        "topic": "interest",
        "description": "对方逾期付款，如何计算逾期利息？",
        "region_code": sme.enterprise.region_code[:4] + "00",
        "urgency": "normal",
        "on": BEFORE_NATIONAL_DAY,
        **overrides,
    }
    return services.aid_request_submit(actor=sme, **fields)
