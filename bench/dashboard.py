"""Benchmark: the supervision dashboard at national scale on SQLite.

Builds a database with 10,000,000 ledger items (the ledger benchmark's
generator) and 100,000 complaints with their history (events and statutory
clocks, written as raw rows by dashboard_data.py), builds the supervision
tallies with `tallies.rebuild()` (timed) and 24 months of ledger snapshots,
then times, warm, in the same run:

* `dashboard.dashboard()` for the nation (a national supervisor, 12 months),
  a province (Guangdong's intake officer) and a city (a Guangzhou official);
* `laggards.laggards()` for the nation (the default rules);
* the first page (50 rows) of `facts_behind()` for a provincial figure;

against the full scan that the maintained tables replace: the national
headline figures straight from the raw rows (one GROUP BY over the period's
complaint events joined to their complaints, one over the clocks, one over
all ledger items). The national figures of both must agree, or the run fails.
Also recorded: the same calls with the planner statistics removed, and the
slowest queries (with their plans) of every call above the latency target.

Run:  .venv/bin/python bench/dashboard.py [--small] [--keep DIR]
(--small: 100,000 items and 5,000 complaints, under a minute; --keep DIR keeps
the database in DIR and reuses it on the next run with the same sizes.)
Writes bench/results/dashboard.json (not with --small).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET_MS = 200.0  # each dashboard answer
TARGET_SPEEDUP = 20.0  # national dashboard answers per second / full-scan answers per second
CITY_OFFICIAL = "gz-supervisor"


# --- the data ------------------------------------------------------------------------------


def prepare(var_dir: Path, items: int, complaints: int) -> dict:
    """A database with the data, generated or (same sizes, kept directory) reused."""
    marker = var_dir / "dashboard-data.json"
    wanted = {"items": items, "complaints": complaints}
    reuse = (
        marker.exists()
        and {k: v for k, v in json.loads(marker.read_text()).items() if k in wanted} == wanted
    )
    if not reuse:
        marker.unlink(missing_ok=True)
        for name in ("bench.sqlite3", "bench.sqlite3-wal", "bench.sqlite3-shm"):
            (var_dir / name).unlink(missing_ok=True)
    from ledger_queries import generate, setup

    setup(var_dir)  # production settings, migrate, demo organisations and accounts
    if reuse:
        info = json.loads(marker.read_text())
        print(f"reusing the database in {var_dir} ({info['date']})", file=sys.stderr)
        return info
    from dashboard_data import generate_complaints
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    started = time.perf_counter()
    generate(items)  # ledger items, enterprises, LedgerTotal; ANALYZE
    ledger_s = time.perf_counter() - started
    _city_official()
    started = time.perf_counter()
    counts = generate_complaints(complaints, today=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as the ledger benchmark does after its load
    info = {
        **wanted,
        **counts,
        "date": today.isoformat(),
        "ledger_generation_s": round(ledger_s),
        "complaint_generation_s": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(info, indent=2) + "\n")
    return info


def _city_official() -> None:
    from qingqian.accounts.models import Organisation, Role, User
    from qingqian.accounts.services import user_create
    from qingqian.core.production import DEMO_PASSWORD

    if not User.objects.filter(username=CITY_OFFICIAL).exists():
        user_create(
            actor=None,
            username=CITY_OFFICIAL,
            password=DEMO_PASSWORD + "-city",
            role=Role.SUPERVISOR,
            organisation=Organisation.objects.get(region_code="440100", kind="city"),
            full_name="广州督导员",
            validate=False,
        )


def take_snapshots(today: date, months: int = 24) -> dict:
    """Ledger snapshots for the current month (timed) and the months before it, as a
    platform running for two years would hold them (all from today's `LedgerTotal`:
    the bench has no history of the ledger)."""
    try:
        from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
    except ImportError:
        return {"taken": "none: no snapshot function in qingqian.supervision"}
    from qingqian.supervision.periods import add_months

    started = time.perf_counter()
    ledger_snapshot_take(today)
    took = time.perf_counter() - started
    for back in range(1, months):
        ledger_snapshot_take(add_months(today.replace(day=1), -back))
    return {
        "taken": "qingqian.supervision.dashboard.snapshots.ledger_snapshot_take",
        "months": months,
        "one_month_s": round(took, 2),
    }


# --- timing --------------------------------------------------------------------------------


def timed(function, runs: int) -> tuple[dict, object]:
    """Warm (one untimed call), then `runs` calls: p50 and p95 (nearest rank) in ms."""
    result = function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1], 2),
        "runs": runs,
    }, result


def full_scan(period, today: date) -> dict:
    """The national headline figures straight from the raw rows."""
    from django.db import connection

    from qingqian.complaints.models import Complaint, ComplaintEvent, Deadline

    complaint, event, deadline = (
        Complaint._meta.db_table,
        ComplaintEvent._meta.db_table,
        Deadline._meta.db_table,
    )
    scan = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"SELECT substr(c.debtor_region_code, 1, 2), e.action, "
            f"CASE WHEN e.action = 'feedback' THEN json_extract(e.details, '$.satisfied') END, "
            f"COUNT(*) FROM {event} e JOIN {complaint} c ON c.id = e.complaint_id "
            f"WHERE e.day BETWEEN %s AND %s GROUP BY 1, 2, 3",
            [period.first, period.end],
        )
        scan["events"] = cursor.fetchall()
        scan["events_ms"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        cursor.execute(
            f"SELECT substr(c.debtor_region_code, 1, 2), d.stage, d.status, d.ended_by, "
            f"SUM(d.status = 'open' AND d.due_on < %s), COUNT(*) "
            f"FROM {deadline} d JOIN {complaint} c ON c.id = d.complaint_id "
            f"WHERE d.ended_on BETWEEN %s AND %s OR d.status = 'open' GROUP BY 1, 2, 3, 4",
            [today, period.first, period.end],
        )
        scan["deadlines"] = cursor.fetchall()
        scan["deadlines_ms"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        cursor.execute(
            "SELECT province_code, status, COUNT(*), SUM(owed_fen), SUM(paid_fen), "
            "SUM(disputed_fen) FROM ledger_ledgeritem GROUP BY province_code, status"
        )
        scan["ledger"] = cursor.fetchall()
        scan["ledger_ms"] = (time.perf_counter() - started) * 1000
    return scan


def scan_figures(scan: dict) -> dict:
    """{province prefix or '': {measure: n}} and the ledger sums, from the scan's rows."""
    from collections import Counter, defaultdict

    from qingqian.ledger.models import Status
    from qingqian.supervision.dashboard.tallies import MEASURE_OF_ACTION, STAGE_ENDED_BY

    counts: dict = defaultdict(Counter)
    for province, action, satisfied, n in scan["events"]:
        measure = MEASURE_OF_ACTION.get(action)
        if measure is None:
            continue
        for key in ("", province):
            counts[key][measure] += n
            if action == "feedback" and satisfied is not None:
                counts[key]["satisfied" if satisfied else "unsatisfied"] += n
    overdue = 0
    for province, stage, status, ended_by, late, n in scan["deadlines"]:
        overdue += late or 0
        if status in ("met", "breached") and ended_by in STAGE_ENDED_BY.get(stage, ()):
            for key in ("", province):
                counts[key][f"{stage}_{status}"] += n
    owed = paid = items = 0
    for _province, status, n, owed_fen, paid_fen, _disputed in scan["ledger"]:
        if status != Status.WRITTEN_OFF:
            items, owed, paid = items + n, owed + owed_fen, paid + paid_fen
    return {
        "counts": counts,
        "overdue": overdue,
        "ledger": {"items": items, "identified_fen": owed, "outstanding_fen": owed - paid},
    }


