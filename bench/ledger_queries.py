"""Benchmark: national ledger figures at 10,000,000 items on SQLite.

Generates the items (and 220,000 enterprises) straight into a fresh database,
builds the maintained totals once, then times in the same run:

* national totals by province × status through the product's selector (read
  from the maintained `LedgerTotal`), against the full GROUP BY scan of the
  items that the summary replaces (both must give the same figures);
* the first page of a filtered list (a province, a status, a debtor type;
  keyset pagination) with its totals, as a provincial official sees it.

Run:  .venv/bin/python bench/ledger_queries.py [--items 10000000]
Writes bench/results/ledger_queries.json.

With ``--search`` (and DATABASE_URL naming an empty PostgreSQL database of
yours), it times instead the list's search at that many items: name
fragments (two and four characters), credit codes (exact and prefix) and
contract number prefixes, the first page for a provincial official and for the
national supervisor, each through the selector against the same SQL run bare
through the driver. ``--items 100000`` is the short form. Writes the "search"
part of the same result file; ``--reuse`` keeps data an earlier run loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET_MS = 100.0  # each answer, as the issue asks
TARGET_SPEEDUP = 20.0  # at least this many times faster than the scan it replaces
DEBTOR_TYPES = ["agency", "institution", "large", "soe"]
STATUSES = ["outstanding", "outstanding", "partly_paid", "cleared", "legal_route"]


def setup(var_dir: Path) -> None:
    os.environ.update(
        QINGQIAN_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'bench.sqlite3'}",
        QINGQIAN_DEBUG="0",
        QINGQIAN_SECRET_KEY="bench-" + "x" * 40,
        QINGQIAN_AUDIT_KEY="bench-audit-" + "y" * 40,
        DJANGO_SETTINGS_MODULE="qingqian.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from qingqian.demo import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()


def generate(items: int, seed: int = 2026) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from ledger_data import parties

    from qingqian.accounts.models import Organisation
    from qingqian.core.bulk import insert_rows
    from qingqian.core.regions import province_code_of
    from qingqian.ledger.imports.apply import ITEM_FIELDS
    from qingqian.ledger.models import LedgerItem
    from qingqian.parties.models import Enterprise
    from qingqian.parties.services import BULK_FIELDS

    rng = random.Random(seed)
    debtors, creditors = parties(rng, 20_000, 200_000)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    kinds = dict(zip(["机关", "事业单位", "大型企业", "国有企业"], DEBTOR_TYPES, strict=True))
    with transaction.atomic():
        insert_rows(
            Enterprise,
            BULK_FIELDS,
            [(u, n, kinds[k], r, False, "", "", "", "", now, now) for u, n, k, r in debtors]
            + [(u, n, "sme", u[2:8], False, "", "", "", "", now, now) for u, n in creditors],
        )
    ids = dict(Enterprise.objects.values_list("uscc", "pk"))
    debtor_rows = [(ids[u], kinds[k], r, province_code_of(r)) for u, _n, k, r in debtors]
    creditor_ids = [ids[u] for u, _n in creditors]
    owner_id = Organisation.objects.get(region_code="000000", parent=None).pk
    indexes = _drop_indexes(LedgerItem._meta.db_table)
    start = date(2021, 1, 1)
    batch = []
    with transaction.atomic():
        for n in range(items):
            debtor_id, debtor_type, region, province = debtor_rows[
                int(len(debtor_rows) * rng.random() ** 2)
            ]
            signed = start + timedelta(days=rng.randrange(1500))
            owed = rng.randrange(1_000_00, 5_000_000_00)
            status = rng.choice(STATUSES)
            paid = {"cleared": owed, "partly_paid": owed // 2}.get(status, 0)
            disputed = (owed - paid) // 3 if status == "legal_route" else 0
            batch.append(
                (
                    owner_id,
                    region,
                    province,
                    debtor_id,
                    debtor_type,
                    creditor_ids[rng.randrange(len(creditor_ids))],
                    f"HT-{n:08d}",
                    signed.isoformat(),
                    "goods",
                    (signed + timedelta(days=60)).isoformat(),
                    owed,
                    paid,
                    disputed,
                    status,
                    "import",
                    "unknown",
                    "",
                    now,
                    now,
                )
            )
            if len(batch) == 100_000:
                insert_rows(LedgerItem, ITEM_FIELDS, batch)
                batch = []
                print(f"\r{n + 1:,} items", end="", file=sys.stderr, flush=True)
        insert_rows(LedgerItem, ITEM_FIELDS, batch)
    print(file=sys.stderr)
    _restore_indexes(indexes)
    _build_totals()


def _drop_indexes(table: str) -> list[str]:
    """Secondary indexes slow a bulk load; they are rebuilt (the same SQL) after it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def _restore_indexes(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        cursor.execute("ANALYZE")


def _build_totals() -> None:
    """The state the services keep the summary in (the tests prove they do)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_ledgertotal (region_code, province_code, debtor_type, status, "
            "category, items, owed_fen, paid_fen, disputed_fen, written_off_fen) "
            "SELECT region_code, province_code, debtor_type, status, "
            "CASE WHEN disputed_fen > 0 THEN 'disputed' ELSE 'undisputed' END, "
            "COUNT(*), SUM(owed_fen), SUM(paid_fen), SUM(disputed_fen), SUM(written_off_fen) "
            "FROM ledger_ledgeritem "
            "GROUP BY 1, 2, 3, 4, 5"
        )


def timed(function, runs: int = 7) -> tuple[float, object]:
    function()  # warm the page cache
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def full_scan():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT province_code, status, COUNT(*), SUM(owed_fen), SUM(paid_fen), "
            "SUM(disputed_fen) FROM ledger_ledgeritem GROUP BY province_code, status "
            "ORDER BY province_code, status"
        )
        return cursor.fetchall()


def measure() -> dict:
    from qingqian.accounts.models import User
    from qingqian.ledger import selectors

    supervisor, official = (
        User.objects.get(username="supervisor"),
        User.objects.get(username="gd-intake"),
    )

    def national():
        return selectors.totals_by_province(actor=supervisor)

    filters = selectors.LedgerFilter(status="outstanding", debtor_type="agency")

    def first_page():
        page, _next = selectors.ledger_page(actor=official, filters=filters)
        return page, selectors.ledger_totals(actor=official, filters=filters)

    ours_ms, ours = timed(national)
    scan_ms, scan = timed(full_scan, runs=3)
    page_ms, (page, page_totals) = timed(first_page)
    ours_rows = [
        (r["province_code"], r["status"], r["totals"].items, r["totals"].owed_fen)
        for r in ours
        if r["totals"].items
    ]
    scan_rows = [(p, s, n, owed) for p, s, n, owed, _paid, _disputed in scan]
    return {
        "national_ms": ours_ms,
        "scan_ms": scan_ms,
        "page_ms": page_ms,
        "page_rows": len(page),
        "page_total_items": page_totals.items,
        "figures_agree": ours_rows == scan_rows,
    }


# --- search, on PostgreSQL -------------------------------------------------------

SEARCHES = {
    "name, 4 characters": "华达机电",
    "name, 2 characters": "鑫隆",
    "name, a whole debtor's": None,  # the name of the debtor owing most items
    "credit code, exact": None,  # a creditor's code
    "credit code, prefix of 12": None,
    "contract number, prefix": "HT-00012",
    "contract number, exact": "HT-00012345",
}


def setup_postgres() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("--search needs DATABASE_URL naming a PostgreSQL database")
    os.environ.update(
        QINGQIAN_VAR_DIR=tempfile.mkdtemp(prefix="qq-bench-search-"),
        QINGQIAN_DEBUG="0",
        QINGQIAN_SECRET_KEY="bench-" + "x" * 40,
        QINGQIAN_AUDIT_KEY="bench-audit-" + "y" * 40,
        DJANGO_SETTINGS_MODULE="qingqian.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from qingqian.accounts.models import User
    from qingqian.demo import seed_demo

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="gd-intake").exists():
        seed_demo()


def generate_postgres(items: int, seed: int = 2026) -> None:
    """Enterprises through the product's bulk insert, items by generate_series;
    the items' indexes are dropped during the load and rebuilt after it."""
    from django.db import connection, transaction
    from django.utils import timezone
    from ledger_search_data import ITEMS_SQL, parties

    from qingqian.accounts.models import Organisation
    from qingqian.core.bulk import insert_rows
    from qingqian.parties.models import Enterprise
    from qingqian.parties.services import BULK_FIELDS

    rng = random.Random(seed)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    first = (Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    owner = Organisation.objects.get(region_code="000000", parent=None).pk
    debtors, creditors = 20_000, 200_000
    with transaction.atomic(), connection.cursor() as cursor:
        insert_rows(
            Enterprise,
            BULK_FIELDS,
            [
                (code, name, kind, region, False, "", "", "", "", now, now)
                for code, name, kind, region in parties(rng, debtors, creditors)
            ],
        )
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_ledgeritem' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SELECT setseed(%s)", [0.2026])
        params = {"first": first, "debtors": debtors, "creditors": creditors}
        cursor.execute(ITEMS_SQL, {**params, "items": items, "owner": owner})
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked now, before the indexes
        for _name, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_ledgeritem")
        cursor.execute("VACUUM ANALYZE parties_enterprise")


def search_texts() -> dict[str, str]:
    """The searches, with the codes and names taken from the generated data."""
    from django.db.models import Count

    from qingqian.ledger.models import LedgerItem
    from qingqian.parties.models import Enterprise

    busiest = LedgerItem.objects.values("debtor").annotate(n=Count("id")).order_by("-n").first()
    creditor = Enterprise.objects.filter(type="sme").order_by("-pk").first()
    found = {
        "name, a whole debtor's": Enterprise.objects.get(pk=busiest["debtor"]).name,
        "credit code, exact": creditor.uscc,
        "credit code, prefix of 12": creditor.uscc[:12],
    }
    return {label: text or found[label] for label, text in SEARCHES.items()}


def bare(statements: list[tuple[str, tuple]]) -> list:
    """The selector's SQL, as it sent it, run through the driver with nothing around it."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return rows


def measure_search() -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingqian.accounts.models import User
    from qingqian.ledger import selectors

    results = []
    for username in ("gd-intake", "supervisor"):
        actor = User.objects.get(username=username)
        for label, text in search_texts().items():
            filters = selectors.LedgerFilter(search=text)

            def page(actor=actor, filters=filters):
                return selectors.ledger_page(actor=actor, filters=filters)[0]

            with CaptureQueriesContext(connection) as captured:
                rows = page()
            statements = [_statement(query["sql"]) for query in captured.captured_queries]
            page_ms, _page = timed(page)
            bare_ms, _rows = timed(lambda statements=statements: bare(statements))
            results.append(
                {
                    "who": username,
                    "search": label,
                    "text": text,
                    "rows": len(rows),
                    "page_ms": round(page_ms, 2),
                    "bare_ms": round(bare_ms, 2),
                }
            )
            print(results[-1], file=sys.stderr)
    return results


def _statement(sql: str) -> tuple[str, tuple]:
    """Captured SQL has its parameters inlined already: run it as it was sent."""
    return sql.replace("%", "%%"), ()


def search_main(items: int, reuse: bool) -> int:
    from intake import machine

    setup_postgres()
    from qingqian.ledger.models import LedgerItem

    started = time.perf_counter()
    if not (reuse and LedgerItem.objects.filter(contract_number__startswith="HT-").exists()):
        generate_postgres(items)
    generated_s = time.perf_counter() - started
    figures = measure_search()
    worst = max(figures, key=lambda f: f["page_ms"])
    ours, theirs = (sum(f[key] for f in figures) for key in ("page_ms", "bare_ms"))
    search = {
        "name": "ledger_search",
        "value": round(1000 / worst["page_ms"], 1),
        "unit": f"slowest search's first pages per second at {items:,} items (PostgreSQL)",
        "baseline": round(1000 / max(f["bare_ms"] for f in figures), 1),
        "ratio": round(theirs / ours, 2),
        "target": f"each first page < {TARGET_MS:.0f} ms",
        "slowest": worst,
        "searches": figures,
        "generation_s": round(generated_s),
        "date": date.today().isoformat(),
        "machine": machine(),
    }
    path = HERE / "results" / "ledger_queries.json"
    result = json.loads(path.read_text()) if path.exists() else {}
    result["search"] = search
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(search, indent=2, ensure_ascii=False))
    return 0 if worst["page_ms"] < TARGET_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000_000)
    parser.add_argument("--search", action="store_true", help="the search, on PostgreSQL")
    parser.add_argument("--reuse", action="store_true", help="keep the items already loaded")
    args = parser.parse_args()
    if args.search:
        return search_main(args.items, args.reuse)
    from intake import machine

    with tempfile.TemporaryDirectory(prefix="qq-bench-queries-") as tmp:
        setup(Path(tmp))
        started = time.perf_counter()
        generate(args.items)
        generated_s = time.perf_counter() - started
        figures = measure()
    worst = max(figures["national_ms"], figures["page_ms"])
    # Rates, so that the ratio reads like every benchmark's: higher is better.
    result = {
        "name": "ledger_queries",
        "value": round(1000 / figures["national_ms"], 1),
        "unit": f"national totals by province × status per second at {args.items:,} items",
        "baseline": round(1000 / figures["scan_ms"], 4),
        "ratio": round(figures["scan_ms"] / figures["national_ms"], 1),
        "target": TARGET_SPEEDUP,
        "national_ms": round(figures["national_ms"], 2),
        "scan_ms": round(figures["scan_ms"], 1),
        "latency_target_ms": TARGET_MS,
        "first_page_ms": round(figures["page_ms"], 2),
        "first_page_rows": figures["page_rows"],
        "first_page_total_items": figures["page_total_items"],
        "figures_agree": figures["figures_agree"],
        "generation_s": round(generated_s),
        "date": date.today().isoformat(),
        "machine": machine(),
    }
    path = HERE / "results" / "ledger_queries.json"
    path.parent.mkdir(exist_ok=True)
    if path.exists() and "search" in (earlier := json.loads(path.read_text())):
        result["search"] = earlier["search"]  # the --search run's part
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    fast = worst < TARGET_MS and result["ratio"] >= TARGET_SPEEDUP
    return 0 if figures["figures_agree"] and fast else 1


if __name__ == "__main__":
    sys.exit(main())
