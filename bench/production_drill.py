"""The production drill: the stack of deploy/ on loopback, broken on purpose.

Run as root through `scripts/production-drill [--short]`. It starts its own
PostgreSQL cluster (port 55432) and Redis (56379) in a temporary directory, so
that restarting them disturbs nothing else, writes its environment file from
deploy/env.example (only addresses, paths and keys changed, plus the drill's
own lines at the end), starts two app servers, a worker and the scheduler from
the ExecStart= and Environment= lines of deploy/systemd (the path
/opt/qingqian/app read as this checkout, %i as the instance, /run/qingqian as
the temporary directory's run/), and nginx from deploy/nginx/qingqian.conf
(upstream ports, listen port, data and log directories replaced). Then the
drills; each appends {"name", "did", "expected", "seen", "passed"} to
bench/results/drills.json. Everything is taken down on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from intake import complaint_body, machine  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT, REDIS_PORT, NGINX_PORT = 55432, 56379, 58080
APP_PORTS = (58001, 58002)
PASSWORD = "drill-password-not-the-demo-one"
RESULTS = ROOT / "bench" / "results" / "drills.json"
P99_LIMIT_MS = 300.0
# A step of rate must leave this share of the limit: a ten-minute hold sees a
# longer tail than a 30-second step (15/s: 290 ms in its step, 320 ms held).
STEP_HEADROOM = 0.8


def log(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the stack ---------------------------------------------------------------------


class Stack:
    def __init__(self, short: bool, keep: bool = False):
        self.short = short
        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix="qq-drill-"))
        self.tmp.chmod(0o755)
        self.var = self.tmp / "var"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env: dict[str, str] = {}
        self.mounts: list[Path] = []

    # PostgreSQL and Redis of the drill's own ------------------------------------

    def start_postgres(self) -> None:
        data = self.tmp / "pg"
        data.mkdir()
        shutil.chown(data, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            [*as_postgres, PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_ctl = [*as_postgres, PG_BIN / "pg_ctl", "-D", data, "-l", data / "log", "-w"]
        options = f"-p {PG_PORT} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=300"
        subprocess.run(
            [*self.pg_ctl, "-o", options, "start"], check=True, stdout=subprocess.DEVNULL
        )
        self.psql_admin("CREATE DATABASE qingqian")

    def psql_admin(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "-d",
                database,
                "-Atqc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def sql(self, query: str, database: str = "qingqian") -> str:
        return self.psql_admin(query, database)

    def start_redis(self) -> None:
        self.processes["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=(self.tmp / "redis.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True
                ).returncode
                == 0
            ),
            10,
            "redis",
        )

    # The environment file, from deploy/env.example ---------------------------------

    def write_env_file(self) -> Path:
        changed = {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/qingqian",
            "QINGQIAN_SECRET_KEY": "drill-secret-" + "s" * 40,
            "QINGQIAN_AUDIT_KEY": "drill-audit-" + "a" * 40,
            "QINGQIAN_AUDIT_CHECKPOINT_FILE": str(self.var / "audit-checkpoints.jsonl"),
            "QINGQIAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "QINGQIAN_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{NGINX_PORT}",
            "QINGQIAN_BASE_URL": f"http://127.0.0.1:{NGINX_PORT}",
            "QINGQIAN_TRUSTED_PROXIES": "127.0.0.1",
            # Plain http on loopback: no TLS in front.
            "QINGQIAN_TLS_PROXY": "0",
            "QINGQIAN_SECURE_COOKIES": "0",
            "QINGQIAN_VAR_DIR": str(self.var),
            "QINGQIAN_CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
            "QINGQIAN_QUEUE_URL": f"redis://127.0.0.1:{REDIS_PORT}/2",
            "QINGQIAN_LOG_LEVEL": "WARNING",
            "QINGQIAN_EMAIL_HOST": "127.0.0.1",
            "QINGQIAN_EMAIL_PORT": "1",
            "QINGQIAN_EMAIL_TLS": "0",
        }
        drill_only = {
            # No mail server here; nothing of the drill depends on mail.
            "QINGQIAN_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # The demo officials sign in with a password (their 2FA is not enrolled).
            "QINGQIAN_REQUIRE_TWO_FACTOR": "0",
            # Every simulated client is 127.0.0.1: the per-address throttle would count them as one.
            "QINGQIAN_API_PUBLIC_RATE": "100000/min",
            "QINGQIAN_WEB_WORKERS": "2",
        }
        lines = []
        for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
            name = line.split("=", 1)[0]
            if not line.startswith("#") and "=" in line and name in changed:
                line = f"{name}={changed.pop(name)}"
            lines.append(line)
        missing = sorted(changed)
        if missing:
            raise SystemExit(f"deploy/env.example lacks {missing}: the drill follows that file")
        lines += ["", "# The drill's own (scripts/production-drill)"]
        lines += [f"{name}={value}" for name, value in drill_only.items()]
        path = self.tmp / "env"
        path.write_text("\n".join(lines) + "\n")
        self.env = {**os.environ, **read_env_file(path)}
        self.env_file = path
        return path

    def qingqian(
        self, *args: str, env: dict | None = None, **kwargs
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "qingqian"), *args], env=env or self.env, check=True, **kwargs
        )

    def shell(self, code: str, env: dict | None = None) -> str:
        done = self.qingqian("manage", "shell", "-c", code, env=env, capture_output=True, text=True)
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    def prepare_database(self) -> None:
        """The operator guide's steps 5: init, the demo's people (new passwords,
        no exemptions), static files, deploy check."""
        self.qingqian("init", stdout=subprocess.DEVNULL)
        demo = {**self.env, "QINGQIAN_DEBUG": "1"}
        self.shell("from qingqian.demo import seed_demo; seed_demo()", env=demo)
        self.shell(
            "from qingqian.accounts.models import User\n"
            "for u in User.objects.all():\n"
            f"    u.set_password({PASSWORD!r}); u.two_factor_exempt = False; u.save()",
            env=demo,
        )
        self.qingqian("manage", "collectstatic", "--noinput", stdout=subprocess.DEVNULL)
        check = subprocess.run(
            [str(BIN / "qingqian"), "deploy", "check"], env=self.env, capture_output=True, text=True
        )
        # Reported, not fatal: its errors here are this machine's (no CJK font)
        # and the calendar's (next year not entered), not the stack's.
        self.deploy_check = [line for line in check.stdout.splitlines() if "OK" not in line[:8]]
        log(f"qingqian deploy check exit {check.returncode}: {self.deploy_check or 'all OK'}")

    # Units ---------------------------------------------------------------------------

    def unit_command(self, unit: str, instance: str = "") -> tuple[list[str], dict]:
        """The unit's ExecStart= and Environment=, with the drill's paths."""
        command, env = None, dict(self.env)
        for line in (ROOT / "deploy" / "systemd" / unit).read_text().splitlines():
            line = self.localised(line.replace("%i", instance))
            key, _, value = line.partition("=")
            if key == "ExecStart":
                command = value.split()
            elif key == "Environment":
                name, _, setting = value.partition("=")
                env[name] = setting
            elif key == "EnvironmentFile" and value != "/etc/qingqian/env":
                raise SystemExit(f"{unit}: unexpected EnvironmentFile {value}")
        return command, env

    def localised(self, text: str) -> str:
        return text.replace("/opt/qingqian/app", str(ROOT)).replace(
            "/run/qingqian", str(self.tmp / "run")
        )

    def start_unit(self, name: str, unit: str, instance: str = "") -> None:
        command, env = self.unit_command(unit, instance)
        logfile = (self.tmp / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            command, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_app(self, index: int) -> None:
        self.start_unit(f"app{index}", "qingqian-app@.service", str(APP_PORTS[index]))

    def start_worker(self) -> None:
        self.start_unit("worker", "qingqian-worker@.service", "1")

    def kill_group(self, name: str) -> None:
        """kill -9 of every process the unit started, what KillMode=control-group
        reaches: its process group and every descendant, found before the kill
        (an RQ work horse runs in a session of its own, and once its parent is
        dead it would no longer be found as a child)."""
        process = self.processes.pop(name)
        everyone = [process.pid, *descendants(process.pid)]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for pid in everyone:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()

    def start_nginx(self) -> None:
        prefix = self.tmp / "nginx"
        (prefix / "logs").mkdir(parents=True)
        site = (ROOT / "deploy" / "nginx" / "qingqian.conf").read_text()
        for old, new in (
            ("127.0.0.1:8001", f"127.0.0.1:{APP_PORTS[0]}"),
            ("127.0.0.1:8002", f"127.0.0.1:{APP_PORTS[1]}"),
            ("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};"),
            ("/var/lib/qingqian", str(self.var)),
            ("/var/log/nginx", str(prefix / "logs")),
        ):
            site = site.replace(old, new)
        (prefix / "site.conf").write_text(site)
        (prefix / "nginx.conf").write_text(
            "daemon off;\nworker_processes 2;\npid nginx.pid;\n"
            f"error_log {prefix}/logs/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http { include /etc/nginx/mime.types; "
            f"access_log {prefix}/logs/access.log; include {prefix}/site.conf; }}\n"
        )
        self.processes["nginx"] = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            stdout=(self.tmp / "nginx.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def up(self) -> None:
        log(f"stack in {self.tmp}")
        self.start_postgres()
        self.start_redis()
        self.write_env_file()
        self.prepare_database()
        for index in range(len(APP_PORTS)):
            self.start_app(index)
        self.start_worker()
        self.start_unit("scheduler", "qingqian-scheduler.service")
        self.start_nginx()
        wait_for(lambda: get("/", timeout=2)[0] == 200, 60, "the site through nginx")
        for port in APP_PORTS:
            wait_for(lambda p=port: get("/", port=p, timeout=2)[0] == 200, 60, f"app {port}")
        log("stack up")

    def down(self) -> None:
        for name in list(self.processes):
            self.kill_group(name)
        if hasattr(self, "pg_ctl"):
            subprocess.run([*self.pg_ctl, "-m", "immediate", "stop"], capture_output=True)
        for mount in self.mounts:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        if self.keep:
            log(f"stack down; its logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
            log("stack down")


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, from each process's parent in /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # After the command's closing parenthesis: state, then the parent's pid.
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(stat.parent.name))
    found, waiting = [], [pid]
    while waiting:
        below = children.get(waiting.pop(), [])
        found += below
        waiting += below
    return found


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"timed out waiting for {what}")


def request(method: str, path: str, body=None, headers=None, port=NGINX_PORT, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body, headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    except http.client.HTTPException as error:
        # An answer cut off by a killed server (IncompleteRead) was not an
        # answer: callers count it with the refused connections.
        raise ConnectionError(f"{method} {path}: {error!r}") from error
    finally:
        conn.close()


def get(path: str, **kwargs):
    return request("GET", path, **kwargs)


def token(username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD})
    status, payload = request(
        "POST", "/api/v1/auth/token/", body, {"Content-Type": "application/json"}
    )
    if status not in (200, 201):
        raise SystemExit(f"no token for {username}: {status} {payload[:200]!r}")
    return json.loads(payload)["token"]


# --- the drills ----------------------------------------------------------------------


class Drills:
    def __init__(self, stack: Stack, short: bool):
        self.stack, self.short = stack, short
        self.entries: list[dict] = []
        self.record(
            "deploy check",
            "`qingqian deploy check` after init and collectstatic (guide step 5)",
            "exit 0; reported only: its errors depend on the machine and the calendar",
            "; ".join(stack.deploy_check) or "all OK",
            None if stack.deploy_check else True,
        )
        self.sme = {"Authorization": f"Bearer {token('sme-demo')}"}
        self.official = {"Authorization": f"Bearer {token('gd-intake')}"}

    def record(self, name: str, did: str, expected: str, seen: str, passed: bool | None):
        """passed None: the piece the drill needs is not on this branch."""
        entry = {
            "name": name,
            "did": did,
            "expected": expected,
            "seen": seen,
            "passed": passed,
            "date": datetime.now().isoformat(timespec="seconds"),
            "short": self.short,
        }
        self.entries.append(entry)
        word = {True: "PASS", False: "FAIL", None: "NOT AVAILABLE"}[passed]
        log(f"{word} {name}: {seen}")

    def file_complaint(self) -> tuple[int, int | None]:
        body = complaint_body(random.randrange(10**7))
        body = body.replace("BENCH-", "DRILL-" + os.urandom(3).hex() + "-")
        headers = {**self.sme, "Content-Type": "application/json"}
        try:
            status, payload = request(
                "POST", "/api/v1/complaints/", body.encode(), headers, timeout=30
            )
        except OSError:
            return 0, None
        created = json.loads(payload).get("id") if 200 <= status < 300 else None
        return status, created

    def under_load(self, seconds: float, during, clients: int = 6) -> list[tuple]:
        """Complaints filed and a list read by `clients` threads for `seconds`,
        `during()` run meanwhile: every (time, kind, status, id) answered."""
        answers, stop, lock = [], threading.Event(), threading.Lock()
        began = time.monotonic()

        def client(number: int):
            while not stop.is_set():
                if number % 2:
                    status, created = self.file_complaint()
                    kind = "post"
                else:
                    try:
                        status, _ = get("/api/v1/complaints/", headers=self.official)
                    except OSError:
                        status = 0
                    kind, created = "get", None
                with lock:
                    answers.append((time.monotonic() - began, kind, status, created))
                time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        try:
            during()
            time.sleep(max(0.0, seconds - (time.monotonic() - began)))
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        return answers

    # load --------------------------------------------------------------------------

    def load(self) -> None:
        env = {
            **os.environ,
            "DRILL_SME_TOKEN": self.sme["Authorization"].split()[1],
            "DRILL_OFFICIAL_TOKEN": self.official["Authorization"].split()[1],
            "DRILL_SUPERVISOR_SESSION": self.stack.shell(
                "from django.test import Client; from qingqian.accounts.models import User\n"
                "c = Client(); c.force_login(User.objects.get(username='supervisor'))\n"
                "print(c.cookies['sessionid'].value)"
            ),
        }
        rates = (5, 10, 15, 20, 30) if self.short else (5, 10, 15, 20, 30, 40, 60, 80)
        # A short mixed step has ~300 requests, whose p99 is its third-slowest:
        # 10 s (~160) left it to one slow request.
        step = 20 if self.short else 30
        self.locust(env, "mixed", rates[0], 5)  # warm-up: first templates, connections
        best, steps = self.highest_rate(env, "mixed", rates, step)
        held = self.locust(env, "mixed", best, 60 if self.short else 600) if best else {}
        bare_step = 10 if self.short else 30
        bare_best, bare_steps = self.highest_rate(env, "bare", (80, 160, 320, 640), bare_step)
        bare_rps = max((s["rps"] for s in bare_steps if s["rate"] <= bare_best), default=0)
        ratio = round(held["rps"] / bare_rps, 3) if held and bare_rps else None
        seen = (
            f"steps {steps}; held {best}/s: {held}; bare page steps {bare_steps}: "
            f"{bare_rps} req/s; ratio of the mixed workload's requests to the bare page's {ratio}"
        )
        passed = bool(best) and held.get("failures") == 0 and held["p99_ms"] < P99_LIMIT_MS
        self.record(
            "load",
            "locust headless, mixed workload (public pages, SME intake via API, officials' "
            "lists via API, supervisor dashboard) in steps of rate, then held at the highest "
            f"rate with 0 errors and p99 < {P99_LIMIT_MS:.0f} ms; the bare page (/healthz, "
            "a Django view through the same nginx and gunicorn) stepped the same way",
            "a rate > 0 held with 0 errors and p99 < 300 ms",
            seen,
            passed,
        )

    def highest_rate(self, env: dict, mix: str, rates, seconds: int) -> tuple[int, list]:
        """The highest of `rates` (in order) with 0 errors and p99 within the headroom.
        The lowest rate needs only the limit itself: the hold that follows decides."""
        best, steps = 0, []
        for rate in rates:
            figures = self.locust(env, mix, rate, seconds)
            steps.append({"rate": rate, **figures})
            limit = P99_LIMIT_MS * STEP_HEADROOM if best else P99_LIMIT_MS
            if figures["failures"] or figures["p99_ms"] >= limit:
                break
            best = rate
        return best, steps

    def locust(self, env: dict, mix: str, rate: int, seconds: int) -> dict:
        users = max(1, round(rate / 2))  # locustfile.PER_USER_RATE
        prefix = self.stack.tmp / f"locust-{mix}-{rate}-{seconds}"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--tags",
                mix,
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{NGINX_PORT}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            env=env,
            capture_output=True,
        )
        with open(f"{prefix}_stats.csv") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
        return {
            "requests": int(total["Request Count"]),
            "failures": int(total["Failure Count"]),
            "rps": round(float(total["Requests/s"]), 1),
            "p50_ms": float(total["50%"]),
            "p99_ms": float(total["99%"]),
        }

    # crash -------------------------------------------------------------------------

    def crash_worker(self) -> None:
        # Enough rows that the import is still applying when the kill comes
        # (20,000 were done within the 3 s the drill used to wait).
        rows = 200_000 if self.short else 1_000_000
        path = self.stack.tmp / "ledger.csv"
        subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                "import sys; sys.path.insert(0, 'bench'); "
                "from ledger_data import ledger_rows, write_csv; from pathlib import Path; "
                f"write_csv(Path({str(path)!r}), ledger_rows({rows}))",
            ],
            env=self.stack.env,
            cwd=ROOT,
            check=True,
        )
        before = int(self.stack.sql("SELECT count(*) FROM ledger_ledgeritem"))
        import_id = int(
            self.stack.shell(
                "from django.db import transaction\n"
                "from qingqian.cli.ledger import find_organisation\n"
                "from qingqian.core.queue import enqueue_with_change\n"
                "from qingqian.ledger.imports.upload import ledger_import_upload\n"
                "from qingqian.ledger.tasks import ledger_import_task\n"
                "with transaction.atomic():\n"
                f"    r = ledger_import_upload(actor=None, owner=find_organisation('000000'), "
                f"fileobj=open({str(path)!r}, 'rb'), original_name='drill.csv')\n"
                "    enqueue_with_change(ledger_import_task, r.pk)\n"
                "print(r.pk)"
            )
        )
        state = lambda: self.stack.sql(  # noqa: E731
            f"SELECT state FROM ledger_ledgerimport WHERE id = {import_id}"
        )
        fraction = lambda: float(  # noqa: E731
            self.stack.shell(
                "from qingqian.ledger.imports.progress import read_progress\n"
                "from qingqian.ledger.models import LedgerImport\n"
                f"print(read_progress(LedgerImport.objects.get(pk={import_id}))['fraction'])"
            )
        )
        wait_for(lambda: state() == "running", 120, "the import to start")
        # The kill lands in the apply (the second half of the progress): the
        # transaction that writes, where a dead worker leaves the most undone.
        wait_for(lambda: state() != "running" or fraction() >= 0.5, 600, "the import's apply")
        killed_in = state()
        self.stack.kill_group("worker")
        killed_at = time.monotonic()
        middle = int(self.stack.sql("SELECT count(*) FROM ledger_ledgeritem"))
        self.stack.start_worker()
        # The job comes back once its heartbeat has lapsed (90 s), the retry pause
        # (30 s) has passed and the dead run's progress is 90 s old: about 2-3 minutes.
        deadline = time.monotonic() + (360 if self.short else 2400)
        while time.monotonic() < deadline and state() not in ("done", "failed", "refused"):
            time.sleep(1)
        after = int(self.stack.sql("SELECT count(*) FROM ledger_ledgeritem"))
        final = state()
        recovered_in = round(time.monotonic() - killed_at)
        whole = (final == "done" and after - before == rows) or (
            final == "failed" and after == before
        )
        self.record(
            "crash: worker killed during a ledger import",
            f"a {rows:,}-row import queued; kill -9 of the worker's process group while the "
            f"import was {killed_in!r}; worker started again",
            f"import done with {rows:,} items more, or failed with none; never part",
            f"items before {before:,}, right after the kill {middle:,}, at the end {after:,}; "
            f"import state {final!r}, {recovered_in} s after the kill",
            whole and middle in (before, before + rows) and killed_in == "running",
        )

    def crash_app(self) -> None:
        def kill_and_restart():
            time.sleep(3)
            self.stack.kill_group("app0")
            time.sleep(3)  # systemd's RestartSec=2, and gunicorn's start
            self.stack.start_app(0)

        answers = self.under_load(15, kill_and_restart)
        created = [a[3] for a in answers if a[1] == "post" and a[3]]
        found = int(
            self.stack.sql(
                "SELECT count(*) FROM complaints_complaint "
                f"WHERE id IN ({','.join(map(str, created)) or 0})"
            )
        )
        statuses = count_statuses(answers)
        self.record(
            "crash: app process killed under load",
            "6 clients filing complaints and reading lists through nginx; kill -9 of one app "
            "server's process group, started again 3 s later",
            "every complaint answered 2xx is in the database; no 500",
            f"answers {statuses}; complaints answered 2xx {len(created)}, found {found}",
            found == len(created) and 500 not in statuses and len(created) > 0,
        )

    # database restart --------------------------------------------------------------

    def database_restart(self) -> None:
        marks = {}

        def restart():
            time.sleep(3)
            marks["down"] = time.monotonic()
            subprocess.run(
                [*self.stack.pg_ctl, "-m", "fast", "stop"], check=True, capture_output=True
            )
            time.sleep(3)
            options = (
                f"-p {PG_PORT} -k {self.stack.tmp / 'pg'} -c listen_addresses=127.0.0.1 "
                "-c max_connections=300"
            )
            subprocess.run(
                [*self.stack.pg_ctl, "-o", options, "start"], check=True, capture_output=True
            )
            marks["up"] = time.monotonic()

        began = time.monotonic()
        answers = self.under_load(20, restart)
        up_at = marks["up"] - began
        late = [a for a in answers if a[0] > up_at + 5]
        bad_late = [a for a in late if not 200 <= a[2] < 300]
        statuses = count_statuses(answers)
        errors = {s: n for s, n in statuses.items() if s >= 500 and s != 503 or s == 0}
        self.record(
            "database restart under load",
            "6 clients through nginx; PostgreSQL stopped (pg_ctl -m fast) for 3 s and started",
            "503 (never 500) during the gap; every request 2xx from 5 s after the restart, "
            "without any manual step",
            f"answers {statuses}; after the restart {len(late)} requests, {len(bad_late)} not 2xx",
            not errors and late and not bad_late,
        )

    # Redis down --------------------------------------------------------------------

    def redis_down(self) -> None:
        outage = 15 if self.short else 60
        since = self.stack.sql("SELECT now()")

        def outage_of_redis():
            time.sleep(2)
            self.stack.kill_group("redis")
            time.sleep(outage)
            self.stack.start_redis()

        answers = self.under_load(outage + 6, outage_of_redis)
        statuses = count_statuses(answers)
        created = [a[3] for a in answers if a[1] == "post" and a[3]]
        # Every task of a change is an outbox entry (the queue is Redis).
        query = (
            f"SELECT count(*), count(done_at) FROM core_outboxentry WHERE created_at >= '{since}'"
        )
        # The backlog drains at the worker's pace: wait while it moves.
        stalled_since, last = time.monotonic(), -1
        while True:
            expected, delivered = map(int, self.stack.sql(query).split("|"))
            if delivered != last:
                stalled_since, last = time.monotonic(), delivered
            if expected == delivered or time.monotonic() - stalled_since > 120:
                break
            time.sleep(2)
        self.record(
            "Redis down under load",
            f"6 clients filing complaints and reading lists; Redis stopped for {outage} s, "
            "then started again",
            "every request 2xx; every task enqueued meanwhile delivered after Redis is back",
            f"answers {statuses}; complaints filed {len(created)}; tasks (outbox entries) "
            f"enqueued {expected}, done {delivered}",
            set(statuses) <= {200, 201} and expected > 0 and expected == delivered,
        )

    # full disk ---------------------------------------------------------------------

    def full_disk(self) -> None:
        evidence = self.stack.var / "media" / "evidence"
        evidence.mkdir(parents=True, exist_ok=True)
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(evidence)], capture_output=True
        )
        if mounted.returncode:
            self.record(
                "full disk",
                "mount a 1 MB tmpfs on the uploads",
                "-",
                f"not available: {mounted.stderr.decode().strip()}",
                None,
            )
            return
        self.stack.mounts.append(evidence)
        (evidence / "filler").write_bytes(b"\0" * (900 * 1024))
        files_before = sorted(p.name for p in evidence.iterdir())
        headers = {**self.sme, "Content-Type": "application/json"}
        draft = json.loads(complaint_body(1).replace('"submit": true', '"submit": false'))
        draft["contract_number"] = "DRILL-DISK-" + os.urandom(3).hex()
        status, payload = request(
            "POST", "/api/v1/complaints/", json.dumps(draft, ensure_ascii=False).encode(), headers
        )
        complaint = json.loads(payload)["id"]
        status, payload = self.upload_png(complaint, 400 * 1024)
        files_after = sorted(p.name for p in evidence.iterdir())
        rows = int(
            self.stack.sql(
                f"SELECT count(*) FROM complaints_evidence WHERE complaint_id = {complaint}"
            )
        )
        others = [get("/")[0], get("/api/v1/complaints/", headers=self.official)[0]]
        message = payload.decode(errors="replace")[:200]
        self.record(
            "full disk",
            "uploads' evidence directory on a 1 MB tmpfs, 900 kB taken; a 400 kB evidence "
            "file uploaded through the API",
            "a clear refusal (503, code storage_full, nothing saved), no partial file, no "
            "evidence row, other pages 200",
            f"upload {status}: {message}; files before {len(files_before)}, after "
            f"{len(files_after)}; evidence rows {rows}; other pages {others}",
            status == 503
            and "storage_full" in message
            and files_after == files_before
            and rows == 0
            and others == [200, 200],
        )

    def upload_png(self, complaint: int, size: int):
        import io

        from PIL import Image

        side = int((size / 3) ** 0.5)
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        data = io.BytesIO()
        image.save(data, "PNG")
        boundary = "drill" + os.urandom(8).hex()
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="evidence.png"\r\nContent-Type: image/png\r\n\r\n'
            ).encode()
            + data.getvalue()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {**self.sme, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        return request("POST", f"/api/v1/complaints/{complaint}/evidence/", body, headers)

    # backup and restore ------------------------------------------------------------

    def backup_restore(self) -> None:
        for mount in self.stack.mounts:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        self.stack.mounts.clear()
        dump, tarball = self.stack.tmp / "qingqian.dump", self.stack.tmp / "media.tar"
        pg = ["-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres"]
        subprocess.run(["pg_dump", *pg, "-Fc", "-f", dump, "qingqian"], check=True)
        subprocess.run(["tar", "-cf", tarball, "-C", self.stack.var, "media"], check=True)
        self.stack.psql_admin("CREATE DATABASE qingqian_restored")
        subprocess.run(
            ["pg_restore", *pg, "--no-owner", "-d", "qingqian_restored", dump], check=True
        )
        restored_var = self.stack.tmp / "restored"
        restored_var.mkdir()
        subprocess.run(["tar", "-xf", tarball, "-C", restored_var], check=True)
        env = {
            **self.stack.env,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/qingqian_restored",
            "QINGQIAN_VAR_DIR": str(restored_var),
        }
        verify = subprocess.run(
            [str(BIN / "qingqian"), "audit", "verify"], env=env, capture_output=True, text=True
        )
        counts_source = table_counts(self.stack, "qingqian")
        counts_copy = table_counts(self.stack, "qingqian_restored")
        hashes_source = file_hashes(self.stack.var / "media")
        hashes_copy = file_hashes(restored_var / "media")
        differing = [t for t in counts_source if counts_source[t] != counts_copy.get(t)]
        self.record(
            "backup and restore",
            "pg_dump -Fc and a tar of the uploads; restored into a new database and directory",
            "`qingqian audit verify` passes; every table's row count and every file's hash equal",
            f"audit verify exit {verify.returncode} ({verify.stdout.strip()[-120:]}); "
            f"{len(counts_source)} tables, {len(differing)} differ {differing[:5]}; "
            f"{len(hashes_source)} files, equal: {hashes_source == hashes_copy}",
            verify.returncode == 0 and not differing and hashes_source == hashes_copy,
        )

    def write(self, *, keep_others: bool) -> None:
        """The results file; a run of some drills (--only) replaces their
        entries and keeps the others' (each entry has its own date)."""
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        entries = self.entries
        if keep_others and RESULTS.exists():
            ran = {entry["name"] for entry in entries}
            earlier = json.loads(RESULTS.read_text())
            kept = earlier["drills"]
            for entry in kept:  # entries of a whole run carry the run's date
                entry.setdefault("date", earlier["date"])
                entry.setdefault("short", earlier.get("short"))
            entries = [entry for entry in kept if entry["name"] not in ran] + entries
        RESULTS.write_text(
            json.dumps(
                {
                    "date": datetime.now().isoformat(timespec="seconds"),
                    "machine": machine(),
                    "drills": entries,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )


def count_statuses(answers) -> dict[int, int]:
    counts: dict[int, int] = {}
    for answer in answers:
        counts[answer[2]] = counts.get(answer[2], 0) + 1
    return dict(sorted(counts.items()))


def table_counts(stack: Stack, database: str) -> dict[str, int]:
    tables = stack.sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database
    ).split()
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    return {
        line.split("|")[0]: int(line.split("|")[1])
        for line in stack.sql(query, database).splitlines()
    }


def file_hashes(directory: Path) -> dict[str, str]:
    import hashlib

    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="the CI form (~6 minutes)")
    parser.add_argument("--only", help="comma-separated drill names (load, crash_worker, ...)")
    parser.add_argument("--keep", action="store_true", help="keep the stack's folder and logs")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the drill runs PostgreSQL as its user and mounts a tmpfs")
    stack = Stack(args.short, keep=args.keep)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        stack.up()
        drills = Drills(stack, args.short)
        names = [
            "load",
            "crash_worker",
            "crash_app",
            "database_restart",
            "redis_down",
            "full_disk",
            "backup_restore",
        ]
        for name in args.only.split(",") if args.only else names:
            try:
                getattr(drills, name)()
            except Exception as error:  # one drill's failure is recorded, the rest go on
                drills.record(name, "-", "-", f"the drill itself failed: {error!r}", False)
        drills.write(keep_others=bool(args.only))
    finally:
        stack.down()
    failed = [d["name"] for d in drills.entries if d["passed"] is False]
    log(f"results in {RESULTS.relative_to(ROOT)}; failed: {failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
