"""Benchmark: importing a ledger return end to end (`qingqian ledger import`:
reading, validation, enterprises, items, payments, summary totals, audit) on
SQLite and on PostgreSQL, each against the bare load of the same CSV in the
same run: on SQLite a raw `executemany` into a bare table, on PostgreSQL a raw
`COPY` into a bare table. Also the import process's peak memory, the share of
the import's time that SQLite's write lock is held (a probe tries to take it
every few milliseconds), and a file with 2% bad rows that must be refused with
every bad row reported. Every round starts from a new database (PostgreSQL: a
throw-away database on the server of BENCH_PG_URL, dropped afterwards).

Run:  .venv/bin/python bench/ledger_import.py [--rows 1000000] [--rounds 3]
      [--databases sqlite,postgresql] [--short]
`--short` is one round of 100,000 rows, to see that the script works.
Writes bench/results/ledger_import.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from intake import machine  # noqa: E402
from ledger_data import break_rows, ledger_rows, write_csv  # noqa: E402

VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 0.3
TARGET_RSS_MB = 300
TARGET_LOCK_SHARE = 1 / 3
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
COLUMNS = 14
PROBE_INTERVAL = 0.005  # seconds between two attempts to take SQLite's write lock


def bench_env(var_dir: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "QINGQIAN_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "QINGQIAN_DEBUG": "0",
        "QINGQIAN_SECRET_KEY": "bench-" + "x" * 40,
        "QINGQIAN_AUDIT_KEY": "bench-audit-" + "y" * 40,
    }


def prepare(env: dict) -> None:
    run = [str(VENV_BIN / "qingqian")]
    subprocess.run([*run, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    seed = "from qingqian.demo import seed_demo; seed_demo()"
    subprocess.run([*run, "manage", "shell", "-c", seed], env=env, check=True)


# --- the bare loads ---------------------------------------------------------------------


def raw_executemany(path: Path, database: Path) -> float:
    """SQLite's bare load: parse the same CSV and insert every row as text."""
    started = time.perf_counter()
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"CREATE TABLE bare ({', '.join(f'c{n} TEXT' for n in range(COLUMNS))})")
    with path.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO bare VALUES ({', '.join('?' * COLUMNS)})", reader)
        connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started


def raw_copy(path: Path, database_url: str) -> float:
    """PostgreSQL's bare load: the same file streamed by `COPY ... CSV` into a bare table."""
    started = time.perf_counter()
    with psycopg.connect(database_url) as connection:
        columns = ", ".join(f"c{n} text" for n in range(COLUMNS))
        connection.execute(f"CREATE TABLE bare ({columns})")
        with connection.cursor() as cursor:
            copy = "COPY bare FROM STDIN WITH (FORMAT csv, HEADER true)"
            with cursor.copy(copy) as sink, path.open("rb") as source:
                source.read(3)  # the UTF-8 byte-order mark the template carries
                while chunk := source.read(1 << 20):
                    sink.write(chunk)
    return time.perf_counter() - started


# --- the import ------------------------------------------------------------------------


class LockProbe:
    """Tries to take SQLite's write lock every few milliseconds (and gives it
    back at once): the share of failed attempts is the share of time another
    writer would have waited. Starts when entered, stops when left."""

    def __init__(self, database: Path):
        self.database = database
        self.attempts = 0
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def share(self) -> float:
        return self.refused / self.attempts if self.attempts else 0.0

    def _run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=0, isolation_level=None)
        while not self._stop.wait(PROBE_INTERVAL):
            self.attempts += 1
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
            except sqlite3.OperationalError:  # "database is locked"
                self.refused += 1
        connection.close()


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


def one_round(database: str, files: dict, tmp: Path, round_number: int) -> dict:
    """A new database, the bare load, the good file, the bad file."""
    var_dir = tmp / f"{database}-{round_number}"
    var_dir.mkdir()
    if database == "sqlite":
        sqlite_file = var_dir / "bench.sqlite3"
        env = bench_env(var_dir, f"sqlite:///{sqlite_file}")
        prepare(env)
        baseline = raw_executemany(files["good"], var_dir / "bare.sqlite3")
        with LockProbe(sqlite_file) as probe:
            outcome, seconds, rss_mb = run_import(env, files["good"])
        measured = {"lock_share": probe.share, "lock_probes": probe.attempts}
        return _with_bad_file(env, files, outcome, seconds, rss_mb, baseline, measured)
    with throwaway_pg_database(f"qq_bench_ledger_{os.getpid()}_{round_number}") as url:
        env = bench_env(var_dir, url)
        prepare(env)
        with throwaway_pg_database(f"qq_bench_bare_{os.getpid()}_{round_number}") as bare_url:
            baseline = raw_copy(files["good"], bare_url)
        outcome, seconds, rss_mb = run_import(env, files["good"])
        return _with_bad_file(env, files, outcome, seconds, rss_mb, baseline, {})


def _with_bad_file(env, files, outcome, seconds, rss_mb, baseline, measured) -> dict:
    refused, bad_seconds, bad_rss_mb = run_import(env, files["bad"])
    return {
        "seconds": seconds,
        "baseline_seconds": baseline,
        "peak_rss_mb": rss_mb,
        "imported": outcome["created"],
        "state": outcome["state"],
        "bad_state": refused["state"],
        "bad_reported": reported_rows(env, refused["import"]),
        "bad_seconds": bad_seconds,
        "bad_peak_rss_mb": bad_rss_mb,
        **measured,
    }


