"""The import's apply from its staging tables: new rows go in as sets, and
whatever changed since the check (or a file at odds with itself about a party
it registers) is left to the row-by-row apply, which reports it exactly."""

import io
from datetime import date

import pytest
from django.db import connection

from qingqian.core.models import AuditEvent
from qingqian.ledger import imports
from qingqian.ledger.imports import run
from qingqian.ledger.imports.progress import Progress
from qingqian.ledger.imports.staging import Staging
from qingqian.ledger.models import LedgerImport, LedgerItem, LedgerTotal, Payment
from qingqian.ledger.services import ledger_item_create, payment_record
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprise_create
from tests.ledger.recount import assert_ledger_consistent
from tests.ledger.test_importing import CREDITORS, DEBTOR, csv_bytes, row


def checked_then_applied(user, gd, rows, between):
    """Upload and check `rows`; run `between` (what others do meanwhile); then
    apply what the check staged, as `ledger_import_run` does."""
    record = imports.ledger_import_upload(
        actor=user("gd-intake"),
        owner=gd,
        fileobj=io.BytesIO(csv_bytes(rows)),
        original_name="r.csv",
    )
    assert run.ledger_import_start(record=record)
    record = LedgerImport.objects.get(pk=record.pk)
    outcome, progress = run.Outcome(), Progress(record, None)
    with Staging(record) as staging:
        run._check_file(record, outcome, staging, progress)
        assert not outcome.refused
        between()
        run._apply_checked(record, outcome, staging, progress)
    if outcome.refused:
        run._finish(record, outcome, "refuse")
    record.refresh_from_db()
    return record


def test_new_rows_go_in_as_sets_with_payments_totals_and_parties(run_import):
    rows = [row(n, amount_paid="20000" if n % 2 else "") for n in range(6)]
    record = run_import(csv_bytes(rows))
    assert (record.state, record.created_count) == (LedgerImport.State.DONE, 6)
    items = LedgerItem.objects.filter(debtor__uscc=DEBTOR)
    assert items.count() == 6
    assert sorted(items.values_list("paid_fen", flat=True)) == [0, 0, 0] + [20_000_00] * 3
    assert Payment.objects.filter(item__in=items).count() == 3
    debtor = Enterprise.objects.get(uscc=DEBTOR)
    assert (debtor.type, debtor.region_code) == ("agency", "440305")
    assert {e.type for e in Enterprise.objects.filter(uscc__in=CREDITORS)} == {"sme"}
    total = LedgerTotal.objects.filter(region_code="440305", debtor_type="agency")
    assert sum(total.values_list("items", flat=True)) == 6
    assert_ledger_consistent()


def test_rows_at_odds_about_a_party_they_register_are_reported(run_import):
    # The debtor is new: the register takes its last mention (a state-owned
    # enterprise), so the first row's "agency" contradicts it.
    record = run_import(csv_bytes([row(0), row(1, debtor_type="国有企业")]))
    assert record.state == LedgerImport.State.REFUSED
    assert [(e.row, e.column) for e in record.errors.all()] == [(2, "debtor_type")]
    assert not Enterprise.objects.filter(uscc=DEBTOR).exists()
    assert not LedgerItem.objects.filter(debtor__uscc=DEBTOR).exists()


def test_a_party_registered_since_the_check_is_held_to(user, gd):
    def register_the_debtor_as_large():
        enterprise_create(
            actor=user("gd-intake"),
            uscc=DEBTOR,
            name="某大型企业",
            type="large",
            region_code="440305",
        )

    record = checked_then_applied(user, gd, [row(0), row(1)], register_the_debtor_as_large)
    assert record.state == LedgerImport.State.REFUSED
    reported = [(e.row, e.column) for e in record.errors.all()]
    assert reported == [(2, "debtor_type"), (3, "debtor_type")]
    assert not LedgerItem.objects.filter(debtor__uscc=DEBTOR).exists()
    assert Enterprise.objects.get(uscc=DEBTOR).type == "large"


