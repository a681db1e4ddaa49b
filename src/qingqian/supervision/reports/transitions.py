"""The state machine of a province's periodic report: a table, in code.

"Who" names a standing rather than a role: the province's SME authority
(`services.may_report`) and the national administrator
(`units.is_national_admin`).
"""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.supervision.models import ProvincialReport

REPORTER = "reporter"
NATIONAL_ADMIN = "national-admin"

State = ProvincialReport.State

REPORT_TRANSITIONS = TransitionTable(
    [
        transition("set-value", {State.DRAFT}, None, REPORTER),
        transition("submit", {State.DRAFT}, State.SUBMITTED, REPORTER),
        transition("reopen", {State.SUBMITTED}, State.DRAFT, NATIONAL_ADMIN),
    ]
)
