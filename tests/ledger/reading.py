"""Reading a return in tests: columnar, as the import does, and row by row
with the reference `RowValidator`, asserting both give the same."""

import io

from qingqian.ledger.imports.reader import read_ledger_file


def read_both_ways(data: bytes, filename: str, *, scope, today, **limits):
    """All valid rows and the (columnar) reader, for its errors and counters."""
    reader = read_ledger_file(io.BytesIO(data), filename, scope=scope, today=today, **limits)
    rows = [row for batch in reader for row in batch]
    by_row = read_ledger_file(
        io.BytesIO(data), filename, scope=scope, today=today, columnar=False, **limits
    )
    assert [row for batch in by_row for row in batch] == rows
    assert (by_row.errors, by_row.error_count) == (reader.errors, reader.error_count)
    return rows, reader