def compare(national: dict, scan: dict) -> list[str]:
    """Differences between the dashboard's national figures and the scan's."""
    from qingqian.supervision.dashboard.selectors import COMPLAINT_MEASURES, STAGES

    figures = scan_figures(scan)
    wrong = []

    def check(label, ours, theirs):
        if ours != theirs:
            wrong.append(f"{label}: dashboard {ours}, scan {theirs}")

    rows = [("national", national["complaints"], figures["counts"][""])]
    rows += [
        (f"province {row['prefix']}", row["complaints"], figures["counts"][row["prefix"]])
        for row in national["by_region"]
    ]
    for label, complaints, counts in rows:
        for measure in COMPLAINT_MEASURES:
            check(f"{label} {measure}", complaints[measure], counts[measure])
        for stage in STAGES:
            for end in ("met", "breached"):
                check(
                    f"{label} {stage} {end}",
                    complaints["on_time"][stage][end],
                    counts[f"{stage}_{end}"],
                )
    seen = {row["prefix"] for row in national["by_region"]}
    for province, counts in figures["counts"].items():
        if province and province not in seen and any(counts.values()):
            wrong.append(f"province {province} missing from the dashboard's regions")
    check("overdue now", national["overdue"]["total"], figures["overdue"])
    for key, value in figures["ledger"].items():
        check(f"ledger {key}", national["ledger"][key], value)
    return wrong