def test_an_item_created_since_the_check_is_updated_not_doubled(user, gd, run_import):
    run_import(csv_bytes([row(3)]))  # the parties of row 0 are registered now

    def enter_row_zero_by_hand():
        ledger_item_create(
            actor=user("gd-intake"),
            owner=gd,
            debtor=Enterprise.objects.get(uscc=DEBTOR),
            creditor=Enterprise.objects.get(uscc=CREDITORS[0]),
            contract_number="SZ-2025-000",
            contract_signed_on=date(2025, 1, 15),
            due_on=date(2025, 4, 30),
            owed_fen=100_000_00,
        )

    rows = [row(0), row(6)]
    record = checked_then_applied(user, gd, rows, enter_row_zero_by_hand)
    assert (record.state, record.created_count, record.updated_count) == (
        LedgerImport.State.DONE,
        1,
        1,
    )
    item = LedgerItem.objects.get(contract_number="SZ-2025-000")
    assert (item.owed_fen, item.paid_fen) == (120_000_00, 20_000_00)
    assert LedgerItem.objects.filter(debtor__uscc=DEBTOR).count() == 3
    batches = AuditEvent.objects.filter(verb="ledger.import_batch", target_id=str(record.pk))
    created = [event.payload["created"].get("ledger.ledgeritem", []) for event in batches]
    assert {tuple(key) for keys in created for key in keys} == {
        (DEBTOR, CREDITORS[0], "SZ-2025-006")
    }
    assert_ledger_consistent()


def test_a_row_unchanged_at_the_check_is_compared_again_if_its_item_changed(user, gd, run_import):
    run_import(csv_bytes([row(0), row(1)]))
    item = LedgerItem.objects.get(contract_number="SZ-2025-000")

    def record_a_payment():
        payment_record(
            actor=user("gd-intake"),
            item=item,
            paid_on=date(2025, 5, 6),
            amount_fen=1000_00,
            method="transfer",
        )

    record = checked_then_applied(user, gd, [row(0), row(1)], record_a_payment)
    assert record.state == LedgerImport.State.REFUSED  # the file now reports less paid
    assert [(e.row, e.column) for e in record.errors.all()] == [(2, "amount_paid")]
    assert LedgerItem.objects.get(pk=item.pk).paid_fen == 21_000_00


def test_unchanged_rows_are_counted_without_touching_their_items(user, gd, run_import):
    run_import(csv_bytes([row(0), row(1)]))
    before = list(LedgerItem.objects.order_by("pk").values_list("pk", "updated_at"))
    record = checked_then_applied(user, gd, [row(0), row(1, amount_owed="130000")], lambda: None)
    assert (record.unchanged_count, record.updated_count) == (1, 1)
    after = dict(LedgerItem.objects.values_list("pk", "updated_at"))
    assert after[before[0][0]] == before[0][1]
    assert after[before[1][0]] > before[1][1]


@pytest.mark.parametrize("rows", [0, 1])
def test_a_file_with_no_new_row_or_only_new_rows_applies(run_import, rows):
    first = run_import(csv_bytes([row(n) for n in range(3)]))
    again = run_import(csv_bytes([row(n) for n in range(3 + rows)]))
    assert (first.created_count, again.created_count, again.unchanged_count) == (3, rows, 3)
    assert_ledger_consistent()


def staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't'")
        return [name for (name,) in cursor.fetchall() if name.startswith("qq_import")]


def page_cache() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("kind", ["applied", "refused"])
def test_the_connection_is_left_as_it_was(run_import, kind):
    before = page_cache()
    rows = [row(0), row(1, amount_owed="-5" if kind == "refused" else "120000")]
    record = run_import(csv_bytes(rows))
    assert record.state == {"applied": "done", "refused": "refused"}[kind]
    assert staging_tables() == []
    assert page_cache() == before
