"""Background work of the ledger: running imports, and alerts on missed instalments.

An instalment is missed when its due date has passed and what the item has
been paid since the plan was agreed is less than the plan's instalments due
up to that date: every such instalment is missed, not only the first, so a
debtor that stops paying raises an alert at each date it lets pass. Each alert
is keyed per instalment, so running the job again sends nothing twice.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from qingqian.accounts.models import Role, User
from qingqian.core.money import to_yuan_str
from qingqian.ledger.imports import ledger_import_run
from qingqian.ledger.models import Instalment, LedgerImport, RepaymentPlan, Status
from qingqian.notifications.services import notify


@task()
def ledger_import_task(import_id: int) -> dict:
    record = ledger_import_run(LedgerImport.objects.get(pk=import_id))
    return {"state": record.state, "created": record.created_count, "errors": record.error_count}


@task()
def missed_instalments_task(on: str | None = None) -> int:
    return send_missed_instalment_alerts(on=date.fromisoformat(on) if on else None)


def missed_instalments(on: date) -> list[Instalment]:
    """Every missed instalment of each active plan, as of `on`."""
    missed = []
    plans = RepaymentPlan.objects.filter(
        state=RepaymentPlan.State.ACTIVE,
        instalments__due_on__lt=on,
        item__status__in=(Status.OUTSTANDING, Status.PARTLY_PAID, Status.LEGAL_ROUTE),
    ).distinct()
    for plan in plans.select_related("item"):
        paid_since = plan.item.paid_fen - plan.paid_at_start_fen
        due_so_far = 0
        for instalment in plan.instalments.filter(due_on__lt=on).order_by("number"):
            due_so_far += instalment.amount_fen
            if paid_since < due_so_far:
                missed.append(instalment)
    return missed


def send_missed_instalment_alerts(*, on: date | None = None) -> int:
    on = on or timezone.localdate()
    sent = 0
    for instalment in missed_instalments(on):
        item = instalment.plan.item
        for recipient in _keepers(item):
            sent += bool(
                notify(
                    recipient=recipient,
                    dedup_key=f"ledger-instalment:{instalment.pk}:missed",
                    subject=_("Missed repayment instalment: contract %(number)s")
                    % {"number": item.contract_number},
                    body=_("Instalment %(n)d of %(yuan)s yuan was due on %(due)s and is not paid.")
                    % {
                        "n": instalment.number,
                        "yuan": to_yuan_str(instalment.amount_fen),
                        "due": instalment.due_on.isoformat(),
                    },
                    url=reverse("ledger:item", args=[item.pk]),
                )
            )
    return sent


def _keepers(item):
    """Intake officers and handlers of the organisation that keeps the item."""
    return User.objects.filter(
        organisation_id=item.owner_id, role__in=(Role.INTAKE, Role.HANDLER), is_active=True
    )
