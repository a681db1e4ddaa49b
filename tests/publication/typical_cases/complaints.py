"""A finished complaint whose words carry every kind of personal data (shared with
the public crawl, tests/portal/test_no_personal_data.py)."""

from __future__ import annotations

from datetime import date

from qingqian.accounts.models import Organisation
from qingqian.complaints import services as complaint_services
from qingqian.complaints.models import Complaint, State
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprise_update
from tests.conftest import DEBTOR

CONTACT_NAME, CONTACT_PHONE = "周晓梅", "13712345678"
IDENTITY = "11010519491231002X"  # a valid check digit (GB 11643's example)
ACCOUNT = "6222021234567890123"
EMAIL = "li.manager@mingda-example.cn"
ADDRESS = "天河路100号2栋501室"
CLOSED_ON = date(2026, 11, 2)


CONTRACT = "GZ-2025-0042"


def personal_facts(sme: Enterprise, debtor: Enterprise) -> str:
    """Facts as an SME might type them: every kind of personal data in them."""
    return (
        f"{sme.name}（统一社会信用代码{sme.uscc}）于2025年3月与{debtor.name}（{debtor.uscc}）签订设备采购合同，"
        f"合同编号{CONTRACT}。联系人{sme.contact_name}，电话{sme.contact_phone}，"
        f"法定代表人身份证号{IDENTITY}，收款账号{ACCOUNT}，邮箱{EMAIL}，"
        f"公司地址广州市天河区{ADDRESS}。经办人明达 李经理多次催款，对方至今未付余款。"
    )


def close(complaint: Complaint, user) -> Complaint:
    """Walk the complaint to its end (closed, with the SME's feedback)."""
    complaint = complaint_services.complaint_submit(
        actor=user("sme-demo"), complaint=complaint, on=date(2026, 9, 30)
    )
    complaint = complaint_services.complaint_accept(
        actor=user("gd-intake"), complaint=complaint, on=date(2026, 10, 9)
    )
    complaint = complaint_services.complaint_transfer(
        actor=user("gd-intake"),
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
        on=date(2026, 10, 12),
    )
    complaint = complaint_services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=complaint, confirmed_fen=100_000_00, disputed_fen=0
    )
    complaint = complaint_services.complaint_submit_result(
        actor=user("gd-handler"),
        complaint=complaint,
        kind="paid",
        text="经协调，欠款单位已全额支付。",
        on=CLOSED_ON,
    )
    complaint = complaint_services.complaint_approve_result(
        actor=user("gd-intake"), complaint=complaint
    )
    complaint = complaint_services.complaint_feedback(
        actor=user("sme-demo"), complaint=complaint, satisfied=True
    )
    assert complaint.state == State.CLOSED
    return complaint


def closed_complaint_with_personal_data(draft, user) -> Complaint:
    """Of sme-demo against the Guangdong debtor: its enterprise's contact person and
    phone set, its facts naming them and more, walked to closed."""
    sme = enterprise_update(
        actor=None,
        enterprise=user("sme-demo").enterprise,
        contact_name=CONTACT_NAME,
        contact_phone=CONTACT_PHONE,
    )
    facts = personal_facts(sme, Enterprise.objects.get(name=DEBTOR))
    return close(draft(facts_text=facts, contract_number=CONTRACT), user)
