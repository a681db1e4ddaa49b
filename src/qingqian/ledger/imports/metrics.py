"""Ledger imports' figures for Prometheus (listed in QINGQIAN_METRICS_COLLECTORS)."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from qingqian.ledger.imports.progress import read_progress
from qingqian.ledger.models import LedgerImport


class ImportProgressCollector:
    """How far each running import is, from its progress file (the import
    holds SQLite's writer, so the database cannot say): one query for the
    running imports, one small file read each."""

    def collect(self):
        running = list(LedgerImport.objects.filter(state=LedgerImport.State.RUNNING))
        count = GaugeMetricFamily("qingqian_ledger_imports_running", "Ledger imports running now.")
        count.add_metric([], len(running))
        fraction = GaugeMetricFamily(
            "qingqian_ledger_import_progress_ratio",
            "How far a running ledger import is, 0 to 1.",
            labels=["import_id"],
        )
        rows = GaugeMetricFamily(
            "qingqian_ledger_import_rows_read",
            "Rows a running ledger import has read so far.",
            labels=["import_id"],
        )
        for record in running:
            progress = read_progress(record)
            fraction.add_metric([str(record.pk)], progress["fraction"])
            rows.add_metric([str(record.pk)], progress["rows"])
        yield from (count, fraction, rows)
