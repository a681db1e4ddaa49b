"""Benchmark: the cached public pages at national scale, against a bare Django page.

The data are the dashboard benchmark's (10,000,000 ledger items, 100,000
complaints with their events and clocks; SQLite; `dashboard.prepare`, reused from
`--keep DIR` when the sizes match), with the tallies rebuilt and 24 months of
ledger snapshots. The server is gunicorn in the operator guide's shape (gthread,
4 workers × 8 threads; BENCH_WORKERS / BENCH_THREADS change it), production
settings, the default cache (each process's memory). wrk loads, in the same run
and on the same server:

* a bare Django view answering a fixed page (no database, no template, the same
  middleware): the baseline;
* /public/statistics/ (the nation, this year), /public/statistics/44/ and the home
  page for a signed-out visitor, warm (every worker has the page cached);

in rounds (bare, then each page; 3 rounds of 10 s by default), each endpoint's
median round compared. wrk sends no cookie: every answer makes a new CSRF cookie,
as for a first visit (a returning browser's answer costs less).

Also recorded: each page's cold time (one request right after a change of the
figures' version, i.e. the page built from the tallies) and that a cached page
answers the same body as a fresh one.

Run:  .venv/bin/python bench/public_pages.py [--keep DIR] [--seconds 10] [--rounds 3] [--small]
Writes bench/results/public_pages.json (not with --small).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 0.5
PAGES = {
    "statistics": "/public/statistics/",
    "statistics_province": "/public/statistics/44/",
    "home": "/",
}
BARE = "/bench/bare-page/"


def server_env(var_dir: Path) -> dict:
    from intake import bench_env

    env = bench_env(var_dir)
    # The worktree's code, not whichever checkout the virtualenv was installed from.
    env["PYTHONPATH"] = os.pathsep.join([str(HERE / "server"), str(HERE.parent / "src")])
    return env


def start_server(env: dict, port: int, workers: str, threads: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "qingqian.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            workers,
            "--threads",
            threads,
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(300):
        try:
            fetch(port, BARE)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the benchmark server did not start")


def fetch(port: int, path: str) -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, body, elapsed


def without_token(body: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {
        "rps": rps,
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def bump_version(env: dict) -> None:
    """A change of the figures' version, as any tally or ledger write makes."""
    code = "from qingqian.core import figures_version; figures_version.bump()"
    subprocess.run([str(VENV_BIN / "qingqian"), "manage", "shell", "-c", code], env=env, check=True)


def _deactivate_demo_accounts() -> None:
    """The public pages need no account; production mode starts only without the
    demo's (known passwords, no two-factor sign-in)."""
    from qingqian.accounts.models import User
    from qingqian.core.production import DEMO_USERNAMES

    demo = User.objects.filter(username__in=DEMO_USERNAMES) | User.objects.filter(
        two_factor_exempt=True
    )
    demo.update(is_active=False)


def _median_run(samples: list[dict]) -> dict:
    """The round of median rate, with the failures of every round added up."""
    middle = sorted(samples, key=lambda run: run["rps"])[len(samples) // 2]
    return {**middle, "non_2xx": sum(run["non_2xx"] for run in samples)}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the database in this dir")
    parser.add_argument("--small", action="store_true", help="100,000 items, 5,000 complaints")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    items, complaints = (100_000, 5_000) if args.small else (10_000_000, 100_000)
    workers = os.environ.get("BENCH_WORKERS", "4")
    threads = os.environ.get("BENCH_THREADS", "8")
    from intake import free_port, machine

    with ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            var_dir = args.keep.resolve()
        else:
            var_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qq-bench-pub-")))
        from dashboard import prepare, take_snapshots

        data = prepare(var_dir, items, complaints)  # migrates; the data generated or reused
        from django.utils import timezone

        from qingqian.supervision.dashboard import tallies

        started = time.perf_counter()
        tallies.rebuild()
        rebuild_s = time.perf_counter() - started
        take_snapshots(timezone.localdate())
        _deactivate_demo_accounts()  # production mode refuses to start with them
        from django.db import connections

        connections.close_all()

        env = server_env(var_dir)
        port = free_port()
        server = start_server(env, port, workers, threads)
        stack.callback(server.wait, timeout=20)
        stack.callback(server.terminate)
        cold, same = {}, {}
        for name, path in PAGES.items():
            bump_version(env)
            status, fresh, cold[name] = fetch(port, path)
            assert status == 200, (path, status, fresh[:300])
            cached = [fetch(port, path) for _ in range(40)]  # every worker warm
            same[name] = all(without_token(body) == without_token(fresh) for _s, body, _t in cached)
        for path in (BARE, *PAGES.values()):  # warm-up of the connections
            wrk(port, path, 2, args.connections)
        load_before = loadavg()
        # Rounds of bare page, then each page: a load that comes and goes on a
        # shared machine falls on both sides; the medians are compared.
        rounds: dict[str, list[dict]] = {name: [] for name in ("bare", *PAGES)}
        for _ in range(args.rounds):
            for name, path in (("bare", BARE), *PAGES.items()):
                rounds[name].append(wrk(port, path, args.seconds, args.connections))
        load_after = loadavg()

    runs = {name: _median_run(samples) for name, samples in rounds.items()}
    baseline = runs["bare"]["rps"]
    value = runs["statistics"]["rps"]
    result = {
        "name": "public_pages",
        "value": round(value, 1),
        "unit": (
            f"/public/statistics/ answers/s, signed out, cached, at {items:,} ledger items and "
            f"{complaints:,} complaints (wrk, {args.connections} connections)"
        ),
        "baseline": round(baseline, 1),
        "ratio": round(value / baseline, 3),
        "target": TARGET_RATIO,
        "ratios": {name: round(runs[name]["rps"] / baseline, 3) for name in PAGES},
        "runs": {
            name: {k: round(v, 2) if isinstance(v, float) else v for k, v in run.items()}
            for name, run in runs.items()
        },
        "rps_per_round": {
            name: [round(run["rps"], 1) for run in samples] for name, samples in rounds.items()
        },
        "cold_ms": {name: round(ms, 1) for name, ms in cold.items()},
        "cached_equals_fresh": same,
        "server": f"gunicorn gthread {workers}×{threads}, production settings, LocMemCache",
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "tallies_rebuild_s": round(rebuild_s, 1),
        "rows": {"ledger_items": items, "complaints": data.get("complaints", complaints)},
        "load_average_before_after": [load_before, load_after],
        "date": date.today().isoformat(),
        "machine": machine(),
    }
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    print(text)
    if not args.small:
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / "public_pages.json").write_text(text)
    failed = [name for name, run in runs.items() if run["non_2xx"]] + [
        name for name, ok in same.items() if not ok
    ]
    if failed:
        print(f"failures: {failed}", file=sys.stderr)
        return 2
    return 0 if result["ratio"] >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
