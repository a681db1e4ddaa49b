"""The app server's shape (gunicorn), read by `deploy/launch app`.

Measured on 2 cores with wrk (docs/operator-guide.md, "Choosing the app
server's shape"): threads beside processes serve the database-bound pages as
well as more processes do, in far less memory, and a slow request (an export,
a PDF) does not hold a whole process. The variables below are read here, not
by the platform's settings: they shape the server, not the application.

- QINGQIAN_WEB_BIND     address:port (default 127.0.0.1:8000; the unit sets
                        one port per instance)
- QINGQIAN_WEB_WORKERS  processes (default: 2 per core)
- QINGQIAN_WEB_THREADS  threads per process (default 8)
"""

import os
import shutil
from pathlib import Path

# The hooks below may import the platform in the master process.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingqian.settings")

bind = [os.environ.get("QINGQIAN_WEB_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("QINGQIAN_WEB_WORKERS", str(2 * (os.cpu_count() or 1))))
worker_class = "gthread"
threads = int(os.environ.get("QINGQIAN_WEB_THREADS", "8"))
# nginx keeps connections to the upstream open (keepalive in the site).
keepalive = 30
# A request longer than this is killed and the process replaced; exports and
# reports that take longer run as tasks.
timeout = 60
graceful_timeout = 30
# Recycle processes now and then so that slow leaks cannot accumulate.
max_requests = 5000
max_requests_jitter = 500
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None

# One line per request with the request id nginx set, so that a line here,
# the application's JSON log and nginx's log can be joined.
accesslog = "-"
access_log_format = (
    '%(h)s %({x-request-id}i)s "%(r)s" %(s)s %(b)s %(M)sms "%({user-agent}i)s"'
)
errorlog = "-"
loglevel = "info"


def on_starting(server):
    """Prometheus's multi-process files belong to one server's life: start empty."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """Let the metrics forget a process that exited (qingqian.web.metrics,
    present once the metrics are installed)."""
    try:
        from qingqian.web.metrics import child_exit as forget_process
    except ImportError:
        return
    forget_process(server, worker)
