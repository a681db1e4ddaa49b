"""Bulk import of ledger returns: all or nothing, idempotent, audited, scoped."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.ledger import imports, selectors
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.imports.upload import imports_dir
from qingqian.ledger.models import LedgerImport, LedgerItem, Payment, Status
from qingqian.ledger.tasks import ledger_import_task
from qingqian.parties.models import Enterprise
from tests.ledger.recount import assert_ledger_consistent

DEBTOR = demo_uscc("440305", 901)  # not yet registered: the import registers it
CREDITORS = [demo_uscc("440106", 910 + n) for n in range(3)]


def row(n: int, **overrides) -> list[str]:
    values = {
        "debtor_uscc": DEBTOR,
        "debtor_name": "深圳市某区建筑工务署",
        "debtor_type": "机关",
        "region_code": "440305",
        "creditor_uscc": CREDITORS[n % 3],
        "creditor_name": f"深圳供应商{n}有限公司",
        "contract_number": f"SZ-2025-{n:03d}",
        "contract_signed_on": "2025-01-15",
        "subject": "工程",
        "due_on": "2025/4/30",
        "amount_owed": "120,000.00",
        "amount_paid": "20000",
        "disputed_amount": "",
        "notes": "",
        **overrides,
    }
    return list(values.values())


def csv_bytes(rows, *, encoding="utf-8-sig", header=TEMPLATE_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def test_a_good_file_is_applied_with_one_audit_event(run_import, user):
    data = csv_bytes([row(n) for n in range(3)])
    record = run_import(data)
    assert record.state == LedgerImport.State.DONE
    assert (record.rows_read, record.created_count, record.error_count) == (3, 3, 0)
    items = LedgerItem.objects.filter(debtor__uscc=DEBTOR)
    assert items.count() == 3
    item = items.get(contract_number="SZ-2025-001")
    assert (item.owed_fen, item.paid_fen, item.status) == (
        120_000_00,
        20_000_00,
        Status.PARTLY_PAID,
    )
    assert (item.due_on, item.subject, item.debtor_type) == (date(2025, 4, 30), "works", "agency")
    assert Enterprise.objects.get(uscc=DEBTOR).type == Enterprise.Type.AGENCY
    assert Enterprise.objects.get(uscc=CREDITORS[0]).type == Enterprise.Type.SME
    event = AuditEvent.objects.get(verb="ledger.import", target_id=str(record.pk))
    assert event.payload["sha256"] == record.sha256 and len(record.sha256) == 64
    assert (event.payload["created"], event.payload["rows"]) == (3, 3)
    totals = selectors.ledger_totals(actor=user("gd-intake"))
    assert (totals.items, totals.owed_fen, totals.paid_fen) == (3, 360_000_00, 60_000_00)
    assert_ledger_consistent()


def test_importing_the_same_file_again_changes_nothing(run_import):
    data = csv_bytes([row(n) for n in range(3)])
    run_import(data)
    state = (LedgerItem.objects.count(), Payment.objects.count(), Enterprise.objects.count())
    again = run_import(data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert (
        LedgerItem.objects.count(),
        Payment.objects.count(),
        Enterprise.objects.count(),
    ) == state
    assert_ledger_consistent()


def test_a_later_return_updates_payments_and_amounts(run_import):
    run_import(csv_bytes([row(0), row(1)]))
    record = run_import(csv_bytes([row(0, amount_paid="120000"), row(1, amount_owed="150000")]))
    assert (record.updated_count, record.created_count) == (2, 0)
    cleared = LedgerItem.objects.get(contract_number="SZ-2025-000")
    assert (cleared.status, cleared.paid_fen) == (Status.CLEARED, 120_000_00)
    assert sorted(cleared.payments.values_list("amount_fen", flat=True)) == [20_000_00, 100_000_00]
    assert LedgerItem.objects.get(contract_number="SZ-2025-001").owed_fen == 150_000_00
    assert_ledger_consistent()


def named_by(record, kind: str, label: str) -> list[tuple]:
    """The keys of `label` rows that an import's audit events say it `kind` (created or
    updated), in the order written."""
    events = AuditEvent.objects.filter(
        verb__in=("ledger.import_batch", "enterprise.register_bulk"), target_id=str(record.pk)
    )
    return [
        tuple(key) if isinstance(key, list) else key
        for event in events.order_by("seq")
        for key in event.payload.get(kind, {}).get(label, [])
    ]


def contract_keys(queryset, prefix="") -> list[tuple]:
    fields = [f"{prefix}debtor__uscc", f"{prefix}creditor__uscc", f"{prefix}contract_number"]
    return sorted(queryset.values_list(*fields))


def test_the_audit_events_name_every_row_an_import_writes(run_import):
    known = set(Enterprise.objects.values_list("uscc", flat=True))
    rows = [
        row(n, contract_number=f"SZ-{n:05d}", amount_paid="20000" if n % 2 else "")
        for n in range(5001)  # two batches of the reader (5,000 rows each)
    ]
    first = run_import(csv_bytes(rows))
    assert first.created_count == 5001
    batches = AuditEvent.objects.filter(verb="ledger.import_batch", target_id=str(first.pk))
    assert batches.count() == 2
    registered = named_by(first, "created", "parties.enterprise")
    assert sorted(registered) == sorted({DEBTOR, *CREDITORS})
    assert set(Enterprise.objects.values_list("uscc", flat=True)) - known == set(registered)
    assert sorted(named_by(first, "created", "ledger.ledgeritem")) == contract_keys(
        LedgerItem.objects.all()
    )
    assert sorted(named_by(first, "created", "ledger.payment")) == contract_keys(
        Payment.objects.all(), prefix="item__"
    )
    assert Payment.objects.count() == 2500

    paid, disputed = (0, "5000", ""), (1, "20000", "1000")
    later = [
        row(n, contract_number=f"SZ-{n:05d}", amount_paid=amount, disputed_amount=dispute)
        for n, amount, dispute in (paid, disputed)
    ]
    second = run_import(csv_bytes(later))
    assert (second.updated_count, second.created_count) == (2, 0)
    key = (DEBTOR, CREDITORS[0], "SZ-00000"), (DEBTOR, CREDITORS[1], "SZ-00001")
    assert named_by(second, "updated", "ledger.ledgeritem") == list(key)
    assert named_by(second, "created", "ledger.payment") == [key[0]]
    assert named_by(second, "created", "ledger.confirmation") == [key[1]]
    assert Payment.objects.count() == 2501


def test_the_system_audits_each_state_it_gives_an_import(user, gd):
    uploaded = [
        imports.ledger_import_upload(
            actor=user("gd-intake"), owner=gd, fileobj=io.BytesIO(data), original_name="r.csv"
        )
        for data in (csv_bytes([row(0)]), csv_bytes([row(1)]))
    ]
    imports.ledger_import_run(uploaded[0])
    (imports_dir() / uploaded[1].stored_name).unlink()  # lost from the volume
    with pytest.raises(FileNotFoundError):
        imports.ledger_import_run(uploaded[1])
    assert LedgerImport.objects.get(pk=uploaded[1].pk).state == LedgerImport.State.FAILED

    def trail(record):
        events = AuditEvent.objects.filter(
            target_type="ledger.ledgerimport", target_id=str(record.pk)
        ).exclude(verb="enterprise.register_bulk")
        return list(events.order_by("seq").values_list("verb", "actor_id"))

    uploader = user("gd-intake").pk
    assert trail(uploaded[0]) == [
        ("ledger.import_upload", uploader),
        ("ledger.import_started", None),
        ("ledger.import_batch", uploader),
        ("ledger.import", uploader),
    ]
    assert trail(uploaded[1]) == [
        ("ledger.import_upload", uploader),
        ("ledger.import_started", None),
        ("ledger.import_failed", None),
    ]


def test_a_return_reporting_less_paid_is_refused(run_import):
    run_import(csv_bytes([row(0, amount_paid="50000")]))
    record = run_import(csv_bytes([row(0, amount_paid="10000")]))
    assert record.state == LedgerImport.State.REFUSED
    [error] = record.errors.all()
    assert (error.row, error.column) == (2, "amount_paid")
    assert LedgerItem.objects.get().paid_fen == 50_000_00


def test_bad_rows_refuse_the_whole_file_and_every_one_is_reported(run_import):
    before = (Enterprise.objects.count(), AuditEvent.objects.filter(verb="ledger.create").count())
    rows = [row(n) for n in range(6)]
    rows[1] = row(1, amount_owed="-5")
    rows[4] = row(4, creditor_uscc="91440106MA5XXXXXX0", due_on="2024-12-31")
    record = run_import(csv_bytes(rows))
    assert record.state == LedgerImport.State.REFUSED
    reported = {(e.row, e.column) for e in record.errors.all()}
    # Data rows start on spreadsheet row 2: rows[1] is row 3, rows[4] is row 6.
    assert {(3, "amount_owed"), (6, "creditor_uscc"), (6, "due_on")} <= reported
    assert {r for r, _c in reported} == {3, 6}
    assert LedgerItem.objects.count() == 0
    assert Enterprise.objects.count() == before[0]  # the registrations rolled back too
    assert AuditEvent.objects.filter(
        verb="ledger.import_refused", target_id=str(record.pk)
    ).exists()


def test_rows_outside_the_importers_jurisdiction_are_refused(run_import):
    record = run_import(csv_bytes([row(0), row(1, region_code="320102")]))
    assert record.state == LedgerImport.State.REFUSED
    assert [(e.row, e.column) for e in record.errors.all()] == [(3, "region_code")]
    assert LedgerItem.objects.count() == 0


def test_a_row_contradicting_the_register_is_refused(run_import):
    large = Enterprise.objects.get(uscc=demo_uscc("440104", 4))  # registered as large
    record = run_import(csv_bytes([row(0, debtor_uscc=large.uscc, region_code="440104")]))
    assert record.state == LedgerImport.State.REFUSED
    assert [e.column for e in record.errors.all()] == ["debtor_type"]


def test_gb18030_files_are_read(run_import):
    record = run_import(csv_bytes([row(0)], encoding="gb18030"))
    assert record.state == LedgerImport.State.DONE
    assert Enterprise.objects.get(uscc=DEBTOR).name == "深圳市某区建筑工务署"


def test_a_file_with_wrong_columns_is_refused_with_a_message(run_import):
    record = run_import(b"name,amount\nx,1\n")
    assert record.state == LedgerImport.State.REFUSED
    assert record.message
    assert LedgerItem.objects.count() == 0


def test_upload_checks_permission_and_emptiness(user, gd):
    with pytest.raises(PermissionDenied):
        imports.ledger_import_upload(
            actor=user("js-intake"), owner=gd, fileobj=io.BytesIO(b"x"), original_name="a.csv"
        )
    with pytest.raises(PermissionDenied):
        imports.ledger_import_upload(
            actor=user("supervisor"), owner=gd, fileobj=io.BytesIO(b"x"), original_name="a.csv"
        )
    with pytest.raises(ValidationError):
        imports.ledger_import_upload(
            actor=user("gd-intake"), owner=gd, fileobj=io.BytesIO(b""), original_name="a.csv"
        )
    assert LedgerImport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_an_uploaded_import(seeded_live_db, user, run_worker):
    gd = Organisation.objects.get(name="广东省中小企业主管部门")
    record = imports.ledger_import_upload(
        actor=user("gd-intake"),
        owner=gd,
        fileobj=io.BytesIO(csv_bytes([row(0), row(1)])),
        original_name="return.csv",
    )
    ledger_import_task.enqueue(record.pk)
    run_worker()
    record.refresh_from_db()
    assert (record.state, record.created_count) == (LedgerImport.State.DONE, 2)
    assert imports.read_progress(record) == {"fraction": 1.0, "rows": 2}
    assert record.finished_at <= timezone.now()


def zip_bomb() -> bytes:
    """An .xlsx-shaped zip whose sheet is 20 MB of zeros packed into ~20 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(20):
                sheet.write(b"0" * 1_000_000)
    return out.getvalue()


