"""Random sequences of ledger changes: the maintained figures always equal a
recount from the rows, paid never exceeds owed, and refusals write nothing."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingqian.core.models import AuditEvent
from qingqian.ledger import services
from qingqian.ledger.models import LedgerItem, LegalProceeding, Payment
from tests.ledger.recount import assert_ledger_consistent

amounts = st.integers(min_value=1, max_value=5_000_00)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), amounts, st.integers(0, 100)),
        st.tuples(st.just("pay"), st.integers(0, 9), amounts),
        st.tuples(st.just("reverse"), st.integers(0, 30)),
        st.tuples(st.just("dispute"), st.integers(0, 9), st.integers(0, 100)),
        st.tuples(st.just("plan"), st.integers(0, 9), st.integers(1, 4)),
        st.tuples(st.just("legal"), st.integers(0, 9), st.sampled_from(LegalProceeding.Outcome)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_totals_always_equal_a_recount(make_item, user, steps):
    with transaction.atomic():
        for step in steps:
            audit_before = AuditEvent.objects.count()
            try:
                with transaction.atomic():
                    apply(step, make_item, user)
            except ValidationError:
                assert AuditEvent.objects.count() == audit_before  # a refusal writes nothing
            assert_ledger_consistent()
        transaction.set_rollback(True)


def apply(step, make_item, user):
    keeper, debtor_rep = user("gd-intake"), user("debtor-demo")
    today = timezone.localdate()
    kind, *args = step
    items = list(LedgerItem.objects.order_by("id"))
    if kind == "create":
        owed, paid_percent = args
        make_item(owed_fen=owed, paid_fen=owed * paid_percent // 100)
        return
    if kind == "reverse":
        payments = list(Payment.objects.order_by("id"))
        if payments:
            payment = payments[args[0] % len(payments)]
            services.payment_reverse(actor=keeper, payment=payment, reason="wrong entry")
        return
    if not items:
        return
    item = items[args[0] % len(items)]
    if kind == "pay":  # may exceed the outstanding amount: must then be refused
        services.payment_record(
            actor=debtor_rep, item=item, paid_on=today, amount_fen=args[1], method="transfer"
        )
    elif kind == "dispute":
        disputed = item.outstanding_fen * args[1] // 100
        services.ledger_confirm(actor=debtor_rep, item=item, disputed_fen=disputed, note="quality")
    elif kind == "plan":
        count = min(args[1], max(item.outstanding_fen, 1))
        share, rest = divmod(item.outstanding_fen, count)
        instalments = [
            (today + timedelta(days=30 * (n + 1)), share + (rest if n == 0 else 0))
            for n in range(count)
        ]
        services.plan_create(actor=debtor_rep, item=item, instalments=instalments)
    elif kind == "legal":
        proceeding = services.legal_route_open(
            actor=keeper, item=item, kind="mediation", body="人民调解委员会", filed_on=today
        )
        if args[1] != LegalProceeding.Outcome.PENDING:
            services.legal_route_decide(
                actor=keeper, proceeding=proceeding, outcome=args[1], decided_on=today
            )