def query_profile(function, top: int = 3) -> dict:
    """Every query one call makes, timed again on its own, with the plans of the slowest."""
    from django.db import connection

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        function()
    timings = []
    with connection.cursor() as cursor:
        for sql, params in captured:
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                runs.append((time.perf_counter() - started) * 1000)
            timings.append((statistics.median(runs), sql, params))
        timings.sort(key=lambda t: -t[0])
        slowest = []
        for ms, sql, params in timings[:top]:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            depth, plan = {0: -1}, []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                plan.append("  " * depth[node] + detail)
            slowest.append(
                {
                    "ms": round(ms, 2),
                    "sql": sql,
                    "params": [str(p) for p in params or []],
                    "plan": plan,
                }
            )
    return {
        "queries": len(captured),
        "sql_ms": round(sum(t[0] for t in timings), 2),
        "slowest": slowest,
    }


@contextmanager
def no_statistics():
    """The planner without ANALYZE's statistics, as a database nobody has analysed
    (the product never runs ANALYZE); the statistics are put back afterwards."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
        saved = cursor.fetchall()
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("ANALYZE sqlite_schema")  # the planner reloads (no) statistics
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", saved
            )
            cursor.execute("ANALYZE sqlite_schema")


# --- the run ---------------------------------------------------------------------------------


def measure(runs: int, scan_runs: int) -> dict:
    from django.utils import timezone

    from qingqian.accounts.models import User
    from qingqian.supervision.dashboard import laggards
    from qingqian.supervision.dashboard import selectors as dashboard
    from qingqian.supervision.periods import add_months

    today = timezone.localdate()
    first = add_months(today.replace(day=1), -11)
    start, end = f"{first:%Y-%m}", f"{today:%Y-%m}"
    national_actor = User.objects.get(username="supervisor")
    province_actor = User.objects.get(username="gd-intake")
    city_actor = User.objects.get(username=CITY_OFFICIAL)

    calls = {
        "national": lambda: dashboard.dashboard(
            actor=national_actor, start=start, end=end, today=today
        ),
        "province": lambda: dashboard.dashboard(
            actor=province_actor, region="44", start=start, end=end, today=today
        ),
        "city": lambda: dashboard.dashboard(
            actor=city_actor, region="4401", start=start, end=end, today=today
        ),
        "laggards": lambda: laggards.laggards(actor=national_actor, today=today),
        "facts_behind": lambda: list(
            dashboard.facts_behind(
                actor=province_actor,
                measure="resolved",
                region="44",
                start=start,
                end=end,
                today=today,
            )[:50]
        ),
        "facts_behind_clocks": lambda: list(
            dashboard.facts_behind(
                actor=province_actor,
                measure="handling_breached",
                region="44",
                start=start,
                end=end,
                today=today,
            )[:50]
        ),
    }
    timings, results = {}, {}
    for name, function in calls.items():
        timings[name], results[name] = timed(function, runs)
        print(f"{name}: {timings[name]}", file=sys.stderr, flush=True)
    period = results["national"]["period"]
    scan_timing, scan = timed(lambda: full_scan(period, today), scan_runs)
    print(f"full scan: {scan_timing}", file=sys.stderr, flush=True)
    profiles = {name: query_profile(function) for name, function in calls.items()}
    with no_statistics():
        bare = {name: timed(function, max(runs // 2, 10))[0] for name, function in calls.items()}
    print(f"without planner statistics: {bare}", file=sys.stderr, flush=True)
    return {
        "timings": timings,
        "no_statistics": bare,
        "scan_timing": scan_timing,
        "scan": scan,
        "results": results,
        "profiles": profiles,
        "period": f"{start}..{end}",
    }


def row_counts() -> dict:
    from qingqian.ledger.models import LedgerItem, LedgerTotal
    from qingqian.supervision.models import (
        ComplaintTally,
        DepartmentTally,
        HandlingTimeTally,
        LedgerSnapshot,
    )

    return {
        "ledger_items": LedgerItem.objects.count(),
        "complaint_tally": ComplaintTally.objects.count(),
        "handling_time_tally": HandlingTimeTally.objects.count(),
        "department_tally": DepartmentTally.objects.count(),
        "ledger_total": LedgerTotal.objects.count(),
        "ledger_snapshot": LedgerSnapshot.objects.count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="100,000 items, 5,000 complaints")
    parser.add_argument("--items", type=int)
    parser.add_argument("--complaints", type=int)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--scan-runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the database in this dir")
    args = parser.parse_args()
    items = args.items or (100_000 if args.small else 10_000_000)
    complaints = args.complaints or (5_000 if args.small else 100_000)
    from intake import machine

    with ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            var_dir = args.keep.resolve()
        else:
            var_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="qq-bench-dash-"))
            )
        data = prepare(var_dir, items, complaints)
        from qingqian.supervision.dashboard import tallies

        started = time.perf_counter()
        tallies.rebuild()
        rebuild_s = time.perf_counter() - started
        print(f"tallies rebuilt in {rebuild_s:.1f} s", file=sys.stderr, flush=True)
        from django.utils import timezone

        snapshots = take_snapshots(timezone.localdate())
        counts = row_counts()
        figures = measure(args.runs, args.scan_runs)
        wrong = compare(figures["results"]["national"], figures["scan"])

    t, scan_t = figures["timings"], figures["scan_timing"]
    value = 1000 / t["national"]["p50_ms"]
    baseline = 1000 / scan_t["p50_ms"]
    dashboards = ("national", "province", "city", "laggards", "facts_behind")
    slow = {name: t[name]["p50_ms"] for name in dashboards if t[name]["p50_ms"] > TARGET_MS}
    result = {
        "name": "dashboard",
        "value": round(value, 2),
        "unit": (
            f"national dashboards (12 months) per second at {items:,} ledger items "
            f"and {complaints:,} complaints"
        ),
        "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 1),
        "target": TARGET_SPEEDUP,
        "latency_target_ms": TARGET_MS,
        **{f"{name}_p50_ms": t[name]["p50_ms"] for name in t},
        **{f"{name}_p95_ms": t[name]["p95_ms"] for name in t},
        "runs": args.runs,
        "no_statistics_p50_ms": {n: v["p50_ms"] for n, v in figures["no_statistics"].items()},
        "no_statistics_p95_ms": {n: v["p95_ms"] for n, v in figures["no_statistics"].items()},
        "scan_p50_ms": round(scan_t["p50_ms"], 1),
        "scan_p95_ms": round(scan_t["p95_ms"], 1),
        "scan_runs": args.scan_runs,
        "scan_parts_ms": {
            part: round(figures["scan"][f"{part}_ms"], 1)
            for part in ("events", "deadlines", "ledger")
        },
        "tallies_rebuild_s": round(rebuild_s, 1),
        "rows": {
            **counts,
            "complaints": data["complaints"],
            "complaint_events": data["events"],
            "deadlines": data["deadlines"],
            "open_complaints": data["open"],
            "handling_departments": data["departments"],
        },
        "snapshots": snapshots,
        "period": figures["period"],
        "queries_per_call": {name: p["queries"] for name, p in figures["profiles"].items()},
        "slow_queries": {
            name: figures["profiles"][name]["slowest"]
            for name in t
            if t[name]["p50_ms"] > TARGET_MS
        },
        "figures_agree": not wrong,
        "generation_s": {
            "ledger": data["ledger_generation_s"],
            "complaints": data["complaint_generation_s"],
        },
        "date": date.today().isoformat(),
        "machine": machine(),
    }
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
    print(text)
    if not args.small and not args.items and not args.complaints:
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / "dashboard.json").write_text(text)
    if wrong:
        print("\n*** THE DASHBOARD'S FIGURES DISAGREE WITH THE RAW ROWS ***", file=sys.stderr)
        for line in wrong[:40]:
            print(f"  {line}", file=sys.stderr)
        return 2
    met = not slow and result["ratio"] >= TARGET_SPEEDUP
    if slow:
        print(f"above {TARGET_MS:.0f} ms (p50): {slow}", file=sys.stderr)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
