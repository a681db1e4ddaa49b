"""Start a gunicorn server of a given shape, and stop it.

A shape is written `sync:2` (two processes, one request at a time each) or
`gthread:2x8` (two processes of eight threads). Every server of a benchmark
run, ours, the baselines and the peer, is started here with the same shape.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class App:
    """A WSGI application and how to serve it: gunicorn from its virtualenv,
    its environment, and a path that answers once it is up."""

    name: str
    gunicorn: Path
    wsgi: str
    env: dict
    ready_path: str


@dataclass(frozen=True)
class Shape:
    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> Shape:
        worker_class, _, size = text.partition(":")
        if worker_class == "sync":
            return cls("sync", int(size))
        if worker_class == "gthread":
            workers, _, threads = size.partition("x")
            return cls("gthread", int(workers), int(threads))
        raise ValueError(f"a server shape is sync:N or gthread:NxM, not {text!r}")

    def __str__(self) -> str:
        if self.worker_class == "sync":
            return f"sync:{self.workers}"
        return f"gthread:{self.workers}x{self.threads}"

    def gunicorn_options(self) -> list[str]:
        options = ["--worker-class", self.worker_class, "--workers", str(self.workers)]
        if self.worker_class == "gthread":
            options += ["--threads", str(self.threads)]
        return options


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(app: App, shape: Shape):
    """A gunicorn of `shape` serving `app` on a free port of loopback, once its
    ready path answers; yields the server's base URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(app.gunicorn),
            app.wsgi,
            "--bind",
            f"127.0.0.1:{port}",
            *shape.gunicorn_options(),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=app.env,
    )
    try:
        wait_until_answering(port, app.ready_path, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_answering(port: int, path: str, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited ({server.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not answer within a minute")
