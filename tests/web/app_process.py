"""The application in a process of its own, started with the environment a
test gives it (a database that cannot be reached, a Redis that is down, JSON
logs): settings are read once per process, so these cannot be tried in the
test's own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# Runs in the child: sends each request (method, path, headers[, data]) through
# Django's test client, which goes through every middleware and the error
# handlers as a server would, and prints what came back as one JSON line.
REQUESTS = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = []
for method, path, headers, *data in json.loads(sys.argv[1]):
    response = getattr(client, method)(path, *data, headers=headers)
    answers.append({
        "status": response.status_code,
        "headers": dict(response.items()),
        "body": b"".join(response.streaming_content if response.streaming else [response.content])
        .decode("utf-8", "replace"),
    })
print(json.dumps(answers))
"""


@dataclass
class Answer:
    status: int
    headers: dict
    body: str

    def json(self):
        return json.loads(self.body)


@dataclass
class Run:
    answers: list[Answer]
    log: str  # what the process wrote to stderr: its log lines


def requests_in_own_process(environment: dict, requests: list) -> Run:
    """requests: [(method, path, headers[, form data])] → the answers, in
    order, and the log."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QINGQIAN_", "DATABASE_URL", "PYTEST", "PROMETHEUS"))
    }
    env |= {"PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "qingqian.settings", **environment}
    done = subprocess.run(
        [sys.executable, "-c", REQUESTS, json.dumps(requests)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = [Answer(**answer) for answer in json.loads(done.stdout.strip().splitlines()[-1])]
    return Run(answers, done.stderr)
