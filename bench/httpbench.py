"""Load an HTTP endpoint with wrk and read its report.

wrk (Debian package `wrk`) is a C load generator: one of its threads drives
thousands of requests a second on little CPU, where a Python client on the
same cores measures itself. `--latency` makes it print the percentiles that
`parse` reads; POST bodies come from `wrk/unique_post.lua`.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA_UNIQUE_POST = Path(__file__).resolve().parent / "wrk" / "unique_post.lua"
INSTALL_HINT = "wrk is not installed: `apt-get install -y wrk` (Debian, Ubuntu)"
TIMEOUT_S = 30
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    """How wrk loads: its threads, connections, seconds, and optionally the
    CPUs it is pinned to (taskset), so that it competes with the server less."""

    connections: int = 16
    seconds: float = 10
    threads: int = 2
    cpus: str = ""


@dataclass(frozen=True)
class Post:
    """A POST whose body carries `{{unique}}` where a unique value goes."""

    body: str
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Round:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_status: int  # answers of 4xx or 5xx
    socket_errors: int  # connect, read, write errors and timeouts


def require_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit(INSTALL_HINT)
    return path


def run(
    url: str, load: Load, post: Post | None = None, nonce: str = "0", headers: tuple = ()
) -> Round:
    """One round of wrk against `url`, parsed: a GET with `headers`, or `post`,
    whose unique values begin with `nonce` (one per run on a database)."""
    command = [
        require_wrk(),
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        # wrk's default of 2 s would drop the slowest answers from the latencies.
        f"--timeout={TIMEOUT_S}s",
        "--latency",
    ]
    if load.cpus:
        command = ["taskset", "-c", load.cpus, *command]
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as body_file:
        if post is not None:
            body_file.write(post.body)
            body_file.flush()
            command += ["-s", str(LUA_UNIQUE_POST), url, "--", body_file.name, nonce]
            command += list(post.headers)
        else:
            command += [arg for header in headers for arg in ("-H", header)] + [url]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse(output)


def parse(output: str) -> Round:
    """Read wrk's `--latency` report: requests/s, p50, p99, the count of
    requests and of errors (wrk does not count a 3xx as one: callers check
    each endpoint's status before loading it)."""

    def number(pattern: str) -> str:
        found = re.search(pattern, output)
        if not found:
            raise ValueError(f"no {pattern!r} in wrk's output:\n{output}")
        return found.group(1)

    def percentile(p: int) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNIT_MS[unit]

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Round(
        rps=float(number(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=percentile(50),
        p99_ms=percentile(99),
        requests=int(number(r"(\d+) requests in")),
        bad_status=int(bad_status.group(1)) if bad_status else 0,
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    )


def summary(rounds: list[Round]) -> dict:
    """Medians of the rounds with their spread (min-max)."""

    def spread(values: list[float]) -> dict:
        return {
            "median": round(statistics.median(values), 1),
            "min": round(min(values), 1),
            "max": round(max(values), 1),
        }

    return {
        "rps": spread([r.rps for r in rounds]),
        "p50_ms": spread([r.p50_ms for r in rounds]),
        "p99_ms": spread([r.p99_ms for r in rounds]),
        "requests": sum(r.requests for r in rounds),
        "bad_status": sum(r.bad_status for r in rounds),
        "socket_errors": sum(r.socket_errors for r in rounds),
        "rounds": len(rounds),
    }
