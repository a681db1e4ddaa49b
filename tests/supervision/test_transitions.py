"""Every edge of the supervision state machines, allowed and forbidden, walked
through the real services.

The edges are written out by hand from what the services did before the
tables existed (not derived from the tables under test): each allowed
(state, action) pair leads where it says, every other pair is refused with a
conflict and writes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from qingqian.core.models import AuditEvent
from qingqian.supervision.cases import services as case_services
from qingqian.supervision.cases.transitions import CASE_TRANSITIONS, NOTICE_TRANSITIONS
from qingqian.supervision.models import (
    CaseEvent,
    ProvincialReport,
    PublicNotice,
    ReportDefinition,
    SupervisionCase,
)
from qingqian.supervision.reports import services as report_services
from qingqian.supervision.reports.transitions import REPORT_TRANSITIONS
from tests.supervision.test_cases import GD, make_official, open_case

Kind = SupervisionCase.Kind
CaseState = SupervisionCase.State
NoticeState = PublicNotice.State
ReportState = ProvincialReport.State

CASE_EDGES = {
    (CaseState.OPEN, "progress"): CaseState.OPEN,
    (CaseState.OPEN, "interview"): CaseState.OPEN,
    (CaseState.OPEN, "lift"): CaseState.LIFTED,
    (CaseState.OPEN, "conclude"): CaseState.CONCLUDED,
}
NOTICE_EDGES = {
    (NoticeState.PENDING, "approve"): NoticeState.APPROVED,
    (NoticeState.PENDING, "reject"): NoticeState.REJECTED,
}
REPORT_EDGES = {
    (ReportState.DRAFT, "set-value"): ReportState.DRAFT,
    (ReportState.DRAFT, "submit"): ReportState.SUBMITTED,
    (ReportState.SUBMITTED, "reopen"): ReportState.DRAFT,
}


def pairs(states, table):
    return [(state, action) for state in states for action in table]


def writes() -> tuple[int, ...]:
    return (CaseEvent.objects.count(), PublicNotice.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("table", "states", "edges"),
    [
        (CASE_TRANSITIONS, CaseState, CASE_EDGES),
        (NOTICE_TRANSITIONS, NoticeState, NOTICE_EDGES),
        (REPORT_TRANSITIONS, ReportState, REPORT_EDGES),
    ],
)
def test_the_tables_hold_exactly_the_edges(table, states, edges):
    found = {
        (state, action): table.next_state(state, action)
        for state, action in pairs(states, table)
        if table.allowed(state, action)
    }
    assert found == edges


# --- cases ---------------------------------------------------------------------------------

# The kind of case an action applies to; a closed state belongs to one kind.
KIND_OF_ACTION = {
    "progress": Kind.LISTED,
    "interview": Kind.INTERVIEW,
    "lift": Kind.LISTED,
    "conclude": Kind.INTERVIEW,
}
KIND_OF_STATE = {CaseState.LIFTED: Kind.LISTED, CaseState.CONCLUDED: Kind.INTERVIEW}


def case_in(state, action, manager) -> SupervisionCase:
    case = open_case(manager, kind=KIND_OF_STATE.get(state, KIND_OF_ACTION[action]))
    if state != CaseState.OPEN:
        case = case_services.case_lift(actor=manager, case=case, note="已整改")
    assert case.state == state
    return case


def take_case_action(action, case, manager, reporter) -> SupervisionCase:
    if action == "progress":
        return case_services.case_record_progress(actor=reporter, case=case, text="进展")
    if action == "interview":
        return case_services.case_record_interview(
            actor=manager,
            case=case,
            interview_on=date(2026, 10, 20),
            participants="省工信厅",
            minutes="约谈纪要",
        )
    return case_services.case_lift(actor=manager, case=case, note="已整改")  # lift or conclude


@pytest.mark.parametrize(("state", "action"), pairs(CaseState, CASE_TRANSITIONS))
def test_every_case_edge(user, state, action):
    manager = make_official("gd-supervisor", GD)
    case = case_in(state, action, manager)
    before = writes()
    if (state, action) in CASE_EDGES:
        case = take_case_action(action, case, manager, user("gd-intake"))
        assert case.state == CASE_EDGES[state, action]
        assert case.events.latest("pk").action in {action, case.state}
    else:
        with pytest.raises(case_services.CaseConflict):
            take_case_action(action, case, manager, user("gd-intake"))
        assert writes() == before
        case.refresh_from_db()
        assert case.state == state


# --- notices -------------------------------------------------------------------------------


def notice_in(state, drafter, decider) -> PublicNotice:
    notice = case_services.notice_draft(
        actor=drafter, case=open_case(drafter), title="通报", text="正文"
    )
    if state != NoticeState.PENDING:
        approve = state == NoticeState.APPROVED
        notice = case_services.notice_decide(
            actor=decider, notice=notice, approve=approve, note="" if approve else "需核实"
        )
    assert notice.state == state
    return notice


@pytest.mark.parametrize(("state", "action"), pairs(NoticeState, NOTICE_TRANSITIONS))
def test_every_notice_edge(user, state, action):
    drafter, decider = make_official("gd-supervisor", GD), user("supervisor")
    notice = notice_in(state, drafter, decider)
    approve = action == "approve"
    before = writes()
    if (state, action) in NOTICE_EDGES:
        notice = case_services.notice_decide(
            actor=decider, notice=notice, approve=approve, note="" if approve else "需核实"
        )
        assert notice.state == NOTICE_EDGES[state, action]
    else:
        with pytest.raises(case_services.CaseConflict):
            case_services.notice_decide(actor=decider, notice=notice, approve=approve, note="迟")
        assert writes() == before
        notice.refresh_from_db()
        assert notice.state == state


# --- periodic reports ---------------------------------------------------------------------


@pytest.fixture
def report(db, make_item):
    make_item(owed_fen=12_345)
    report_services.reports_generate(
        definition=ReportDefinition.objects.get(code="quarterly-summary"),
        period_start=date(2026, 7, 1),
        on=date(2026, 10, 9),
    )
    return ProvincialReport.objects.get(
        definition__code="quarterly-summary", period_start=date(2026, 7, 1), province_code="440000"
    )


def take_report_action(action, report, reporter, admin) -> ProvincialReport:
    if action == "set-value":
        report_services.report_set_value(
            actor=reporter, report=report, key="received", value=99, reason="核实后更正"
        )
        report.refresh_from_db()
        return report
    if action == "submit":
        return report_services.report_submit(actor=reporter, report=report)
    return report_services.report_reopen(actor=admin, report=report, note="数字有误")


@pytest.mark.parametrize(("state", "action"), pairs(ReportState, REPORT_TRANSITIONS))
def test_every_report_edge(user, report, state, action):
    reporter, admin = user("gd-intake"), user("admin")
    if state == ReportState.SUBMITTED:
        report = report_services.report_submit(actor=reporter, report=report)
    before = (AuditEvent.objects.count(), dict(report.values.values_list("key", "value")))
    if (state, action) in REPORT_EDGES:
        report = take_report_action(action, report, reporter, admin)
        assert report.state == REPORT_EDGES[state, action]
    else:
        with pytest.raises(report_services.ReportConflict):
            take_report_action(action, report, reporter, admin)
        assert (AuditEvent.objects.count(), dict(report.values.values_list("key", "value"))) == (
            before
        )
        report.refresh_from_db()
        assert report.state == state
