"""Audited writes of complaints: filing, the workflow actions and internal notes.

The app's public services, re-exported so that callers write
`from qingqian.complaints import services` and `services.complaint_accept(...)`.
"""

from qingqian.complaints.services.acting import may_act, today
from qingqian.complaints.services.filing import (
    complaint_create_draft,
    complaint_file,
    complaint_submit,
    complaint_update_draft,
)
from qingqian.complaints.services.handling import (
    ACTIONS,
    complaint_accept,
    complaint_approve_result,
    complaint_debtor_response,
    complaint_extend,
    complaint_feedback,
    complaint_not_accept,
    complaint_reopen,
    complaint_request_material,
    complaint_resubmit,
    complaint_return,
    complaint_send_back,
    complaint_submit_result,
    complaint_supervision_order,
    complaint_terminate,
    complaint_transfer,
    complaint_withdraw,
)
from qingqian.complaints.services.notes import complaint_add_internal_note

__all__ = [
    "ACTIONS",
    "complaint_accept",
    "complaint_add_internal_note",
    "complaint_approve_result",
    "complaint_create_draft",
    "complaint_debtor_response",
    "complaint_extend",
    "complaint_feedback",
    "complaint_file",
    "complaint_not_accept",
    "complaint_reopen",
    "complaint_request_material",
    "complaint_resubmit",
    "complaint_return",
    "complaint_send_back",
    "complaint_submit",
    "complaint_submit_result",
    "complaint_supervision_order",
    "complaint_terminate",
    "complaint_transfer",
    "complaint_update_draft",
    "complaint_withdraw",
    "may_act",
    "today",
]
