"""CSV exports of scoped querysets (the selector decides the rows)."""

import csv

from django.http import StreamingHttpResponse


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, rows, columns) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM so spreadsheet programs read the Chinese."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(label) for _name, label in columns])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([_cell(getattr(row, name)) for name, _label in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # Neutralise spreadsheet formulas in user-supplied text (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
