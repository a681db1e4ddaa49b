"""Benchmark: importing a 1,000,000-row ledger return end to end on SQLite
(`qingqian ledger import`: reading, validation, enterprises, items, payments,
summary totals, audit) against a raw `executemany` of the same CSV rows into a
bare table, in the same run; plus the peak memory of the import process, and a
second file with 2% bad rows that must be refused with every bad row reported.

Run:  .venv/bin/python bench/ledger_import.py [--rows 1000000]
Writes bench/results/ledger_import.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from intake import machine  # noqa: E402
from ledger_data import break_rows, ledger_rows, write_csv  # noqa: E402

VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 0.3
TARGET_RSS_MB = 300


def bench_env(var_dir: Path) -> dict:
    return {
        **os.environ,
        "QINGQIAN_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "QINGQIAN_DEBUG": "0",
        "QINGQIAN_SECRET_KEY": "bench-" + "x" * 40,
        "QINGQIAN_AUDIT_KEY": "bench-audit-" + "y" * 40,
    }


def prepare(env: dict) -> None:
    run = [str(VENV_BIN / "qingqian")]
    subprocess.run([*run, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    seed = "from qingqian.demo import seed_demo; seed_demo()"
    subprocess.run([*run, "manage", "shell", "-c", seed], env=env, check=True)


def raw_executemany(path: Path, database: Path) -> float:
    """The bare baseline: parse the same CSV and insert every row as text."""
    started = time.perf_counter()
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"CREATE TABLE bare ({', '.join(f'c{n} TEXT' for n in range(14))})")
    with path.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO bare VALUES ({', '.join('?' * 14)})", reader)
        connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started


def run_import(env: dict, path: Path) -> tuple[dict, float, float]:
    """`qingqian ledger import` in its own process: (outcome, seconds, peak RSS MB)."""
    command = [str(VENV_BIN / "qingqian"), "ledger", "import", str(path), "--org", "000000"]
    started = time.perf_counter()
    process = subprocess.Popen([*command, "--json"], env=env, stdout=subprocess.PIPE)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    outcome = json.loads(output)
    outcome["exit"] = os.waitstatus_to_exitcode(status)
    return outcome, elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def reported_rows(env: dict, import_id: int) -> int:
    code = (
        "from qingqian.ledger.models import LedgerImportError as E; "
        f"print(E.objects.filter(ledger_import_id={import_id}).values('row').distinct().count())"
    )
    out = subprocess.run(
        [str(VENV_BIN / "qingqian"), "manage", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qq-bench-ledger-") as tmp:
        tmp = Path(tmp)
        env = bench_env(tmp)
        prepare(env)
        good, bad = tmp / "ledger-good.csv", tmp / "ledger-bad.csv"
        write_csv(good, ledger_rows(args.rows))
        spoiled = 0

        def bad_rows():
            nonlocal spoiled
            for row, broken in break_rows(ledger_rows(args.rows, seed=99), share=0.02):
                spoiled += broken
                yield row

        write_csv(bad, bad_rows())
        raw_seconds = raw_executemany(good, tmp / "bare.sqlite3")
        outcome, seconds, rss_mb = run_import(env, good)
        refused, bad_seconds, bad_rss_mb = run_import(env, bad)
        reported = reported_rows(env, refused["import"])
    ours_rate = args.rows / seconds
    raw_rate = args.rows / raw_seconds
    result = {
        "name": "ledger_import",
        "value": round(ours_rate),
        "unit": "rows/s imported end to end (CSV, SQLite)",
        "baseline": round(raw_rate),
        "ratio": round(ours_rate / raw_rate, 3),
        "target": TARGET_RATIO,
        "rows": args.rows,
        "seconds": round(seconds, 1),
        "baseline_seconds": round(raw_seconds, 1),
        "peak_rss_mb": round(rss_mb),
        "peak_rss_target_mb": TARGET_RSS_MB,
        "imported": outcome["created"],
        "bad_file": {
            "state": refused["state"],
            "spoiled_rows": spoiled,
            "rows_reported": reported,
            "seconds": round(bad_seconds, 1),
            "peak_rss_mb": round(bad_rss_mb),
        },
        "date": date.today().isoformat(),
        "machine": machine(),
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "ledger_import.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    ok = outcome["state"] == "done" and refused["state"] == "refused" and reported == spoiled
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
