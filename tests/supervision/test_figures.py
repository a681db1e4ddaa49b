"""Every dashboard figure equals a recount from the raw rows, after random
sequences of complaint transitions and ledger changes; the drill-down lists
exactly the rows a figure counts; the maintained tallies equal their recount."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingqian.accounts.models import Organisation, Role, User
from qingqian.complaints import services
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.models import Complaint, ComplaintEvent, Deadline
from qingqian.complaints.transitions import allowed_actions
from qingqian.ledger import services as ledger_services
from qingqian.ledger.models import LedgerItem
from qingqian.parties.models import Enterprise
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.dashboard import tallies

# The rules, stated again here rather than imported: which actions each figure counts.
ACTIONS_OF = {
    "received": {"submit"},
    "accepted": {"accept"},
    "not_accepted": {"not-accept"},
    "transferred": {"transfer"},
    "returned": {"return"},
    "extensions": {"extend"},
    "resolved": {"approve-result"},
    "closed": {"feedback"},
    "reopened": {"reopen"},
    "terminated": {"withdraw", "terminate"},
}
PROPER_END = {
    "review": {"accept", "not-accept"},
    "transfer": {"transfer"},
    "handling": {"submit-result", "extend"},
}
DEBTORS = ["广东粤海城建集团有限公司", "深圳市某区住房和建设局", "广州市第一人民医院（示例）"]
DEPARTMENTS = ["广东省财政厅", "广东省人民政府国有资产监督管理委员会"]
BASE_DAY = date(2026, 1, 5)
PERIOD = ("2025-01", timezone.localdate().strftime("%Y-%m"))

# Each complaint: its debtor and the choices that drive it, one per round; a
# ledger payment (item, percent of the outstanding amount) after some rounds.
histories = st.lists(
    st.tuples(
        st.integers(0, len(DEBTORS) - 1),
        st.lists(st.tuples(st.integers(0, 20), st.integers(0, 1000)), min_size=4, max_size=14),
    ),
    min_size=1,
    max_size=5,
)
payments = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 100)), max_size=14)


def interleave(complaint_plans, payment_plan):
    """Round by round: each complaint's next step, then maybe a payment."""
    steps = [("new", debtor) for debtor, _choices in complaint_plans]
    for round_ in range(max(len(choices) for _debtor, choices in complaint_plans)):
        for which, (_debtor, choices) in enumerate(complaint_plans):
            if round_ < len(choices):
                steps.append(("act", which, *choices[round_]))
        if round_ < len(payment_plan):
            steps.append(("pay", *payment_plan[round_]))
    return steps


@pytest.fixture
def second_handler(db):
    department = Organisation.objects.get(name=DEPARTMENTS[1])
    return User.objects.create(username="gd-handler-2", role=Role.HANDLER, organisation=department)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(complaint_plans=histories, payment_plan=payments)
def test_figures_equal_a_recount_after_any_history(
    user, second_handler, complaint_plans, payment_plan
):
    with transaction.atomic():
        complaints: list[Complaint] = []
        for index, step in enumerate(interleave(complaint_plans, payment_plan)):
            day = BASE_DAY + timedelta(days=4 * index)
            try:
                with transaction.atomic():
                    take(step, complaints, day, user)
            except (ValidationError, ComplaintConflict, PermissionDenied):
                pass
        assert_tallies_equal_recount()
        assert_dashboards_equal_rows(user)
        transaction.set_rollback(True)


