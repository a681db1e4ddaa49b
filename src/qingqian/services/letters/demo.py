"""A demand letter for the demo: 明达 (sme-demo) asks 粤海城建 for an equipment
payment overdue since 2025-03-31, at the statutory 0.05% a day."""

from __future__ import annotations

from datetime import date

from qingqian.accounts.models import User
from qingqian.parties.models import Enterprise
from qingqian.services.letters.services import LetterFacts, demand_letter_create
from qingqian.services.models import DemandLetter

DEMO_CONTRACT = "MD-2025-0007"


def seed_demo_letters() -> int:
    """Write the demo letter once; returns how many were written."""
    author = User.objects.filter(username="sme-demo").first()
    debtor = Enterprise.objects.filter(name="广东粤海城建集团有限公司").first()
    if author is None or debtor is None:
        return 0
    if DemandLetter.objects.filter(owner=author.enterprise, contract_number=DEMO_CONTRACT).exists():
        return 0
    demand_letter_create(
        actor=author,
        facts=LetterFacts(
            debtor_name=debtor.name,
            debtor_uscc=debtor.uscc,
            debtor_address=debtor.address,
            debtor_type=debtor.type,
            contract_number=DEMO_CONTRACT,
            contract_title="机电设备采购合同",
            contract_signed_on=date(2025, 1, 15),
            sme_notified_at_signing="yes",
            principal_fen=100_000_00,
            due_on=date(2025, 3, 31),
            interest_as_of=date(2025, 4, 30),
            letter_date=date(2025, 5, 6),
        ),
    )
    return 1
