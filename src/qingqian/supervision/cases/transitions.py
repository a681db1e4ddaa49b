"""The state machines of supervision cases and public notices: tables, in code.

"Who" names a standing towards the case rather than a role: the managing
supervisors (`permissions.may_manage`) and the supervised organisation's
people (`permissions.may_report_progress`). Which kind of case may take which
closing action (a listed case is lifted, an interview concluded) is the
services' business.
"""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.supervision.models import PublicNotice, SupervisionCase

MANAGER = "manager"
SUPERVISED = "supervised"

CaseState = SupervisionCase.State
NoticeState = PublicNotice.State

CASE_TRANSITIONS = TransitionTable(
    [
        transition("progress", {CaseState.OPEN}, None, SUPERVISED),
        transition("interview", {CaseState.OPEN}, None, MANAGER),
        transition("lift", {CaseState.OPEN}, CaseState.LIFTED, MANAGER),
        transition("conclude", {CaseState.OPEN}, CaseState.CONCLUDED, MANAGER),
    ]
)

NOTICE_TRANSITIONS = TransitionTable(
    [
        transition("approve", {NoticeState.PENDING}, NoticeState.APPROVED, MANAGER),
        transition("reject", {NoticeState.PENDING}, NoticeState.REJECTED, MANAGER),
    ]
)