def take(step, complaints, day, user):
    if step[0] == "new":
        sme = user("sme-demo")
        draft = services.complaint_create_draft(
            actor=sme,
            complainant=sme.enterprise,
            debtor=Enterprise.objects.get(name=DEBTORS[step[1]]),
            contract_number=f"FIG-{len(complaints):03d}",
            contract_signed_on=date(2025, 3, 1),
            subject="goods",
            delivered_on=date(2025, 6, 30),
            payment_due_on=date(2025, 8, 29),
            amount_owed_fen=100_000_00,
            amount_paid_fen=0,
            request_text="请求支付货款。",
            facts_text="交货后未付款。",
            undertaking=True,
        )
        complaints.append(services.complaint_submit(actor=sme, complaint=draft, on=day))
    elif step[0] == "act" and complaints:
        _, which, choice, seed = step
        complaint = Complaint.objects.get(pk=complaints[which % len(complaints)].pk)
        act(complaint, choice, seed, day)
    elif step[0] == "pay":
        items = list(LedgerItem.objects.filter(contract_number__startswith="FIG-").order_by("pk"))
        if items:
            item = items[step[1] % len(items)]
            ledger_services.payment_record(
                actor=User.objects.get(username="gd-intake"),
                item=item,
                paid_on=min(day, timezone.localdate()),
                amount_fen=max(1, item.outstanding_fen * step[2] // 100),
                method="transfer",
            )


def act(complaint: Complaint, choice: int, seed: int, day: date) -> None:
    allowed = {a for role in Role for a in allowed_actions(complaint.state, role)} - {"submit"}
    ending = sorted(allowed & {"withdraw", "terminate"})
    onward = sorted(allowed - {"withdraw", "terminate"})
    if choice >= 19 and ending:  # now and then a complaint ends early
        action = ending[choice % len(ending)]
    elif onward:
        action = onward[choice % len(onward)]
    else:
        return
    actor = actor_for(complaint, action)
    params = params_for(complaint, action, seed, day)
    services.ACTIONS[action](actor=actor, complaint=complaint, on=day, **params)


def actor_for(complaint: Complaint, action: str) -> User:
    if action in {"resubmit", "feedback", "reopen", "withdraw"}:
        return User.objects.get(username="sme-demo")
    if action in {"return", "debtor-response", "extend", "supervision-order", "submit-result"}:
        return User.objects.filter(
            role=Role.HANDLER, organisation=complaint.handling_department
        ).first()
    return User.objects.filter(role=Role.INTAKE, organisation=complaint.accepting_authority).first()


def params_for(complaint: Complaint, action: str, seed: int, day: date) -> dict:
    department = Organisation.objects.get(name=DEPARTMENTS[seed % 2])
    return {
        "request-material": {"note": "补充材料"},
        "not-accept": {"ground": "taken_up", "note": "已由法院受理"},
        "transfer": {"department": department},
        "return": {"reason": "不属于本部门"},
        "debtor-response": {"confirmed_fen": seed * 100, "disputed_fen": (seed % 3) * 1000},
        "extend": {"total_days": 30 + seed % 61, "approved_by": "负责人", "reason": "情况复杂"},
        "supervision-order": {"due_on": day + timedelta(days=1 + seed % 20), "note": "限期付款"},
        "submit-result": {"kind": ["paid", "plan", "disputed", "other"][seed % 4], "text": "结果"},
        "send-back": {"comments": "请补充"},
        "feedback": {"satisfied": seed % 2 == 0},
        "reopen": {"new_facts": "新事实"},
        "terminate": {"reason": "法院已受理"},
    }.get(action, {})


# --- the checks ------------------------------------------------------------------------


def assert_tallies_equal_recount():
    kept, recounted = tallies.stored(), tallies.recount()
    assert +kept.regions == +recounted.regions
    assert +kept.departments == +recounted.departments
    assert +kept.times == +recounted.times


def jurisdictions(user):
    supervisor = user("supervisor")
    return [(supervisor, ""), (supervisor, "44"), (user("gd-intake"), ""), (supervisor, "4401")]


def assert_dashboards_equal_rows(user):
    today = timezone.localdate()
    first, last = date(2025, 1, 1), today
    for actor, region in jurisdictions(user):
        figures = dashboard.dashboard(actor=actor, region=region, start=PERIOD[0], end=PERIOD[1])
        prefix = figures["jurisdiction"].prefix
        in_region = {"complaint__debtor_region_code__startswith": prefix}
        events = ComplaintEvent.objects.filter(day__gte=first, day__lte=last, **in_region)
        shown = figures["complaints"]
        for measure, actions in ACTIONS_OF.items():
            expected = events.filter(action__in=actions).count()
            assert shown[measure] == expected, (region, measure)
            assert drill(actor, region, measure).count() == expected, (region, measure)
        extended = events.filter(action="extend").values("complaint").distinct().count()
        assert shown["extended"] == extended  # complaints, however often extended
        assert drill(actor, region, "extended").count() == extended
        feedback = [e.details["satisfied"] for e in events.filter(action="feedback")]
        assert shown["satisfied"] == feedback.count(True)
        assert shown["unsatisfied"] == feedback.count(False)
        clocks = Deadline.objects.filter(ended_on__gte=first, ended_on__lte=last, **in_region)
        running_late = Deadline.objects.filter(status="open", due_on__lt=today, **in_region)
        for stage, ends in PROPER_END.items():
            for status in ("met", "breached"):
                expected = clocks.filter(stage=stage, status=status, ended_by__in=ends).count()
                if status == "breached":  # still running past the due date: breached too
                    expected += running_late.filter(stage=stage).count()
                assert shown["on_time"][stage][status] == expected, (region, stage, status)
                assert drill(actor, region, f"{stage}_{status}").count() == expected
        overdue = Deadline.objects.filter(status="open", due_on__lt=today, **in_region)
        assert figures["overdue"]["total"] == overdue.count()
        assert drill(actor, region, "overdue").count() == overdue.count()
        assert_handling_time(figures["handling_time"], clocks)
        assert_ledger(figures["ledger"], prefix)
        assert_breakdowns_add_up(figures)


def drill(actor, region, measure):
    return dashboard.facts_behind(
        actor=actor, measure=measure, region=region, start=PERIOD[0], end=PERIOD[1]
    )


def assert_handling_time(shown, clocks):
    days = sorted(
        (c.ended_on - c.start_on).days
        for c in clocks.filter(stage="handling", ended_by="submit-result")
    )
    assert shown["count"] == len(days)
    if days:
        assert float(shown["average_days"]) == pytest.approx(sum(days) / len(days), abs=0.05)
        assert shown["p90_days"] == days[math.ceil(0.9 * len(days)) - 1]
    else:
        assert shown["p90_days"] is None


def assert_ledger(shown, prefix):
    """The figures as the user guide defines them, recounted from the items."""
    items = LedgerItem.objects.filter(region_code__startswith=prefix)
    owed = sum(i.owed_fen for i in items)
    written_off = sum(i.written_off_fen for i in items)
    paid = sum(i.paid_fen for i in items)
    disputed = sum(i.disputed_fen for i in items)
    assert shown["items"] == items.count()
    assert shown["identified_fen"] == owed - written_off
    assert shown["cleared_fen"] == paid
    assert shown["outstanding_fen"] == owed - written_off - paid
    assert shown["undisputed_outstanding_fen"] == owed - written_off - paid - disputed
    legal = items.filter(status="legal_route")
    assert shown["legal_route_fen"] == sum(i.disputed_fen for i in legal)


def assert_breakdowns_add_up(figures):
    """Parts sum to the whole: regions (where the level has parts), debtor types, months."""
    for measure in ("received", "resolved", "closed"):
        total = figures["complaints"][measure]
        if figures["by_region"]:
            assert sum(r["complaints"][measure] for r in figures["by_region"]) == total
        assert sum(r["complaints"][measure] for r in figures["by_debtor_type"]) == total
        assert sum(r["complaints"][measure] for r in figures["by_month"]) == total
    for stage in ("review", "transfer", "handling"):
        breached = figures["complaints"]["on_time"][stage]["breached"]
        if figures["by_region"]:
            parts = figures["by_region"]
            assert sum(r["complaints"]["on_time"][stage]["breached"] for r in parts) == breached
        parts = figures["by_debtor_type"]
        assert sum(r["complaints"]["on_time"][stage]["breached"] for r in parts) == breached
    if figures["by_region"]:
        assert sum(r["overdue"] for r in figures["by_region"]) == figures["overdue"]["total"]
        identified = sum(r["ledger"]["identified_fen"] for r in figures["by_region"])
        assert identified == figures["ledger"]["identified_fen"]
