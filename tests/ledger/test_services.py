from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingqian.core.models import AuditEvent
from qingqian.ledger import selectors, services
from qingqian.ledger.models import LedgerItem, LegalProceeding, Payment, RepaymentPlan, Status
from tests.ledger.recount import assert_ledger_consistent

TODAY = timezone.localdate


def test_create_records_paid_as_a_payment_and_moves_totals(make_item, user):
    item = make_item(owed_fen=500_00, paid_fen=200_00)
    assert item.status == Status.PARTLY_PAID
    assert item.outstanding_fen == 300_00
    [payment] = item.payments.all()
    assert payment.amount_fen == 200_00
    totals = selectors.ledger_totals(actor=user("gd-intake"))
    assert (totals.items, totals.owed_fen, totals.paid_fen) == (1, 500_00, 200_00)
    assert AuditEvent.objects.filter(verb="ledger.create", target_id=str(item.pk)).exists()
    assert_ledger_consistent()


def test_same_contract_twice_is_refused_naming_the_field(make_item):
    make_item(contract_number="C-1")
    with pytest.raises(ValidationError) as refused:
        make_item(contract_number="C-1")
    assert "contract_number" in refused.value.message_dict
    assert LedgerItem.objects.count() == 1


def test_a_state_owned_sme_is_refused_as_a_debtor_by_the_coverage_rule(make_item):
    from decimal import Decimal

    from django.utils import translation

    from qingqian.demo import demo_uscc
    from qingqian.parties.models import Enterprise

    sme_by_facts = Enterprise.objects.create(
        uscc=demo_uscc("440106", 961),
        name="广州某国有物流有限公司",
        type=Enterprise.Type.STATE_OWNED,
        region_code="440106",
        industry="transport",
        staff=80,
        revenue_wan=Decimal("2500"),
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        make_item(debtor=sme_by_facts)
    [message] = refused.value.message_dict["debtor"]
    assert "国有企业属于大型企业的适用，属于中小企业的不适用" in message
    assert LedgerItem.objects.count() == 0


@pytest.mark.parametrize(
    "amounts, field",
    [
        ({"owed_fen": 0}, "owed_fen"),
        ({"owed_fen": -5}, "owed_fen"),
        ({"owed_fen": 100, "paid_fen": 101}, "paid_fen"),
        ({"owed_fen": 100, "paid_fen": -1}, "paid_fen"),
        ({"owed_fen": 100, "paid_fen": 60, "disputed_fen": 41}, "disputed_fen"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(make_item, amounts, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_item(**amounts)
    assert field in refused.value.message_dict
    assert LedgerItem.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_due_before_signing_is_refused(make_item):
    with pytest.raises(ValidationError) as refused:
        make_item(contract_signed_on=date(2025, 5, 1), due_on=date(2025, 4, 1))
    assert "due_on" in refused.value.message_dict


def test_keepers_only_in_their_jurisdiction(make_item, user):
    with pytest.raises(PermissionDenied):
        make_item(actor=user("js-intake"))  # a Guangdong debtor, a Jiangsu official
    with pytest.raises(PermissionDenied):
        make_item(actor=user("supervisor"))  # supervisors watch, they do not keep
    with pytest.raises(PermissionDenied):
        make_item(actor=user("sme-demo"))


def test_database_refuses_paid_above_owed_even_without_the_service(make_item):
    item = make_item(owed_fen=100_00)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerItem.objects.filter(pk=item.pk).update(paid_fen=100_01)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerItem.objects.filter(pk=item.pk).update(disputed_fen=100_01)


def test_payment_then_full_payment_clears(make_item, user):
    item = make_item(owed_fen=1000_00)
    services.payment_record(
        actor=user("debtor-demo"), item=item, paid_on=TODAY(), amount_fen=400_00, method="transfer"
    )
    item.refresh_from_db()
    assert (item.status, item.paid_fen) == (Status.PARTLY_PAID, 400_00)
    services.payment_record(
        actor=user("gd-intake"), item=item, paid_on=TODAY(), amount_fen=600_00, method="bill"
    )
    item.refresh_from_db()
    assert (item.status, item.outstanding_fen) == (Status.CLEARED, 0)
    event = AuditEvent.objects.filter(verb="ledger.payment").latest("seq")
    assert event.payload["bill"] is True
    assert_ledger_consistent()


def test_overpayment_is_refused_with_the_outstanding_amount(make_item, user):
    item = make_item(owed_fen=100_00, paid_fen=40_00)
    with pytest.raises(ValidationError) as refused:
        services.payment_record(
            actor=user("gd-intake"), item=item, paid_on=TODAY(), amount_fen=60_01, method="transfer"
        )
    assert "60.00" in refused.value.message_dict["amount_fen"][0]
    assert Payment.objects.filter(item=item).count() == 1


def test_future_payment_and_unknown_method_are_refused(make_item, user):
    item = make_item()
    for bad, field in [
        ({"paid_on": TODAY() + timedelta(days=1), "method": "transfer"}, "paid_on"),
        ({"paid_on": TODAY(), "method": "cash-in-a-bag"}, "method"),
        ({"paid_on": TODAY(), "method": "reported"}, "method"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.payment_record(actor=user("gd-intake"), item=item, amount_fen=1_00, **bad)
        assert field in refused.value.message_dict


def test_other_debtors_representative_may_not_pay_or_confirm(make_item, user, debtor):
    item = make_item()
    sme = user("sme-demo")
    with pytest.raises(PermissionDenied):
        services.ledger_confirm(actor=sme, item=item)
    with pytest.raises(PermissionDenied):
        services.payment_record(
            actor=sme, item=item, paid_on=TODAY(), amount_fen=1_00, method="transfer"
        )


def test_reversal_is_a_new_negative_entry(make_item, user):
    item = make_item(owed_fen=100_00)
    payment = services.payment_record(
        actor=user("gd-intake"), item=item, paid_on=TODAY(), amount_fen=100_00, method="transfer"
    )
    reversal = services.payment_reverse(actor=user("gd-intake"), payment=payment, reason="wrong")
    item.refresh_from_db()
    payment.refresh_from_db()
    assert payment.amount_fen == 100_00  # the original is untouched
    assert reversal.amount_fen == -100_00 and reversal.reverses == payment
    assert (item.paid_fen, item.status) == (0, Status.OUTSTANDING)
    with pytest.raises(ValidationError):
        services.payment_reverse(actor=user("gd-intake"), payment=payment, reason="again")
    with pytest.raises(ValidationError):
        services.payment_reverse(actor=user("gd-intake"), payment=reversal, reason="undo")
    assert_ledger_consistent()


def test_dispute_then_payment_settles_the_undisputed_part_first(make_item, user):
    item = make_item(owed_fen=1000_00)
    services.ledger_confirm(
        actor=user("debtor-demo"), item=item, disputed_fen=300_00, note="quality"
    )
    item.refresh_from_db()
    assert (item.category, item.undisputed_outstanding_fen) == ("disputed", 700_00)
    services.payment_record(
        actor=user("debtor-demo"), item=item, paid_on=TODAY(), amount_fen=800_00, method="transfer"
    )
    item.refresh_from_db()
    # 700 undisputed paid, then 100 of the disputed 300: 200 remain, all disputed.
    assert (item.outstanding_fen, item.disputed_fen) == (200_00, 200_00)
    assert list(item.confirmations.values_list("kind", flat=True)) == ["disputed"]
    assert_ledger_consistent()


def test_dispute_needs_a_reason_and_a_sane_amount(make_item, user):
    item = make_item(owed_fen=100_00)
    with pytest.raises(ValidationError) as refused:
        services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=50_00)
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=100_01, note="x")
    assert "disputed_fen" in refused.value.message_dict


def test_plan_must_sum_to_outstanding_and_replaces_the_previous(make_item, user):
    item = make_item(owed_fen=900_00, paid_fen=300_00)
    soon = TODAY() + timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        services.plan_create(actor=user("debtor-demo"), item=item, instalments=[(soon, 500_00)])
    assert "600.00" in refused.value.message_dict["instalments"][0]
    first = services.plan_create(
        actor=user("debtor-demo"),
        item=item,
        instalments=[(soon, 100_00), (soon + timedelta(days=30), 500_00)],
    )
    second = services.plan_create(actor=user("gd-intake"), item=item, instalments=[(soon, 600_00)])
    first.refresh_from_db()
    assert first.state == RepaymentPlan.State.REPLACED
    assert second.state == RepaymentPlan.State.ACTIVE
    services.payment_record(
        actor=user("debtor-demo"), item=item, paid_on=TODAY(), amount_fen=600_00, method="transfer"
    )
    second.refresh_from_db()
    assert second.state == RepaymentPlan.State.COMPLETED


def test_plan_dates_must_increase_and_lie_ahead(make_item, user):
    item = make_item(owed_fen=200_00)
    later = TODAY() + timedelta(days=5)
    for instalments in (
        [(later, 100_00), (later, 100_00)],
        [(TODAY() - timedelta(days=1), 200_00)],
        [(later + timedelta(days=5), 100_00), (later, 100_00)],
        [(later, 200_00), (later + timedelta(days=1), 0)],
        [],
    ):
        with pytest.raises(ValidationError):
            services.plan_create(actor=user("gd-intake"), item=item, instalments=instalments)
    assert not RepaymentPlan.objects.exists()


def test_legal_route_then_decision_for_the_debtor_writes_off(make_item, user):
    item = make_item(owed_fen=300_00)
    services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=300_00, note="no")
    proceeding = services.legal_route_open(
        actor=user("gd-intake"),
        item=item,
        kind="litigation",
        body="广州市天河区人民法院",
        case_number="(2026)粤0106民初1号",
        filed_on=TODAY(),
    )
    item.refresh_from_db()
    assert item.status == Status.LEGAL_ROUTE
    services.legal_route_decide(
        actor=user("gd-intake"),
        proceeding=proceeding,
        outcome=LegalProceeding.Outcome.FOR_DEBTOR,
        decided_on=TODAY(),
    )
    item.refresh_from_db()
    assert item.status == Status.WRITTEN_OFF
    with pytest.raises(ValidationError):
        services.payment_record(
            actor=user("gd-intake"), item=item, paid_on=TODAY(), amount_fen=1_00, method="transfer"
        )
    assert_ledger_consistent()


def test_decision_for_the_creditor_returns_to_the_payment_status(make_item, user):
    item = make_item(owed_fen=300_00, paid_fen=100_00)
    proceeding = services.legal_route_open(
        actor=user("gd-intake"),
        item=item,
        kind="arbitration",
        body="广州仲裁委员会",
        filed_on=TODAY(),
    )
    services.legal_route_decide(
        actor=user("gd-intake"), proceeding=proceeding, outcome="for_creditor", decided_on=TODAY()
    )
    item.refresh_from_db()
    assert item.status == Status.PARTLY_PAID
    with pytest.raises(ValidationError):
        services.legal_route_decide(
            actor=user("gd-intake"), proceeding=proceeding, outcome="settled", decided_on=TODAY()
        )


def test_scoping_of_reads(make_item, user):
    item = make_item()
    sees = {
        name: selectors.ledger_items(actor=user(name)).filter(pk=item.pk).exists()
        for name in (
            "gd-intake",
            "gd-handler",
            "supervisor",
            "sme-demo",
            "debtor-demo",
            "js-intake",
            "sme-demo-2",
            "sme-js",
        )
    }
    assert sees == {
        "gd-intake": True,
        "gd-handler": True,
        "supervisor": True,
        "sme-demo": True,  # the creditor
        "debtor-demo": True,  # the debtor's representative
        "js-intake": False,
        "sme-demo-2": False,
        "sme-js": False,
    }
    assert selectors.ledger_totals(actor=user("js-intake")).items == 0
    assert selectors.ledger_totals(actor=user("sme-demo")).items == 1


def test_keyset_pages_cover_every_row_once(make_item, user):
    made = {make_item(owed_fen=n * 100).pk for n in range(1, 8)}
    seen, after = [], None
    while True:
        page, after = selectors.ledger_page(actor=user("gd-intake"), after_id=after, size=3)
        seen += [item.pk for item in page]
        if after is None:
            break
    assert seen == sorted(made, reverse=True)


def test_filtered_totals_equal_the_rows_shown(make_item, user):
    for n in range(1, 6):
        make_item(owed_fen=n * 100_00)
    filters = selectors.LedgerFilter(min_owed_fen=200_00, max_owed_fen=400_00)
    rows = list(selectors.ledger_items(actor=user("gd-intake"), filters=filters))
    totals = selectors.ledger_totals(actor=user("gd-intake"), filters=filters)
    assert totals.items == len(rows) == 3
    assert totals.owed_fen == sum(item.owed_fen for item in rows) == 900_00


def test_a_plan_adding_up_beyond_any_amount_is_refused_cleanly(make_item, user):
    item = make_item(owed_fen=100_00)
    soon = TODAY() + timedelta(days=5)
    huge = 99_999_999_999_999_999
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            actor=user("gd-intake"),
            item=item,
            instalments=[(soon, huge), (soon + timedelta(days=1), huge)],
        )
    assert "100.00" in refused.value.message_dict["instalments"][0]


def test_administrators_may_record_payments(make_item, user):
    item = make_item(owed_fen=100_00)
    services.payment_record(
        actor=user("admin"), item=item, paid_on=TODAY(), amount_fen=10_00, method="transfer"
    )
    item.refresh_from_db()
    assert item.paid_fen == 10_00


def test_a_write_off_ends_the_plan_and_its_alerts(make_item, user):
    from qingqian.ledger.tasks import missed_instalments

    item = make_item(owed_fen=300_00)
    plan = services.plan_create(
        actor=user("debtor-demo"), item=item, instalments=[(TODAY() + timedelta(days=5), 300_00)]
    )
    services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=300_00, note="no")
    proceeding = services.legal_route_open(
        actor=user("gd-intake"), item=item, kind="mediation", body="调解委员会", filed_on=TODAY()
    )
    services.legal_route_decide(
        actor=user("gd-intake"), proceeding=proceeding, outcome="for_debtor", decided_on=TODAY()
    )
    plan.refresh_from_db()
    assert plan.state == RepaymentPlan.State.COMPLETED
    assert missed_instalments(TODAY() + timedelta(days=30)) == []
