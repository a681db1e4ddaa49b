"""CSV exports of scoped querysets (the selector decides the rows)."""

from qingqian.core import downloads
from qingqian.core.spreadsheets import stream_csv


def csv_response(filename: str, rows, columns):
    """Stream rows as UTF-8 CSV with a BOM so spreadsheet programs read the Chinese;
    text that looks like a formula is escaped."""
    header = [str(label) for _name, label in columns]
    values = (
        [getattr(row, name) for name, _label in columns] for row in rows.iterator(chunk_size=2000)
    )
    return downloads.file_response(
        stream_csv(header, values), filename=filename, content_type=downloads.CSV
    )