MALFORMED = {
    "wrong columns": b"name,amount\nx,1\n",
    "header only": csv_bytes([]),
    "UTF-16": "\ufeff债务人,金额\n".encode("utf-16"),
    "binary garbage": b"\x00\x01\x02PNG\x00" * 100,
    "legacy xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "a million columns": (",".join(TEMPLATE_HEADER) + "\n" + "x," * 1_000_000 + "\n").encode(),
    "a formula": csv_bytes([row(0, debtor_name="=cmd|' /C calc'!A0")]),
    "zip bomb": zip_bomb(),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_malformed_files_are_refused_with_a_message_and_nothing_written(run_import, kind):
    before = (Enterprise.objects.count(), LedgerItem.objects.count())
    name = "return.xlsx" if kind == "zip bomb" else "return.csv"
    record = run_import(MALFORMED[kind], name=name)
    assert record.state == LedgerImport.State.REFUSED
    reasons = [record.message, *record.errors.values_list("reason", flat=True)]
    assert any(reason.strip() for reason in reasons), kind
    assert (Enterprise.objects.count(), LedgerItem.objects.count()) == before


def test_a_row_cannot_move_a_debt_to_another_region(run_import):
    """The item's region is the registered debtor's: a Guangdong return naming a
    Jiangsu debtor with a Guangdong region is refused, so nothing elsewhere changes."""
    suyuan = Enterprise.objects.get(uscc=demo_uscc("320102", 6))  # registered in Nanjing
    record = run_import(
        csv_bytes([row(0, debtor_uscc=suyuan.uscc, debtor_type="国有企业", region_code="440106")])
    )
    assert record.state == LedgerImport.State.REFUSED
    assert [e.column for e in record.errors.all()] == ["region_code"]
    assert LedgerItem.objects.count() == 0


def test_written_off_items_are_not_changed_and_disputes_are_recorded(run_import, user):
    from qingqian.ledger import services

    run_import(csv_bytes([row(0), row(1)]))
    first = LedgerItem.objects.get(contract_number="SZ-2025-000")
    services.ledger_confirm(
        actor=user("gd-intake"), item=first, disputed_fen=first.outstanding_fen, note="质量"
    )
    proceeding = services.legal_route_open(
        actor=user("gd-intake"),
        item=first,
        kind="litigation",
        body="法院",
        filed_on=date(2026, 1, 5),
    )
    services.legal_route_decide(
        actor=user("gd-intake"),
        proceeding=proceeding,
        outcome="for_debtor",
        decided_on=date(2026, 2, 1),
    )
    refused = run_import(csv_bytes([row(0, amount_paid="30000")]))
    assert refused.state == LedgerImport.State.REFUSED
    assert LedgerItem.objects.get(pk=first.pk).paid_fen == 20_000_00
    done = run_import(csv_bytes([row(1, disputed_amount="5000")]))
    assert done.state == LedgerImport.State.DONE
    second = LedgerItem.objects.get(contract_number="SZ-2025-001")
    assert second.disputed_fen == 5000_00
    assert second.confirmations.get().kind == "disputed"
    assert_ledger_consistent()


def test_after_a_bad_row_the_rest_is_still_checked_against_the_ledger(run_import):
    run_import(csv_bytes([row(0, amount_paid="50000")]))
    large = Enterprise.objects.get(uscc=demo_uscc("440104", 4))
    rows = [row(1, amount_owed="abc")] + [row(n) for n in range(2, 5002)]  # past a batch
    rows.append(row(0, amount_paid="10000"))  # less paid than the ledger holds
    rows.append(row(5003, debtor_uscc=large.uscc, region_code="440104"))  # type contradicts
    record = run_import(csv_bytes(rows))
    assert record.state == LedgerImport.State.REFUSED
    reported = {(e.row, e.column) for e in record.errors.all()}
    last = len(rows) + 1  # spreadsheet row of the last data row
    assert reported == {(2, "amount_owed"), (last - 1, "amount_paid"), (last, "debtor_type")}
    assert LedgerItem.objects.count() == 1
