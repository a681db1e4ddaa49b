"""CSV exports of scoped querysets (the selector decides the rows)."""

from django.http import StreamingHttpResponse

from qingqian.core.spreadsheets import stream_csv


def csv_response(filename: str, rows, columns) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM so spreadsheet programs read the Chinese;
    text that looks like a formula is escaped."""
    header = [str(label) for _name, label in columns]
    values = (
        [getattr(row, name) for name, _label in columns] for row in rows.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(
        stream_csv(header, values), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
