"""An export is a return: edited and imported back, it changes what was edited only."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingqian.core.models import AuditEvent
from qingqian.core.spreadsheets import write_xlsx
from qingqian.ledger import imports
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.exports import KINDS
from qingqian.ledger.models import Confirmation, LedgerItem, Payment, Status
from tests.ledger.recount import assert_ledger_consistent

PAID = TEMPLATE_HEADER.index("已付金额（元） / amount_paid")
CONTRACT = TEMPLATE_HEADER.index("合同编号 / contract_number")
OWED = TEMPLATE_HEADER.index("欠款金额（元） / amount_owed")


def ledger_state() -> list[tuple]:
    return list(
        LedgerItem.objects.order_by("pk").values_list(
            "pk", "owed_fen", "paid_fen", "disputed_fen", "status", "due_on", "subject", "notes"
        )
    )


@pytest.fixture
def items(make_item):
    """Items in Guangdong's ledger beside the demo's: paid in part, disputed, with a subject."""
    return [
        make_item(owed_fen=1000_00, paid_fen=250_00, subject="works", contract_number="RT-1"),
        make_item(owed_fen=800_00, disputed_fen=300_00, subject="goods", contract_number="RT-2"),
        make_item(owed_fen=123_45, notes="=HYPERLINK(1)", contract_number="RT-3"),
    ]


@pytest.fixture
def export(client_for):
    def download(fmt: str) -> bytes:
        response = client_for("gd-intake").get(reverse("ledger:list"), {"format": fmt})
        return b"".join(response.streaming_content)

    return download


@pytest.fixture
def import_back(user, gd_authority):
    def run(data: bytes, name: str):
        record = imports.ledger_import_upload(
            actor=user("gd-intake"),
            owner=gd_authority,
            fileobj=io.BytesIO(data),
            original_name=name,
        )
        return imports.ledger_import_run(record)

    return run


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_the_export_writes_the_templates_words_and_read_only_columns(items, export):
    header, *rows = csv_rows(export("csv"))
    assert header[: len(TEMPLATE_HEADER)] == TEMPLATE_HEADER
    assert header[len(TEMPLATE_HEADER) :] == [
        "状态 / status",
        "台账编号 / item_id",
        "未付金额（元） / outstanding",
    ]
    row = next(row for row in rows if row[CONTRACT] == "RT-1")
    assert row[2] == "大型企业"  # the debtor's type as the template writes it, not "large"
    assert row[8] == "工程"  # the subject, not "works"
    assert row[-3:] == [str(Status.PARTLY_PAID.label), str(items[0].pk), "750.00"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_unchanged_export_changes_nothing(items, export, import_back, fmt):
    before = ledger_state()
    counts = (Payment.objects.count(), Confirmation.objects.count())
    record = import_back(export(fmt), f"ledger.{fmt}")
    assert record.state == record.State.DONE, record.message
    assert (record.created_count, record.updated_count, record.error_count) == (0, 0, 0)
    assert record.unchanged_count == LedgerItem.objects.filter(province_code="440000").count()
    assert ledger_state() == before
    assert (Payment.objects.count(), Confirmation.objects.count()) == counts
    assert not AuditEvent.objects.filter(verb="ledger.import_batch").exists()


def test_a_csv_export_with_one_amount_paid_edited_changes_that_item_only(
    items, export, import_back
):
    header, *rows = csv_rows(export("csv"))
    edited = next(row for row in rows if row[CONTRACT] == "RT-1")
    edited[PAID] = "400.00"
    before = {pk: state for pk, *state in ledger_state()}
    record = import_back(csv_file([header, *rows]), "ledger.csv")
    assert (record.created_count, record.updated_count) == (0, 1)
    after = {pk: state for pk, *state in ledger_state()}
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {items[0].pk}
    items[0].refresh_from_db()
    assert (items[0].paid_fen, items[0].status) == (400_00, Status.PARTLY_PAID)
    # The difference is recorded as a payment, named in the batch's audit event.
    assert list(items[0].payments.order_by("pk").values_list("amount_fen", flat=True)) == [
        250_00,
        150_00,
    ]
    event = AuditEvent.objects.get(verb="ledger.import_batch")
    assert len(event.payload["updated"]["ledger.ledgeritem"]) == 1
    assert_ledger_consistent()


def test_an_xlsx_export_with_one_amount_owed_edited_changes_that_item_only(
    items, export, import_back
):
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export("xlsx"))).get_sheet_by_index(0)
    header, *rows = sheet.to_python()
    edited = next(row for row in rows if row[CONTRACT] == "RT-3")
    edited[OWED] = 200.0  # as a spreadsheet program saves a typed number
    resaved = io.BytesIO()
    write_xlsx(resaved, header, rows, KINDS)
    before = {pk: state for pk, *state in ledger_state()}
    record = import_back(resaved.getvalue(), "ledger.xlsx")
    assert (record.created_count, record.updated_count) == (0, 1)
    after = {pk: state for pk, *state in ledger_state()}
    assert {pk for pk in before if before[pk] != after[pk]} == {items[2].pk}
    items[2].refresh_from_db()
    assert items[2].owed_fen == 200_00
    assert_ledger_consistent()


def test_a_file_naming_a_read_only_column_twice_is_refused(items, export, import_back):
    header, *rows = csv_rows(export("csv"))
    record = import_back(csv_file([[*header, "状态 / status"], *rows]), "ledger.csv")
    assert record.state == record.State.REFUSED
    assert "状态 / status" in record.message


def test_an_amount_owed_below_what_a_court_wrote_off_is_refused_on_its_cell(
    make_item, user, export, import_back
):
    from qingqian.ledger import services

    item = make_item(owed_fen=1000_00, contract_number="RT-WO")
    services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=400_00, note="异议")
    proceeding = services.legal_route_open(
        actor=user("gd-intake"), item=item, kind="litigation", body="法院", filed_on=date.today()
    )
    services.legal_route_decide(
        actor=user("gd-intake"),
        proceeding=proceeding,
        outcome="for_debtor",
        decided_on=date.today(),
    )
    header, *rows = csv_rows(export("csv"))
    edited = next(row for row in rows if row[CONTRACT] == "RT-WO")
    edited[OWED] = "300.00"  # 400.00 of it was written off
    before = ledger_state()
    record = import_back(csv_file([header, *rows]), "ledger.csv")
    assert record.state == record.State.REFUSED
    [error] = record.errors.all()
    assert (error.column, error.value) == ("amount_owed", "300.00")
    assert "400.00" in error.reason
    assert ledger_state() == before
