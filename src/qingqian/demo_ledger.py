"""A demo ledger: a few hundred items for Guangdong and Jiangsu, imported as
returns through the real importer, then some payments, a dispute, a plan and
a legal proceeding, so the ledger pages have content. Idempotent: the returns
match on debtor + creditor + contract, and the follow-up acts run once."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from django.utils import timezone

from qingqian.accounts.models import Organisation, User
from qingqian.core.money import to_yuan_str
from qingqian.demo import demo_uscc
from qingqian.ledger import imports, services
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.models import LedgerItem, Source, Status

# (authority, debtor regions, rows)
RETURNS = [
    ("广东省中小企业主管部门", ["440103", "440104", "440106", "440304", "440305", "440605"], 240),
    ("江苏省中小企业主管部门", ["320102", "320104", "320505", "320583"], 160),
]
DEBTOR_TYPES = ["机关", "事业单位", "大型企业", "国有企业"]
SUBJECTS = ["货物", "工程", "服务"]


def seed_demo_ledger() -> int:
    """Import the demo returns (once) and act on a few items; returns items created."""
    if LedgerItem.objects.filter(source=Source.IMPORT, contract_number__startswith="DL-").exists():
        return 0
    rng = random.Random(2026)  # nosec B311 # demo data, the same on every run on purpose
    created = 0
    for authority_name, regions, rows in RETURNS:
        authority = Organisation.objects.get(name=authority_name)
        data = _return_csv(rng, authority.region_code, regions, rows)
        record = imports.ledger_import_upload(
            actor=None,
            owner=authority,
            fileobj=io.BytesIO(data),
            original_name=f"demo-{authority.region_code}.csv",
        )
        created += imports.ledger_import_run(record).created_count
    _follow_ups()
    return created


def _return_csv(rng: random.Random, province: str, regions: list[str], rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    today = timezone.localdate()
    for n in range(rows):
        region = rng.choice(regions)
        debtor = 500 + rng.randrange(30)
        signed = today - timedelta(days=rng.randrange(90, 1100))
        owed = rng.randrange(20_000_00, 3_000_000_00)
        paid = rng.choice((0, 0, 0, owed // 4, owed // 2, owed))
        disputed = rng.choice((0, 0, 0, 0, (owed - paid) // 3))
        writer.writerow(
            [
                demo_uscc(region, debtor),
                f"示例债务单位{debtor:03d}",
                DEBTOR_TYPES[debtor % 4],
                region,
                demo_uscc(rng.choice(regions), 2000 + rng.randrange(120)),
                f"示例中小企业{n % 120:03d}有限公司",
                f"DL-{province[:2]}-{n:04d}",
                signed.isoformat(),
                rng.choice(SUBJECTS),
                (signed + timedelta(days=rng.choice((30, 60)))).isoformat(),
                to_yuan_str(owed),
                to_yuan_str(paid),
                to_yuan_str(disputed),
                "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _follow_ups() -> None:
    """A few acts by the demo officials on Guangdong items."""
    keeper = User.objects.get(username="gd-intake")
    today = timezone.localdate()
    open_items = LedgerItem.objects.filter(
        province_code="440000", status=Status.OUTSTANDING, contract_number__startswith="DL-"
    ).order_by("id")
    paying, planned, disputed, in_court = list(open_items[:4])
    services.payment_record(
        actor=keeper,
        item=paying,
        paid_on=today - timedelta(days=3),
        amount_fen=paying.outstanding_fen // 2,
        method="transfer",
        reference="DEMO-0001",
    )
    instalments = [
        (today + timedelta(days=30 * (n + 1)), part)
        for n, part in enumerate(_split(planned.outstanding_fen, 3))
    ]
    services.plan_create(actor=keeper, item=planned, instalments=instalments)
    services.ledger_confirm(
        actor=keeper,
        item=disputed,
        disputed_fen=disputed.outstanding_fen // 3,
        note="对部分工程量有分歧（示例）",
    )
    services.ledger_confirm(  # the legal route is for the disputed part
        actor=keeper,
        item=in_court,
        disputed_fen=in_court.outstanding_fen // 2,
        note="对验收结论有分歧（示例）",
    )
    services.legal_route_open(
        actor=keeper,
        item=in_court,
        kind="litigation",
        body="广州市天河区人民法院（示例）",
        case_number="(2026)粤0106民初0001号",
        filed_on=today - timedelta(days=20),
    )


def _split(total: int, parts: int) -> list[int]:
    share, rest = divmod(total, parts)
    return [share + (rest if n == 0 else 0) for n in range(parts)]