class throwaway_pg_database:  # noqa: N801 # used as a context manager, like a function
    def __init__(self, name: str):
        self.name = name
        self.url = PG_SERVER.rsplit("/", 1)[0] + "/" + name

    def __enter__(self) -> str:
        with psycopg.connect(PG_SERVER, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {self.name}")
            server.execute(f"CREATE DATABASE {self.name}")
        return self.url

    def __exit__(self, *exc) -> None:
        with psycopg.connect(PG_SERVER, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


# --- results ---------------------------------------------------------------------------


def summary(rounds: list[dict], rows: int, spoiled: int) -> dict:
    """Medians over the rounds, with the spread of the rate."""
    rates = [rows / r["seconds"] for r in rounds]
    baselines = [rows / r["baseline_seconds"] for r in rounds]
    ratios = [rate / base for rate, base in zip(rates, baselines, strict=True)]
    result = {
        "rate": round(statistics.median(rates)),
        "rate_spread": [round(min(rates)), round(max(rates))],
        "baseline": round(statistics.median(baselines)),
        "ratio": round(statistics.median(ratios), 3),
        "seconds": round(statistics.median(r["seconds"] for r in rounds), 1),
        "baseline_seconds": round(statistics.median(r["baseline_seconds"] for r in rounds), 2),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in rounds)),
        "imported": min(r["imported"] for r in rounds),
        "bad_file": {
            "state": sorted({r["bad_state"] for r in rounds}),
            "spoiled_rows": spoiled,
            "rows_reported": sorted({r["bad_reported"] for r in rounds}),
            "seconds": round(statistics.median(r["bad_seconds"] for r in rounds), 1),
            "peak_rss_mb": round(max(r["bad_peak_rss_mb"] for r in rounds)),
        },
    }
    if "lock_share" in rounds[0]:
        shares = [r["lock_share"] for r in rounds]
        result["lock_share"] = round(statistics.median(shares), 3)
        result["lock_share_spread"] = [round(min(shares), 3), round(max(shares), 3)]
    return result


def all_good(rounds: list[dict], rows: int, spoiled: int) -> bool:
    return all(
        r["state"] == "done"
        and r["imported"] == rows
        and r["bad_state"] == "refused"
        and r["bad_reported"] == spoiled
        for r in rounds
    )


def write_files(tmp: Path, rows: int) -> tuple[dict, int]:
    """The good file, and the same rows with 2% spoiled (one cell each): its
    other rows agree with the register the good file leaves behind."""
    files = {"good": tmp / "ledger-good.csv", "bad": tmp / "ledger-bad.csv"}
    write_csv(files["good"], ledger_rows(rows))
    spoiled = 0

    def bad_rows():
        nonlocal spoiled
        for row, broken in break_rows(ledger_rows(rows), share=0.02):
            spoiled += broken
            yield row

    write_csv(files["bad"], bad_rows())
    return files, spoiled


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--short", action="store_true", help="one round of 100,000 rows")
    args = parser.parse_args()
    if args.short:
        args.rows, args.rounds = 100_000, 1
    databases = args.databases.split(",")
    measured = {}
    with tempfile.TemporaryDirectory(prefix="qq-bench-ledger-") as tmp:
        tmp = Path(tmp)
        files, spoiled = write_files(tmp, args.rows)
        rounds = {database: [] for database in databases}
        for number in range(args.rounds):
            for database in databases:
                rounds[database].append(one_round(database, files, tmp, number))
                print(database, number, json.dumps(rounds[database][-1]), file=sys.stderr)
    for database in databases:
        measured[database] = summary(rounds[database], args.rows, spoiled)
    ok = all(all_good(r, args.rows, spoiled) for r in rounds.values())
    result = results_json(measured, args)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "ledger_import.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if ok else 1


def results_json(measured: dict, args) -> dict:
    sqlite_figures = measured.get("sqlite", {})
    pg_figures = measured.get("postgresql", {})
    return {
        "name": "ledger_import",
        "value": sqlite_figures.get("rate"),
        "unit": "rows/s imported end to end (CSV)",
        "baseline": sqlite_figures.get("baseline"),
        "ratio": sqlite_figures.get("ratio"),
        "target": TARGET_RATIO,
        "pg_value": pg_figures.get("rate"),
        "pg_baseline": pg_figures.get("baseline"),
        "pg_ratio": pg_figures.get("ratio"),
        "pg_target": TARGET_RATIO,
        "lock_share": sqlite_figures.get("lock_share"),
        "lock_share_target": round(TARGET_LOCK_SHARE, 3),
        "peak_rss_mb": max((m["peak_rss_mb"] for m in measured.values()), default=None),
        "peak_rss_target_mb": TARGET_RSS_MB,
        "rows": args.rows,
        "rounds": args.rounds,
        "sqlite": sqlite_figures,
        "postgresql": pg_figures,
        "date": date.today().isoformat(),
        "machine": machine(),
        "load_average_at_end": [round(load, 1) for load in os.getloadavg()],
    }


if __name__ == "__main__":
    sys.exit(main())
