"""The demo's receivable confirmation: 明达机电 (sme-demo) asks 粤海城建
(debtor-demo) to confirm what it owes under one contract; the request awaits
the debtor's answer in its inbox. Idempotent: it is sent once."""

from __future__ import annotations

from datetime import date

from qingqian.accounts.models import User
from qingqian.services.confirmations.services import confirmation_request_send
from qingqian.services.models import ConfirmationRequest

CONTRACT = "MD-GZ-2025-017"


def seed_demo_confirmations() -> int:
    """Send the demo request (once); returns 1 when sent, 0 when already there."""
    sme, rep = (User.objects.filter(username=name).first() for name in ("sme-demo", "debtor-demo"))
    if sme is None or rep is None or sme.enterprise is None or rep.enterprise is None:
        return 0
    if ConfirmationRequest.objects.filter(sme=sme.enterprise, contract_number=CONTRACT).exists():
        return 0
    confirmation_request_send(
        actor=sme,
        debtor=rep.enterprise,
        contract_number=CONTRACT,
        contract_signed_on=date(2025, 4, 18),
        due_on=date(2025, 8, 31),
        amount_fen=386_500_00,
        subject="goods",
        note="机电设备第二批货款，验收单已随货交付。",
    )
    return 1
