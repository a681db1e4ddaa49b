"""Random sequences of ledger changes: the maintained figures always equal a
recount from the rows, paid never exceeds owed, and refusals write nothing."""

import csv
import io
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingqian.core.models import AuditEvent
from qingqian.core.money import to_yuan_str
from qingqian.demo import demo_uscc
from qingqian.ledger import services
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.imports import ledger_import_run, ledger_import_upload
from qingqian.ledger.models import LedgerImport, LedgerItem, LegalProceeding, Payment
from qingqian.parties.models import Enterprise
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
        st.tuples(st.just("import"), st.integers(0, 3), st.integers(0, 100)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_totals_always_equal_a_recount(make_item, user, steps, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
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


def import_return(keeper, items, new_rows: int, paid_percent: int) -> None:
    """A return that adds contracts and reports more paid on the first open item;
    refused as a whole (and then writing nothing) when a row contradicts the ledger."""
    debtor = Enterprise.objects.get(uscc=demo_uscc("440104", 4))
    creditor = Enterprise.objects.get(uscc=demo_uscc("440106", 1))
    rows = []
    for n in range(new_rows):
        number = f"IMP-{LedgerItem.objects.count() + n:04d}"
        rows.append(_return_row(debtor, creditor, number, 1000_00 + n, 0, 0))
    open_items = [item for item in items if item.status in ("outstanding", "partly_paid")]
    if open_items:
        item = open_items[0]
        paid = item.paid_fen + item.outstanding_fen * paid_percent // 100
        # What is written off is neither paid nor disputed any more.
        disputed = min(item.disputed_fen, item.owed_fen - paid - item.written_off_fen)
        fields = (item.contract_number, item.owed_fen, paid, disputed)
        rows.append(_return_row(item.debtor, item.creditor, *fields))
    if not rows:
        return
    data = io.StringIO()
    csv.writer(data).writerows([TEMPLATE_HEADER, *rows])
    record = ledger_import_upload(
        actor=keeper,
        owner=keeper.organisation,
        fileobj=io.BytesIO(data.getvalue().encode()),
        original_name="return.csv",
    )
    record = ledger_import_run(record)
    assert record.state == LedgerImport.State.DONE, list(record.errors.values())


def _return_row(debtor, creditor, number, owed, paid, disputed) -> list:
    return [
        debtor.uscc,
        debtor.name,
        debtor.type,
        debtor.region_code,
        creditor.uscc,
        creditor.name,
        number,
        "2025-03-01",
        "",
        "2025-06-30",
        to_yuan_str(owed),
        to_yuan_str(paid),
        to_yuan_str(disputed),
        "",
    ]


def apply(step, make_item, user):
    keeper, debtor_rep = user("gd-intake"), user("debtor-demo")
    today = timezone.localdate()
    kind, *args = step
    items = list(LedgerItem.objects.order_by("id"))
    if kind == "create":
        owed, paid_percent = args
        make_item(owed_fen=owed, paid_fen=owed * paid_percent // 100)
        return
    if kind == "import":
        import_return(keeper, items, *args)
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
