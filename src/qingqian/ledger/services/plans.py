"""Repayment plans: a new plan replaces the active one; a closed item's plan completes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from qingqian.core import audit
from qingqian.ledger import verbs
from qingqian.ledger.models import Instalment, LedgerItem, RepaymentPlan
from qingqian.ledger.permissions import require_answerer
from qingqian.ledger.rules import check_instalments
from qingqian.ledger.services.common import acting_user, lock_item, require_act
from qingqian.ledger.transitions import OPEN, PLAN_TRANSITIONS


@transaction.atomic
def plan_create(*, actor, item: LedgerItem, instalments: list[tuple[date, int]]) -> RepaymentPlan:
    """Instalments with increasing dates summing exactly to the undisputed amount outstanding."""
    item = lock_item(item)
    require_answerer(actor, item)
    require_act(item, "plan")
    check_instalments(item, instalments)
    replaced, replaced_state = _plans_leaving(RepaymentPlan.objects.filter(item=item), "replace")
    replaced_ids = list(replaced.values_list("pk", flat=True))
    replaced.update(state=replaced_state)
    plan = RepaymentPlan.objects.create(
        item=item,
        state=RepaymentPlan.State.ACTIVE,
        paid_at_start_fen=item.paid_fen,
        created_by=acting_user(actor),
    )
    Instalment.objects.bulk_create(
        Instalment(plan=plan, number=number, due_on=due_on, amount_fen=amount)
        for number, (due_on, amount) in enumerate(instalments, start=1)
    )
    audit.record(
        actor=actor,
        verb=verbs.PLAN,
        target=item,
        payload={"plan": plan.pk, "replaces": replaced_ids, "instalments": instalments},
    )
    return plan


def close_plans(item_ids) -> None:
    """Active plans of items now cleared or written off are over: nothing more is due."""
    closing, completed = _plans_leaving(
        RepaymentPlan.objects.filter(item_id__in=item_ids), "complete"
    )
    closing.update(state=completed)


def close_plans_if_closed(item: LedgerItem) -> None:
    if item.status not in OPEN:
        close_plans([item.pk])


def _plans_leaving(plans, action: str):
    """Those of `plans` that `action` starts from, and the state it takes them to."""
    edge = PLAN_TRANSITIONS[action]
    return plans.filter(state__in=edge.sources), edge.target
