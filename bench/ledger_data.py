"""Generated ledger data for the benchmarks: realistic shapes, valid codes.

34 provinces (every prefecture, or the province itself for municipalities
and the special regions), 20,000 debtors (agencies, institutions, large and
state-owned enterprises, a few big ones owing most items), 200,000 SME
creditors, one contract per row. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from stdnum.cn import uscc as stdnum_uscc

from qingqian.core import regions
from qingqian.ledger.columns import TEMPLATE_HEADER

DEBTOR_TYPES = ["机关", "事业单位", "大型企业", "国有企业"]
SUBJECTS = ["货物", "工程", "服务"]
WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc(region_code: str, serial: int, kind: str = "91") -> str:
    """A check-digit-valid credit code (the organisation code carries its own digit)."""
    body = f"{serial:08d}"[-8:]
    remainder = 11 - sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11
    org_check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    first17 = f"{kind}{region_code}{body}{org_check}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


def region_codes() -> list[str]:
    codes = []
    for province in regions.provinces():
        prefectures = regions.prefectures(province.code)
        codes += [p.code for p in prefectures] or [province.code]
    return codes


def parties(rng: random.Random, debtors: int, creditors: int):
    places = region_codes()
    debtor_rows = []
    for n in range(debtors):
        region = rng.choice(places)
        kind = rng.choice(DEBTOR_TYPES)
        debtor_rows.append((uscc(region, 10_000_000 + n), f"债务单位{n:05d}", kind, region))
    creditor_rows = [
        (uscc(rng.choice(places), 20_000_000 + n), f"中小企业{n:06d}有限公司")
        for n in range(creditors)
    ]
    return debtor_rows, creditor_rows


def ledger_rows(count: int, *, seed: int = 2026, debtors=20_000, creditors=200_000):
    """Rows in template column order."""
    rng = random.Random(seed)
    debtor_rows, creditor_rows = parties(rng, debtors, creditors)
    start = date(2021, 1, 1)
    for n in range(count):
        # A skewed choice: a few large debtors owe many items, as in real ledgers.
        debtor = debtor_rows[int(len(debtor_rows) * rng.random() ** 2)]
        creditor = creditor_rows[rng.randrange(len(creditor_rows))]
        signed = start + timedelta(days=rng.randrange(1500))
        due = signed + timedelta(days=rng.choice((30, 60, 90)))
        owed = rng.randrange(1_000_00, 5_000_000_00)
        paid = rng.choice((0, 0, owed // 4, owed // 2))
        disputed = rng.choice((0, 0, 0, (owed - paid) // 3))
        yield [
            debtor[0],
            debtor[1],
            debtor[2],
            debtor[3],
            creditor[0],
            creditor[1],
            f"HT-{n:08d}",
            signed.isoformat(),
            rng.choice(SUBJECTS),
            due.isoformat(),
            f"{owed // 100}.{owed % 100:02d}",
            f"{paid // 100}.{paid % 100:02d}",
            f"{disputed // 100}.{disputed % 100:02d}",
            "",
        ]


BREAKAGES = [
    (0, "91XXXXXXXXXXXXXXXX"),  # debtor USCC
    (10, "-12.00"),  # amount owed
    (9, "2025-02-30"),  # due date
    (3, "999999"),  # region code
    (4, "not a code"),  # creditor USCC
]


def break_rows(rows, *, share: float, seed: int = 7):
    """Spoil `share` of the rows, each in one column; yields (row, spoiled?)."""
    rng = random.Random(seed)
    for row in rows:
        if rng.random() < share:
            column, value = rng.choice(BREAKAGES)
            row = [*row]
            row[column] = value
            yield row, True
        else:
            yield row, False


def write_csv(path: Path, rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TEMPLATE_HEADER)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
