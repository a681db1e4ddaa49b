"""DATABASES for the minimal project and the peer, from DATABASE_URL, with
the options Qingqian gives its own: SQLite in WAL mode with IMMEDIATE
transactions; persistent connections (a minute, as Qingqian's PostgreSQL)."""

import os
from urllib.parse import urlsplit

PERSISTENT_SECONDS = 60


def database_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": parts.path[1:],  # sqlite:////absolute or sqlite:///relative
            "CONN_MAX_AGE": PERSISTENT_SECONDS,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,  # QINGQIAN_SQLITE_BUSY_SECONDS
            },
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": parts.username or "",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": PERSISTENT_SECONDS,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL: sqlite:/// or postgres://, not {url!r}")


DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
