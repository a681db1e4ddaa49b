"""Shared makers of the confirmation tests: a request from the demo SME
(明达机电, Guangzhou) to the demo debtor (粤海城建, Guangzhou)."""

from __future__ import annotations

from datetime import date

from qingqian.accounts.models import User
from qingqian.services.confirmations import services

YUAN = 100  # fen


def send(**overrides):
    fields = {
        "actor": User.objects.get(username="sme-demo"),
        "debtor": None,
        "contract_number": "QR-2026-001",
        "contract_signed_on": date(2025, 3, 1),
        "due_on": date(2025, 6, 30),
        "amount_fen": 100_000 * YUAN,
        "subject": "works",
        "on": date(2026, 10, 8),
        **overrides,
    }
    return services.confirmation_request_send(**fields)


def answer(request, *, confirmed, disputed, reason="", on=date(2026, 10, 20), **extra):
    fields = {"actor": User.objects.get(username="debtor-demo"), **extra}
    return services.confirmation_answer(
        request=request,
        confirmed_fen=confirmed,
        disputed_fen=disputed,
        reason=reason,
        on=on,
        **fields,
    )
