"""About sixty demo complaints in every state, some overdue, so every screen
has content. Built through the workflow services with back-dated days, like
a platform that has been running for a few months. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from qingqian.accounts.models import Organisation, User
from qingqian.complaints import services
from qingqian.complaints.models import Complaint, State
from qingqian.parties.models import Enterprise

# (complainant user, debtor name, handling department) — routing decides the authority.
CASES = [
    ("sme-demo", "广东粤海城建集团有限公司", "广东省财政厅"),
    ("sme-demo", "深圳市某区住房和建设局", "广东省财政厅"),
    ("sme-demo-2", "广州市第一人民医院（示例）", "广东省人民政府国有资产监督管理委员会"),
    ("sme-demo-2", "广东粤海城建集团有限公司", "广东省人民政府国有资产监督管理委员会"),
    ("sme-js", "江苏苏源交通投资集团有限公司", "江苏省住房和城乡建设厅"),
    ("sme-demo", "江苏苏源交通投资集团有限公司", "国务院国有资产监督管理委员会（示例）"),
]
# Target states, cycled; the open ones are the most common, as on a real platform.
STATES = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.TRANSFERRED,
    State.IN_HANDLING,
    State.RESULT_REVIEW,
    State.RESOLVED,
    State.CLOSED,
    State.AWAITING_MATERIAL,
    State.NOT_ACCEPTED,
    State.TERMINATED,
    State.DRAFT,
    State.IN_HANDLING,
]
INTAKE_OF = {"440000": "gd-intake", "320000": "js-intake", "000000": "miit-intake"}
HANDLER_OF = {"广东省财政厅": "gd-handler", "江苏省住房和城乡建设厅": "js-handler"}
COUNT = 60


@transaction.atomic
def seed_demo_complaints(count: int = COUNT) -> int:
    if Complaint.objects.filter(contract_number__startswith="DEMO-").exists():
        return 0
    today = timezone.localdate()
    for number in range(count):
        complainant, debtor, department = CASES[(number + number // len(STATES)) % len(CASES)]
        target = STATES[number % len(STATES)]
        started = today - timedelta(days=5 + (number * 37) % 150)
        _walk(number, complainant, debtor, department, target, started, today)
    return count


def _walk(number, complainant, debtor, department, target, started, today) -> None:
    sme = User.objects.get(username=complainant)
    complaint = services.complaint_create_draft(
        actor=sme,
        complainant=sme.enterprise,
        debtor=Enterprise.objects.get(name=debtor),
        contract_number=f"DEMO-{started.year}-{number + 1:03d}",
        contract_signed_on=started - timedelta(days=240),
        subject=["goods", "works", "services"][number % 3],
        delivered_on=started - timedelta(days=150),
        payment_due_on=started - timedelta(days=120),
        amount_owed_fen=(number * 7919 % 500 + 20) * 10_000_00,
        amount_paid_fen=(number % 4) * 5_000_00,
        request_text="请求依法支付拖欠款项及逾期利息。",
        facts_text="双方签订合同，我方已按约交付并经验收，对方逾期未付款。",
        undertaking=True,
        sme_notified_at_signing=["yes", "no", "unknown"][number % 3],
    )
    if target == State.DRAFT:
        return
    steps = _steps(target, complainant, department)
    day = started
    for action, username, params in steps:
        complaint = services.ACTIONS[action](
            actor=User.objects.get(username=username or INTAKE_OF[complaint.province_code]),
            complaint=complaint,
            on=min(day, today),
            **_params(action, params, department, day),
        )
        day += timedelta(days=3 + number % 9)


def _steps(target, complainant, department):
    handler = HANDLER_OF.get(department)
    if handler is None and target in {
        State.IN_HANDLING,
        State.RESULT_REVIEW,
        State.RESOLVED,
        State.CLOSED,
    }:
        target = State.TRANSFERRED  # no demo handler account for this department
    path = {
        State.SUBMITTED: ["submit"],
        State.AWAITING_MATERIAL: ["submit", "request-material"],
        State.NOT_ACCEPTED: ["submit", "not-accept"],
        State.TERMINATED: ["submit", "withdraw"],
        State.ACCEPTED: ["submit", "accept"],
        State.TRANSFERRED: ["submit", "accept", "transfer"],
        State.IN_HANDLING: ["submit", "accept", "transfer", "debtor-response"],
        State.RESULT_REVIEW: ["submit", "accept", "transfer", "debtor-response", "submit-result"],
        State.RESOLVED: [
            "submit",
            "accept",
            "transfer",
            "debtor-response",
            "submit-result",
            "approve-result",
        ],
        State.CLOSED: [
            "submit",
            "accept",
            "transfer",
            "debtor-response",
            "submit-result",
            "approve-result",
            "feedback",
        ],
    }[target]
    actor = {
        "submit": complainant,
        "withdraw": complainant,
        "feedback": complainant,
        "debtor-response": handler,
        "submit-result": handler,
    }
    return [(action, actor.get(action), {}) for action in path]


def _params(action, params, department, day: date) -> dict:
    return {
        "request-material": {"note": "请补充交付验收单和发票。"},
        "not-accept": {"ground": "taken_up", "note": "该事项已由人民法院受理。"},
        "transfer": {"department": Organisation.objects.get(name=department)},
        "debtor-response": {
            "confirmed_fen": 50_000_00,
            "disputed_fen": 10_000_00,
            "note": "对部分金额有分歧。",
        },
        "submit-result": {"kind": "plan", "text": "双方达成还款计划，分三期于年底前付清。"},
        "feedback": {"satisfied": True, "comment": "感谢。"},
        "withdraw": {"reason": "双方已自行和解。"},
    }.get(action, params)
