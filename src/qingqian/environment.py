"""Every environment variable an operator may set, with its default and meaning.

settings.py reads the environment only through the readers below, and a reader
refuses a name that is not declared here: a new knob cannot be added without
its line, and `qingqian docs --write` turns these lines into
docs/reference/settings.md (a test fails while that page is stale).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Variable:
    name: str
    meaning: str
    # What an unset variable reads as; None when settings.py works the default
    # out (then `shown_default` says how, for the reference page).
    default: str | None = ""
    shown_default: str = ""

    @property
    def documented_default(self) -> str:
        if self.shown_default:
            return self.shown_default
        return f"`{self.default}`" if self.default else "—"


OFF = "off"

VARIABLES = (
    Variable(
        "DATABASE_URL",
        "database; e.g. `postgres://user@host:5432/qingqian`",
        None,
        "`sqlite:///$QINGQIAN_VAR_DIR/qingqian.sqlite3`",
    ),
    Variable(
        "QINGQIAN_SECRET_KEY",
        "Django's secret key; required in production (≥ 32 characters)",
        None,
        "public demo key",
    ),
    Variable(
        "QINGQIAN_AUDIT_KEY",
        "keys the audit log's HMAC chain; required in production "
        "(≥ 32 characters, not the secret key)",
        None,
        "public demo audit key",
    ),
    Variable(
        "QINGQIAN_AUDIT_OLD_KEYS",
        "comma-separated earlier audit keys, to verify the events they signed",
    ),
    Variable(
        "QINGQIAN_AUDIT_CHECKPOINT_FILE",
        "where `qingqian audit checkpoint` appends",
        None,
        "`$QINGQIAN_VAR_DIR/audit-checkpoints.jsonl`",
    ),
    Variable("QINGQIAN_DEBUG", "`1` for the demo and development; off = production mode", "", OFF),
    Variable(
        "QINGQIAN_ALLOWED_HOSTS",
        "comma-separated host names",
        "127.0.0.1,localhost,[::1],testserver",
    ),
    Variable("QINGQIAN_CSRF_TRUSTED_ORIGINS", "e.g. `https://qingqian.example.gov.cn`"),
    Variable(
        "QINGQIAN_TRUSTED_PROXIES",
        "reverse proxies whose `X-Forwarded-For` is believed, e.g. `127.0.0.1`",
    ),
    Variable("QINGQIAN_SECURE_COOKIES", "`1` behind HTTPS", "", OFF),
    Variable(
        "QINGQIAN_TLS_PROXY",
        "`1` when a proxy in front terminates TLS (sets `X-Forwarded-Proto`): "
        "HSTS and https redirect",
        "",
        OFF,
    ),
    Variable("QINGQIAN_HSTS_PRELOAD", "ask browsers' preload lists to include the site", "", OFF),
    Variable(
        "QINGQIAN_VAR_DIR",
        "SQLite file, uploads, collected static files",
        None,
        "`./var`",
    ),
    Variable(
        "QINGQIAN_EMAIL_BACKEND",
        "Django e-mail backend",
        None,
        "console (debug) / SMTP",
    ),
    Variable("QINGQIAN_EMAIL_HOST", "SMTP server", "localhost"),
    Variable("QINGQIAN_EMAIL_PORT", "SMTP port", "25"),
    Variable("QINGQIAN_EMAIL_USER", "SMTP user name"),
    Variable("QINGQIAN_EMAIL_PASSWORD", "SMTP password"),
    Variable("QINGQIAN_EMAIL_TLS", "`1` for STARTTLS", "", OFF),
    Variable("QINGQIAN_EMAIL_FROM", "sender of every e-mail", "qingqian@localhost"),
    Variable(
        "QINGQIAN_SMS_BACKEND",
        "the text-message sender (dotted path of a `qingqian.notifications.sms.SmsBackend`); "
        "plug the provider's here",
        None,
        "console (debug) / none: refuses to send",
    ),
    Variable(
        "QINGQIAN_SMS_FILE_PATH",
        "the directory the file backend writes one file per message into",
        None,
        "`$QINGQIAN_VAR_DIR/sms`",
    ),
    Variable(
        "QINGQIAN_SIGNUP_CODE_MINUTES",
        "minutes a phone verification code stays valid",
        "10",
    ),
    Variable(
        "QINGQIAN_BASE_URL",
        "the public address the links in e-mails point to",
        "http://127.0.0.1:8000",
    ),
    Variable(
        "QINGQIAN_TASKS_BACKEND",
        "the task queue; run by `qingqian worker`",
        "django_tasks_db.DatabaseBackend",
    ),
    Variable(
        "QINGQIAN_QUEUE_URL",
        "a Redis for the task queue (RQ), e.g. `redis://127.0.0.1:6379/2`: work a change "
        "calls for goes through an outbox in the database, `qingqian worker` runs RQ workers "
        "and `qingqian scheduler` must run; unset: the database queue "
        "(QINGQIAN_TASKS_BACKEND)",
        "",
        "the database queue",
    ),
    Variable(
        "QINGQIAN_REMINDER_WORKING_DAYS",
        "remind the responsible people this many working days before a deadline",
        "2",
    ),
    Variable(
        "QINGQIAN_REMINDER_INTERVAL_SECONDS",
        "how often the worker queues the reminder job; 0 = never (use cron)",
        "3600",
    ),
    Variable(
        "QINGQIAN_REOPEN_WINDOW_DAYS",
        "days after the result in which a complainant may reopen on new facts",
        "90",
    ),
    Variable(
        "QINGQIAN_INVITATION_DAYS",
        "days an invitation link stays valid (an administrator can resend it)",
        "7",
    ),
    Variable(
        "QINGQIAN_REPLICA_URL",
        "a PostgreSQL streaming replica that serves the dashboards' and exports' reads, "
        "e.g. `postgres://qingqian@replica:5432/qingqian`; unset: every read from DATABASE_URL",
    ),
    Variable(
        "QINGQIAN_CACHE_URL",
        "a Redis shared by the server processes for the cached public pages and the "
        "throttle counters, e.g. `redis://127.0.0.1:6379/1`, and then the sessions' cache "
        "(stored in the database too); Redis down reads as an empty cache; "
        "unset: each process's own memory",
        "",
        "each process's memory",
    ),
    Variable("QINGQIAN_LOG_LEVEL", "the root logger's level", "WARNING"),
    Variable(
        "QINGQIAN_LOG_FORMAT",
        "`text`, or `json`: one JSON object per line (timestamp, level, logger, message, "
        "request_id) and an access line per request",
        "text",
    ),
    Variable(
        "QINGQIAN_METRICS",
        "`1`: Prometheus metrics at `/metrics` (multi-process under gunicorn with "
        "`PROMETHEUS_MULTIPROC_DIR`)",
        "",
        OFF,
    ),
    Variable(
        "QINGQIAN_METRICS_ALLOWED",
        "comma-separated addresses or networks that may read `/metrics`",
        "127.0.0.1,::1",
    ),
    Variable("QINGQIAN_LOGIN_FAILURE_LIMIT", "failed sign-ins before a 15-minute lock", "5"),
    Variable(
        "QINGQIAN_REQUIRE_TWO_FACTOR",
        "officials must enrol two-factor sign-in",
        None,
        "on in production mode",
    ),
    Variable("QINGQIAN_API_TOKEN_RATE", "token requests per client address", "20/min"),
    Variable(
        "QINGQIAN_API_PUBLIC_RATE", "public API requests (no token) per client address", "60/min"
    ),
    Variable(
        "QINGQIAN_MAP_GEOJSON",
        "an approved map of China's provincial-level units (GeoJSON, a 6-digit `code` "
        "per feature) drawn on the national dashboard instead of the tile grid; "
        "needs `QINGQIAN_MAP_APPROVAL_NUMBER`",
    ),
    Variable(
        "QINGQIAN_MAP_APPROVAL_NUMBER",
        "that map's approval number (审图号), printed under it, e.g. `GS(2024)0650号`; "
        "needs `QINGQIAN_MAP_GEOJSON`",
    ),
    Variable(
        "QINGQIAN_SQLITE_BUSY_SECONDS",
        "how long a request waits for SQLite's writer before a 503",
        "5",
    ),
    Variable(
        "QINGQIAN_SQLITE_BACKGROUND_BUSY_SECONDS",
        "the same for the worker and the CLI",
        "900",
    ),
)

BY_NAME = {variable.name: variable for variable in VARIABLES}


def text(name: str, default: str | None = None) -> str:
    """The variable's value; unset, its declared default (or the `default`
    settings.py works out, for a variable declared without one)."""
    variable = BY_NAME[name]  # KeyError: declare the variable above first
    fallback = variable.default if variable.default is not None else default
    if fallback is None:
        raise ValueError(f"{name}: settings.py must give the default it works out")
    return os.environ.get(name, fallback)


def flag(name: str, default: bool = False) -> bool:
    value = text(name, "1" if default else "")
    return value.strip().lower() in TRUE_WORDS


def items(name: str) -> list[str]:
    """A comma-separated list."""
    return [item.strip() for item in text(name).split(",") if item.strip()]


def integer(name: str) -> int:
    return int(text(name))


def number(name: str) -> float:
    return float(text(name))
