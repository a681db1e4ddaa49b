"""Benchmark: complaint submission through the API against a bare Django
endpoint that inserts one row, served by the same gunicorn server on SQLite,
in the same run: at 16 concurrent keep-alive clients sending as fast as they
are answered (the target), one client at a time, and 16 clients sending a
steady 20 requests a second (latency counted from each request's scheduled
moment).

Run:  .venv/bin/python bench/intake.py [--requests 800] [--clients 16] [--rate 20]
Writes bench/results/intake.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
SEQUENTIAL = 200  # requests sent one at a time, after the concurrent runs
# A steady load, on a schedule, by the same 16 clients: far above the
# programme's volume (about 18,000 complaints a year), well under capacity.
PACED_RATE = 20.0
PACED_REQUESTS = 400


BENCH_PASSWORD = "bench-password-not-the-demo-one"
CHANGE_DEMO_PASSWORDS = (
    "from qingqian.accounts.models import User\n"
    "for user in User.objects.all():\n"
    f"    user.set_password({BENCH_PASSWORD!r}); user.save()"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        QINGQIAN_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'bench.sqlite3'}",
        # Production mode, as deployed: a real secret and no demo passwords.
        QINGQIAN_DEBUG="0",
        QINGQIAN_SECRET_KEY="bench-" + "x" * 40,
        QINGQIAN_AUDIT_KEY="bench-audit-" + "y" * 40,
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=str(HERE / "server"),
    )
    return env


def prepare_database(env: dict) -> None:
    run = [str(VENV_BIN / "qingqian")]
    subprocess.run([*run, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*run, "manage", "shell", "-c", "from qingqian.demo import seed_demo; seed_demo()"],
        env={**env, "QINGQIAN_DEBUG": "1"},  # demo passwords exist until the next step
        check=True,
    )
    subprocess.run(
        [*run, "manage", "shell", "-c", CHANGE_DEMO_PASSWORDS],
        env={**env, "QINGQIAN_DEBUG": "1"},
        check=True,
    )
    subprocess.run(
        [
            *run,
            "manage",
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute("
            "'CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, payload TEXT)')",
        ],
        env=env,
        check=True,
    )


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "qingqian.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            os.environ.get("BENCH_WORKERS", "1"),
            "--threads",
            os.environ.get("BENCH_THREADS", "16"),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the benchmark server did not start")


def token(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"username": "sme-demo", "password": BENCH_PASSWORD})
    conn.request("POST", "/api/v1/auth/token/", body, {"Content-Type": "application/json"})
    return json.loads(conn.getresponse().read())["token"]


def complaint_body(number: int) -> str:
    return json.dumps(
        {
            "submit": True,
            "debtor": {
                "uscc": "91440104700000044X",
                "name": "广东粤海城建集团有限公司",
                "type": "large",
                "region_code": "440104",
            },
            "contract_number": f"BENCH-{number:07d}",
            "contract_signed_on": "2025-03-01",
            "subject": "goods",
            "delivered_on": "2025-06-30",
            "payment_due_on": "2025-08-29",
            "amount_owed": "128000.00",
            "amount_paid": "28000.00",
            "request_text": "请求支付拖欠货款。",
            "facts_text": "已交货验收，对方逾期未付。",
            "undertaking": True,
            "sme_notified_at_signing": "yes",
        },
        ensure_ascii=False,
    )


def load(
    port: int, path: str, headers: dict, bodies, clients: int, expected: int, rate=None
) -> dict:
    """Send every body once, spread over `clients` keep-alive connections: as
    fast as they answer, or, given a `rate`, each request on its schedule
    (rate per second) with its latency counted from the scheduled moment, so
    that a request kept waiting for a free client counts its wait too."""
    latencies, failures, lock = [], [], threading.Lock()
    queue = list(enumerate(bodies))[::-1]
    began = time.perf_counter()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    return
                number, body = queue.pop()
            started = time.perf_counter()
            if rate:
                scheduled = began + number / rate
                time.sleep(max(0.0, scheduled - started))
                started = scheduled
            conn.request("POST", path, body.encode(), headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != expected:
                    failures.append((response.status, payload[:200]))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "failures": failures[:5],
        "failure_count": len(failures),
    }


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=PACED_RATE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qq-bench-") as tmp:
        env = bench_env(Path(tmp))
        prepare_database(env)
        port = free_port()
        server = start_server(env, port)
        try:
            auth = {"Content-Type": "application/json", "Authorization": f"Bearer {token(port)}"}
            numbers = iter(range(10**7))

            def bare(count: int, clients: int, rate=None) -> dict:
                bodies = [json.dumps({"n": next(numbers)}) for _ in range(count)]
                plain = {"Content-Type": "application/json"}
                return load(port, "/bench/bare/", plain, bodies, clients, 201, rate)

            def ours(count: int, clients: int, rate=None) -> dict:
                bodies = [complaint_body(next(numbers)) for _ in range(count)]
                return load(port, "/api/v1/complaints/", auth, bodies, clients, 201, rate)

            bare(50, args.clients), ours(50, args.clients)  # warm-up
            runs = {
                "bare": bare(args.requests, args.clients),
                "ours": ours(args.requests, args.clients),
                # One client at a time: what a request costs without queueing.
                "bare_alone": bare(SEQUENTIAL, 1),
                "ours_alone": ours(SEQUENTIAL, 1),
                # A steady load well under capacity, as users send it.
                "bare_paced": bare(PACED_REQUESTS, args.clients, args.rate),
                "ours_paced": ours(PACED_REQUESTS, args.clients, args.rate),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)
    bare_run, our_run = runs["bare"], runs["ours"]
    result = {
        "name": "intake",
        "value": round(our_run["rps"], 1),
        "unit": "complaint submissions/s (API, 16 clients, SQLite)",
        "baseline": round(bare_run["rps"], 1),
        "ratio": round(our_run["rps"] / bare_run["rps"], 3),
        "target": TARGET_RATIO,
        "p99_ms": round(our_run["p99_ms"], 1),
        "p99_target_ms": TARGET_P99_MS,
        "baseline_p99_ms": round(bare_run["p99_ms"], 1),
        "p50_ms": round(our_run["p50_ms"], 1),
        "one_client_p50_ms": round(runs["ours_alone"]["p50_ms"], 2),
        "baseline_one_client_p50_ms": round(runs["bare_alone"]["p50_ms"], 2),
        "paced_rate_per_s": args.rate,
        "paced_p50_ms": round(runs["ours_paced"]["p50_ms"], 1),
        "paced_p99_ms": round(runs["ours_paced"]["p99_ms"], 1),
        "baseline_paced_p99_ms": round(runs["bare_paced"]["p99_ms"], 1),
        "failures": sum(run["failure_count"] for run in runs.values()),
        "date": date.today().isoformat(),
        "machine": machine(),
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "intake.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if result["failures"]:
        print("failures:", [r["failures"] for r in runs.values() if r["failures"]], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
