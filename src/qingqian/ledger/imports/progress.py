"""How far an import is: a small file beside the upload (the apply holds the
database's writer on SQLite, so the database cannot be the channel)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from qingqian.ledger.imports.upload import imports_dir
from qingqian.ledger.models import LedgerImport


def progress_path(record: LedgerImport) -> Path:
    return imports_dir() / f"{record.stored_name}.progress.json"


def read_progress(record: LedgerImport) -> dict:
    """{"fraction": 0..1, "rows": n} while running; the record's own figures otherwise."""
    if record.state == LedgerImport.State.RUNNING:
        try:
            return json.loads(progress_path(record).read_text())
        except (OSError, ValueError):
            pass
    finished = record.state in (LedgerImport.State.DONE, LedgerImport.State.REFUSED)
    return {"fraction": 1.0 if finished else 0.0, "rows": record.rows_read}


def last_progress_at(record: LedgerImport) -> datetime | None:
    """When the progress file was last written; None when there is none."""
    try:
        return datetime.fromtimestamp(progress_path(record).stat().st_mtime, tz=UTC)
    except OSError:
        return None


def _write_progress(record: LedgerImport, fraction: float, rows: int) -> None:
    path = progress_path(record)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"fraction": round(fraction, 4), "rows": rows}))
    os.replace(temporary, path)  # readers never see half a file


class Progress:
    """Reports how far the import is, to the progress file and to the caller."""

    def __init__(self, record: LedgerImport, on_progress):
        self.record = record
        self.on_progress = on_progress

    def __call__(self, fraction: float, rows: int) -> None:
        _write_progress(self.record, fraction, rows)
        if self.on_progress is not None:
            self.on_progress(fraction, rows)
