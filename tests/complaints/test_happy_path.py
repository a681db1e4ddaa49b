from datetime import date

import pytest

from qingqian.accounts.models import Organisation
from qingqian.complaints import services
from qingqian.complaints.models import Deadline, State

ON = date(2026, 9, 30)


@pytest.mark.django_db
def test_the_whole_journey(draft, user):
    complaint = draft()
    complaint = services.complaint_submit(actor=user("sme-demo"), complaint=complaint, on=ON)
    assert complaint.state == State.SUBMITTED
    assert complaint.tracking_number.startswith("QQ-2026-440000-")
    review = complaint.deadlines.get(stage="review")
    assert review.due_on == date(2026, 10, 20)  # 10 working days over National Day 2026
    complaint = services.complaint_accept(
        actor=user("gd-intake"), complaint=complaint, on=date(2026, 10, 9)
    )
    assert complaint.deadlines.get(stage="review").status == Deadline.Status.MET
    department = Organisation.objects.get(name="广东省财政厅")
    complaint = services.complaint_transfer(
        actor=user("gd-intake"), complaint=complaint, department=department, on=date(2026, 10, 12)
    )
    handling = complaint.deadlines.get(stage="handling")
    assert handling.due_on == date(2026, 11, 11)
    complaint = services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=complaint, confirmed_fen=100_000_00, disputed_fen=0
    )
    complaint = services.complaint_submit_result(
        actor=user("gd-handler"),
        complaint=complaint,
        kind="paid",
        text="已全额支付。",
        on=date(2026, 11, 2),
    )
    complaint = services.complaint_approve_result(actor=user("gd-intake"), complaint=complaint)
    complaint = services.complaint_feedback(
        actor=user("sme-demo"), complaint=complaint, satisfied=True
    )
    assert complaint.state == State.CLOSED
    assert [e.action for e in complaint.events.all()] == [
        "create-draft",
        "submit",
        "accept",
        "transfer",
        "debtor-response",
        "submit-result",
        "approve-result",
        "feedback",
    ]
