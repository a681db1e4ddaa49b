"""A return of 10,000 rows imported through the set-based writes (staged in
temporary tables, then INSERT ... SELECT on both databases): every row,
payment, party, total and audit event is what the file says, and a second
import changes nothing."""

import csv
import io
import random
from datetime import date, timedelta

import pytest
from django.db import connection

from qingqian.accounts.models import Organisation
from qingqian.core.models import AuditEvent
from qingqian.core.namesearch import fts_phrase
from qingqian.demo import demo_uscc
from qingqian.ledger import imports
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.models import LedgerItem, LedgerTotal, Payment, PaymentMethod, Status
from qingqian.ledger.services import status_from_amounts
from qingqian.parties.models import Enterprise
from tests.ledger.recount import assert_ledger_consistent

ROWS = 10_000
REGIONS = ["440103", "440106", "440305", "440604", "441302"]  # Guangdong: the importer's
DEBTOR_TYPES = {"机关": "agency", "事业单位": "institution", "大型企业": "large", "国有企业": "soe"}


def debtors(rng: random.Random) -> list[tuple]:
    return [
        (demo_uscc(region, 500_000 + n), f"债务单位{n:03d}", kind, region)
        for n in range(300)
        for region, kind in [(rng.choice(REGIONS), rng.choice(list(DEBTOR_TYPES)))]
    ]


def ledger_file(seed: int = 22) -> tuple[bytes, dict]:
    """The file, and what each contract key should hold: (owed, paid, disputed, due, type)."""
    rng = random.Random(seed)
    debtor_rows = debtors(rng)
    creditors = [(demo_uscc("440106", 600_000 + n), f"供应商{n:04d}有限公司") for n in range(2_000)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    expected = {}
    for n in range(ROWS):
        debtor, creditor = rng.choice(debtor_rows), rng.choice(creditors)
        owed = rng.randrange(1_000_00, 900_000_00)
        paid = rng.choice((0, owed // 4, owed))
        disputed = rng.choice((0, 0, (owed - paid) // 3))
        due = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
        number = f"GD-{n:06d}"
        writer.writerow(
            [
                *debtor,
                *creditor,
                number,
                "2023-12-01",
                "服务",
                due.isoformat(),
                f"{owed // 100}.{owed % 100:02d}",
                f"{paid // 100}.{paid % 100:02d}",
                f"{disputed // 100}.{disputed % 100:02d}",
                "",
            ]
        )
        expected[(debtor[0], creditor[0], number)] = (
            owed,
            paid,
            disputed,
            due,
            DEBTOR_TYPES[debtor[2]],
        )
    return out.getvalue().encode("utf-8-sig"), expected


def names_found(fragment: str) -> list[str]:
    """The enterprises SQLite's name-search index finds (PostgreSQL indexes the
    names themselves: nothing to keep in step there)."""
    if connection.vendor != "sqlite":
        return [fragment]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.name FROM publication_enterprise_names n JOIN parties_enterprise e "
            "ON e.id = n.rowid WHERE publication_enterprise_names MATCH %s",
            [fts_phrase(fragment)],
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.fixture
def import_file(user):
    gd = Organisation.objects.get(name="广东省中小企业主管部门")

    def run(data: bytes):
        record = imports.ledger_import_upload(
            actor=user("gd-intake"), owner=gd, fileobj=io.BytesIO(data), original_name="gd.csv"
        )
        return imports.ledger_import_run(record)

    return run


def named(record, verb: str, kind: str, label: str) -> list[tuple]:
    events = AuditEvent.objects.filter(verb=verb, target_id=str(record.pk))
    return [
        tuple(key) if isinstance(key, list) else key
        for event in events
        for key in event.payload.get(kind, {}).get(label, [])
    ]


def test_ten_thousand_rows_land_whole_and_a_second_import_changes_nothing(import_file):
    data, expected = ledger_file()
    record = import_file(data)
    assert record.state == record.State.DONE, list(record.errors.values_list("reason"))
    assert (record.rows_read, record.created_count, record.error_count) == (ROWS, ROWS, 0)

    items = LedgerItem.objects.values_list(
        "debtor__uscc",
        "creditor__uscc",
        "contract_number",
        "owed_fen",
        "paid_fen",
        "disputed_fen",
        "due_on",
        "debtor_type",
        "status",
        "region_code",
        "debtor__region_code",
    )
    landed = {}
    for *key, owed, paid, disputed, due, kind, status, region, debtor_region in items:
        assert status == status_from_amounts(owed, paid)
        assert region == debtor_region
        landed[tuple(key)] = (owed, paid, disputed, due, kind)
    assert landed == expected
    assert LedgerItem.objects.filter(status=Status.CLEARED).exists()

    payments = Payment.objects.values_list(
        "item__debtor__uscc", "item__creditor__uscc", "item__contract_number", "amount_fen"
    )
    assert sorted((*key, amount) for *key, amount in payments) == sorted(
        (*key, paid) for key, (_owed, paid, *_rest) in expected.items() if paid
    )
    assert not Payment.objects.exclude(method=PaymentMethod.REPORTED).exists()

    parties = {uscc for key in expected for uscc in key[:2]}
    registered = named(record, "enterprise.register_bulk", "created", "parties.enterprise")
    assert sorted(registered) == sorted(parties)
    types = dict(Enterprise.objects.filter(uscc__in=parties).values_list("uscc", "type"))
    for (debtor, creditor, _number), (*_amounts, kind) in expected.items():
        assert (types[debtor], types[creditor]) == (kind, Enterprise.Type.SME)

    assert names_found("供应商1999有限公司") == ["供应商1999有限公司"]

    batch = "ledger.import_batch"
    assert sorted(named(record, batch, "created", "ledger.ledgeritem")) == sorted(expected)
    assert sorted(named(record, batch, "created", "ledger.payment")) == sorted(
        key for key, (_owed, paid, *_rest) in expected.items() if paid
    )
    assert_ledger_consistent()

    before = (
        list(LedgerItem.objects.order_by("pk").values_list("pk", "owed_fen", "paid_fen", "status")),
        Payment.objects.count(),
        Enterprise.objects.count(),
        list(LedgerTotal.objects.order_by("pk").values_list("pk", "items", "owed_fen", "paid_fen")),
    )
    again = import_file(data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, ROWS)
    assert not AuditEvent.objects.filter(verb=batch, target_id=str(again.pk)).exists()
    after = (
        list(LedgerItem.objects.order_by("pk").values_list("pk", "owed_fen", "paid_fen", "status")),
        Payment.objects.count(),
        Enterprise.objects.count(),
        list(LedgerTotal.objects.order_by("pk").values_list("pk", "items", "owed_fen", "paid_fen")),
    )
    assert after == before
