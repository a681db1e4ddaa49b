"""Generated data for the ledger search benchmark, on PostgreSQL.

220,000 enterprises with names shaped like real ones (a city, a two-character
trade name, a line of business: 广州华达机电有限公司, 深圳市交通运输局), then
the items straight from ``generate_series`` in SQL: a 10-million-row load takes
minutes, not the hour an ORM loop would.
"""

from __future__ import annotations

import random

from ledger_data import region_codes, uscc

CITIES = ["广州", "深圳", "佛山", "东莞", "珠海", "南京", "苏州", "杭州", "宁波", "成都"]
CITIES += ["武汉", "长沙", "郑州", "济南", "青岛", "西安", "合肥", "福州", "厦门", "昆明"]
SYLLABLES = "华达明兴盛创源恒泰安利新科建信通远鑫隆丰瑞宏嘉中天宇博鸿德诚"
TRADES = ["机电", "软件", "建材", "物流", "电子", "印务", "食品", "纺织", "化工", "设备"]
DEBTOR_KINDS = [
    ("agency", "交通运输局"),
    ("agency", "住房和城乡建设局"),
    ("institution", "人民医院"),
    ("institution", "路桥管理所"),
    ("large", "建工集团有限公司"),
    ("soe", "城市建设投资集团有限公司"),
    ("soe", "地铁集团有限公司"),
]


def trade_name(rng: random.Random) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES)


def parties(rng: random.Random, debtors: int, creditors: int):
    """(uscc, name, type, region) of the debtors, then of the SME creditors."""
    places = region_codes()
    rows = []
    for n in range(debtors):
        kind, body = rng.choice(DEBTOR_KINDS)
        name = f"{rng.choice(CITIES)}{trade_name(rng)}{body}"
        rows.append((uscc(rng.choice(places), 10_000_000 + n), name, kind, None))
    for n in range(creditors):
        name = f"{rng.choice(CITIES)}{trade_name(rng)}{rng.choice(TRADES)}有限公司"
        rows.append((uscc(rng.choice(places), 20_000_000 + n), name, "sme", None))
    return [(code, name, kind, code[2:8]) for code, name, kind, _none in rows]


ITEMS_SQL = """
WITH debtor AS (
    SELECT row_number() OVER (ORDER BY id) AS n, id, type, region_code
    FROM parties_enterprise WHERE type <> 'sme' AND id >= %(first)s
), creditor AS (
    SELECT row_number() OVER (ORDER BY id) AS n, id
    FROM parties_enterprise WHERE type = 'sme' AND id >= %(first)s
), picked AS (
    SELECT g,
           1 + floor(random() ^ 2 * %(debtors)s)::int AS d,
           1 + floor(random() * %(creditors)s)::int AS c,
           (DATE '2021-01-01' + floor(random() * 1500)::int) AS signed,
           100000 + floor(random() * 499900000)::bigint AS owed,
           g %% 5 AS shape
    FROM generate_series(1, %(items)s) AS g
)
INSERT INTO ledger_ledgeritem (owner_id, region_code, province_code, debtor_id, debtor_type,
    creditor_id, contract_number, contract_signed_on, subject, due_on, owed_fen, paid_fen,
    disputed_fen, status, source, sme_notified_at_signing, notes, created_at, updated_at)
SELECT %(owner)s, debtor.region_code, substr(debtor.region_code, 1, 2) || '0000', debtor.id,
    debtor.type, creditor.id, 'HT-' || lpad(g::text, 8, '0'), signed, 'goods', signed + 60,
    owed,
    CASE shape WHEN 3 THEN owed WHEN 2 THEN owed / 2 ELSE 0 END,
    CASE shape WHEN 4 THEN owed / 3 ELSE 0 END,
    (ARRAY['outstanding', 'outstanding', 'partly_paid', 'cleared', 'legal_route'])[shape + 1],
    'import', 'unknown', '', now(), now()
FROM picked JOIN debtor ON debtor.n = picked.d JOIN creditor ON creditor.n = picked.c
"""
