"""A complaint's debtor response and result keep its contract's ledger item."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from qingqian.accounts.models import Organisation
from qingqian.complaints import services
from qingqian.core.models import AuditEvent
from qingqian.ledger.models import LedgerItem, Source, Status
from tests.ledger.recount import assert_ledger_consistent

ON = date(2026, 9, 30)


@pytest.fixture
def transferred(draft, user):
    complaint = services.complaint_submit(actor=user("sme-demo"), complaint=draft(), on=ON)
    complaint = services.complaint_accept(actor=user("gd-intake"), complaint=complaint, on=ON)
    return services.complaint_transfer(
        actor=user("gd-intake"),
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
        on=ON,
    )


def item_of(complaint) -> LedgerItem:
    return LedgerItem.objects.get(
        debtor=complaint.debtor,
        creditor=complaint.complainant,
        contract_number=complaint.contract_number,
    )


@pytest.mark.django_db
def test_debtor_response_creates_the_item_from_the_complaint(transferred, user):
    assert not LedgerItem.objects.exists()
    services.complaint_debtor_response(
        actor=user("debtor-demo"),
        complaint=transferred,
        confirmed_fen=70_000_00,
        disputed_fen=30_000_00,
    )
    item = item_of(transferred)
    # The draft: 128,000 owed, 28,000 already paid, agreed payment date 2025-08-29.
    assert (item.owed_fen, item.paid_fen, item.disputed_fen) == (128_000_00, 28_000_00, 30_000_00)
    assert (item.source, item.due_on, item.status) == (
        Source.COMPLAINT,
        date(2025, 8, 29),
        Status.PARTLY_PAID,
    )
    assert item.owner == transferred.accepting_authority
    assert item.confirmations.get().note == transferred.tracking_number
    assert AuditEvent.objects.filter(verb="ledger.sync_complaint", target_id=str(item.pk)).exists()
    assert_ledger_consistent()


@pytest.mark.django_db
def test_result_paid_in_full_clears_the_item(transferred, user):
    complaint = services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=transferred, confirmed_fen=100_000_00, disputed_fen=0
    )
    services.complaint_submit_result(
        actor=user("gd-handler"), complaint=complaint, kind="paid", text="已全额支付。", on=ON
    )
    item = item_of(transferred)
    assert (item.status, item.outstanding_fen, item.disputed_fen) == (Status.CLEARED, 0, 0)
    assert sum(item.payments.values_list("amount_fen", flat=True)) == 128_000_00
    assert_ledger_consistent()


@pytest.mark.django_db
def test_result_disputed_marks_the_outstanding_amount_disputed(transferred, user):
    complaint = services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=transferred, confirmed_fen=0, disputed_fen=1_00
    )
    services.complaint_submit_result(
        actor=user("gd-handler"), complaint=complaint, kind="disputed", text="转法律途径。", on=ON
    )
    item = item_of(transferred)
    assert item.disputed_fen == item.outstanding_fen == 100_000_00
    assert_ledger_consistent()


@pytest.mark.django_db
def test_an_existing_item_is_updated_not_duplicated(transferred, user, make_item):
    existing = make_item(
        debtor=transferred.debtor,
        creditor=transferred.complainant,
        contract_number=transferred.contract_number,
        owed_fen=128_000_00,
    )
    services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=transferred, confirmed_fen=0, disputed_fen=5_000_00
    )
    assert LedgerItem.objects.get() == existing
    existing.refresh_from_db()
    assert (existing.source, existing.disputed_fen) == (Source.MANUAL, 5_000_00)
    assert_ledger_consistent()


@pytest.mark.django_db
def test_complaint_and_item_pages_link_each_other(transferred, user, client_for):
    services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=transferred, confirmed_fen=100_000_00, disputed_fen=0
    )
    item = item_of(transferred)
    complaint_page = client_for("sme-demo").get(f"/complaints/{transferred.pk}/").content.decode()
    assert f'href="/ledger/{item.pk}/" data-testid="ledger-item"' in complaint_page
    item_page = client_for("sme-demo").get(f"/ledger/{item.pk}/").content.decode()
    assert f'<a href="/complaints/{transferred.pk}/">{transferred.tracking_number}</a>' in item_page
    # Another SME sees neither.
    assert client_for("sme-demo-2").get(f"/ledger/{item.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_party_ledger_page_lists_its_complaints_but_no_draft(
    transferred, draft, user, client_for
):
    """The complaints reach the ledger's pages through complaints' own selector
    (the ledger does not import complaints): same list, same scope."""
    services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=transferred, confirmed_fen=100_000_00, disputed_fen=0
    )
    draft(contract_number="GZ-2025-0099")
    page = client_for("sme-demo").get(f"/ledger/parties/{transferred.complainant_id}/")
    text = page.content.decode()
    assert 'data-testid="party-complaints"' in text
    assert transferred.tracking_number in text
    assert "GZ-2025-0099" not in text  # the complainant's own draft is not listed
    other = client_for("sme-demo-2").get(f"/ledger/parties/{transferred.complainant_id}/")
    assert transferred.tracking_number not in other.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("confirmed_fen", "disputed_fen", "field"),
    [
        (0, 100_000_01, "disputed_fen"),  # more disputed than outstanding
        (200_000_00, 0, "confirmed_fen"),  # more confirmed than outstanding
        (60_000_00, 40_000_01, "confirmed_fen"),  # each within, together one fen over
    ],
)
def test_a_response_beyond_the_outstanding_claim_is_refused_and_writes_nothing(
    transferred, user, confirmed_fen, disputed_fen, field
):
    # The draft claims 128,000 owed with 28,000 paid: 100,000.00 outstanding.
    events = transferred.events.count()
    with pytest.raises(ValidationError) as refused:
        services.complaint_debtor_response(
            actor=user("debtor-demo"),
            complaint=transferred,
            confirmed_fen=confirmed_fen,
            disputed_fen=disputed_fen,
        )
    assert list(refused.value.message_dict) == [field]
    assert "¥100,000.00" in refused.value.message_dict[field][0]
    transferred.refresh_from_db()
    assert transferred.state == "transferred"
    assert transferred.events.count() == events
    assert not LedgerItem.objects.exists()


@pytest.mark.django_db
def test_a_response_for_exactly_the_outstanding_claim_is_recorded(transferred, user):
    services.complaint_debtor_response(
        actor=user("debtor-demo"),
        complaint=transferred,
        confirmed_fen=60_000_00,
        disputed_fen=40_000_00,
    )
    assert item_of(transferred).disputed_fen == 40_000_00


# --- a result partly confirmed, partly disputed ------------------------------------------------


def responded(transferred, user, *, confirmed_fen=70_000_00, disputed_fen=30_000_00):
    return services.complaint_debtor_response(
        actor=user("gd-handler"),
        complaint=transferred,
        confirmed_fen=confirmed_fen,
        disputed_fen=disputed_fen,
    )


@pytest.mark.django_db
def test_a_partly_disputed_result_records_its_amounts_and_the_item_takes_them(transferred, user):
    complaint = responded(transferred, user)
    complaint = services.complaint_submit_result(
        actor=user("gd-handler"),
        complaint=complaint,
        kind="partly",
        text="确认部分已付2万元，其余5万元分期；3万元争议转法律途径。",
        confirmed_fen=70_000_00,
        paid_fen=20_000_00,
        planned_fen=50_000_00,
        disputed_fen=30_000_00,
        basis="债务人2026年10月15日书面确认函；双方对账单",
        on=ON,
    )
    complaint.refresh_from_db()
    recorded = (
        complaint.result_confirmed_fen,
        complaint.result_paid_fen,
        complaint.result_planned_fen,
        complaint.result_disputed_fen,
    )
    assert recorded == (70_000_00, 20_000_00, 50_000_00, 30_000_00)
    assert complaint.result_basis.startswith("债务人")
    item = item_of(transferred)
    # 28,000 paid before the complaint, 20,000 during handling; 30,000 still in dispute.
    assert (item.paid_fen, item.disputed_fen) == (48_000_00, 30_000_00)
    assert item.undisputed_outstanding_fen == 50_000_00  # what the plan is to cover
    assert_ledger_consistent()


@pytest.mark.django_db
def test_payments_the_ledger_already_holds_are_not_counted_twice(transferred, user):
    from qingqian.ledger import services as ledger_services

    complaint = responded(transferred, user)
    ledger_services.payment_record(
        actor=user("debtor-demo"),
        item=item_of(transferred),
        paid_on=ON,
        amount_fen=5_000_00,
        method="transfer",
    )
    services.complaint_submit_result(
        actor=user("gd-handler"),
        complaint=complaint,
        kind="partly",
        text="部分支付。",
        confirmed_fen=70_000_00,
        paid_fen=20_000_00,
        disputed_fen=30_000_00,
        on=ON,
    )
    assert item_of(transferred).paid_fen == 48_000_00
    assert_ledger_consistent()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amounts", "field"),
    [
        ({"confirmed_fen": 80_000_00, "disputed_fen": 30_000_00}, "confirmed_fen"),
        ({"confirmed_fen": -1, "disputed_fen": 30_000_00}, "confirmed_fen"),
        (
            {"confirmed_fen": 70_000_00, "disputed_fen": 30_000_00, "planned_fen": 80_000_00},
            "planned_fen",
        ),
        ({"confirmed_fen": 70_000_00, "paid_fen": 90_000_00}, "paid_fen"),
        ({"confirmed_fen": 70_000_00, "disputed_fen": 0}, "disputed_fen"),
    ],
)
def test_result_amounts_that_do_not_add_up_are_refused_naming_the_field(
    transferred, user, amounts, field
):
    complaint = responded(transferred, user)
    with pytest.raises(ValidationError) as refused:
        services.complaint_submit_result(
            actor=user("gd-handler"),
            complaint=complaint,
            kind="partly",
            text="部分争议。",
            on=ON,
            **amounts,
        )
    assert set(refused.value.message_dict) == {field}
    complaint.refresh_from_db()
    assert complaint.state == "in_handling" and complaint.result_kind == ""
    assert item_of(transferred).paid_fen == 28_000_00


@pytest.mark.django_db
def test_the_result_form_takes_the_amounts_in_yuan(transferred, user, client_for):
    complaint = responded(transferred, user)
    response = client_for("gd-handler").post(
        f"/complaints/{complaint.pk}/act/submit-result/",
        {
            "submit-result-version": complaint.version,
            "submit-result-kind": "partly",
            "submit-result-text": "部分争议。",
            "submit-result-confirmed": "70000",
            "submit-result-paid": "0",
            "submit-result-planned": "70000",
            "submit-result-disputed": "90000",
        },
    )
    assert response.status_code == 400
    assert "100,000.00" in response.content.decode()  # the claim the sum is measured against
    complaint.refresh_from_db()
    assert complaint.result_kind == ""


@pytest.mark.django_db
def test_a_result_without_amounts_leaves_the_dispute_on_record(transferred, user):
    complaint = responded(transferred, user)
    services.complaint_submit_result(
        actor=user("gd-handler"), complaint=complaint, kind="other", text="其他。", on=ON
    )
    assert item_of(transferred).disputed_fen == 30_000_00
    assert_ledger_consistent()
