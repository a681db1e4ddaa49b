"""The bulk import of large enterprises' disclosures filed elsewhere (in their
annual report on the National Enterprise Credit Information Publicity System).

All or nothing, like the ledger's import: the file (CSV in UTF-8 or GB18030,
or XLSX; read with the ledger import's bounded readers) is checked row by row
first; one bad row and nothing is written, every bad row is reported with its
row, column, value and reason. A clean file files every row as the body's
disclosure (`services.file_version`), prefilled from the ledger at the year
end and cross-checked like any other: a figure that differs from the ledger
carries the import's note as its reason; a contradiction is flagged.

Who imports: an official of an SME authority who keeps ledgers and reviews
disclosures, for bodies located in their jurisdiction (or the national level).
A body that already filed on the platform corrects its own disclosure there.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit
from qingqian.core.money import MoneyError, parse_yuan
from qingqian.core.scoping import scope_for
from qingqian.ledger.imports.csv_source import CountingReader, CsvSource
from qingqian.ledger.imports.refusal import FileRefused, Limits
from qingqian.ledger.imports.xlsx_source import XlsxSource, seekable_upload
from qingqian.parties.models import Enterprise
from qingqian.publication.disclosures import services, verbs
from qingqian.publication.models import Disclosure, DisclosurePeriod
from qingqian.publication.models.disclosures import (
    FILER_TYPES,
    MAX_EXPLANATION,
    FilerGroup,
)

MAX_ROWS = 200_000
MAX_NOTE = 200
ZIP_MAGIC = b"PK\x03\x04"

# (key, Chinese header): a header cell names its column by either.
COLUMNS = [
    ("uscc", "统一社会信用代码"),
    ("year", "年度"),
    ("has_overdue", "是否存在逾期未支付中小企业款项"),
    ("overdue_count", "逾期未支付合同数量"),
    ("overdue_amount", "逾期未支付金额（元）"),
    ("explanation", "说明"),
]
REQUIRED = ("uscc", "year", "has_overdue", "overdue_count", "overdue_amount")
TEMPLATE_HEADER = [f"{chinese} / {key}" for key, chinese in COLUMNS]
YES = {"是", "有", "y", "yes", "true", "1"}
NO = {"否", "无", "n", "no", "false", "0"}


@dataclass
class RowProblem:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportResult:
    filed: int = 0
    flagged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class ImportRefused(ValidationError):
    """The file or some of its rows are wrong: nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__(_("Nothing was imported: correct the rows listed and import again."))


def may_import(actor) -> bool:
    if actor is None:
        return True
    organisation = getattr(actor, "organisation", None)
    return (
        actor.is_official
        and has_perm(actor, Perm.DISCLOSURE_REVIEW)
        and has_perm(actor, Perm.LEDGER_KEEP)
        and organisation is not None
        and organisation.kind != Organisation.Kind.HANDLING_DEPARTMENT
    )


@transaction.atomic
def disclosures_import(
    *, actor, fileobj, filename: str, note: str, on: date | None = None
) -> ImportResult:
    """Check every row, then file them all, or write nothing (`ImportRefused`)."""
    if not may_import(actor):
        raise PermissionDenied(_("Only an SME authority imports disclosures filed elsewhere."))
    note = (note or "").strip()
    if not note or len(note) > MAX_NOTE:
        raise ValidationError(
            {
                "note": _("Say where the disclosures were filed (at most %(n)d characters).")
                % {"n": MAX_NOTE}
            }
        )
    on = on or timezone.localdate()
    try:
        rows = list(_read(fileobj, filename))
    except FileRefused as refused:
        raise ImportRefused([RowProblem(0, "", filename, refused.message)]) from None
    checked, problems = _check(actor, rows, on)
    if problems:
        raise ImportRefused(problems)
    reason = _("Imported: %(note)s") % {"note": note}
    result = ImportResult()
    for period, enterprise, has_overdue, count, amount_fen, explanation in checked:
        version = services.file_version(
            actor=actor,
            period=period,
            enterprise=enterprise,
            has_overdue=has_overdue,
            overdue_count=count,
            overdue_amount_fen=amount_fen,
            explanation=explanation,
            count_reason=reason,
            amount_reason=reason,
            on=on,
        )
        result.filed += 1
        result.flagged += int(hasattr(version, "flag"))
    audit.record(
        actor=actor,
        verb=verbs.IMPORT,
        target=("publication.disclosure", "import"),
        payload={"file": filename, "note": note, "filed": result.filed, "flagged": result.flagged},
    )
    return result


# --- reading -------------------------------------------------------------------------------


def _read(fileobj, filename: str):
    """(row number, {key: text}) per data row; raises FileRefused for the whole file."""
    limits = Limits(max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10)
    head = fileobj.read(256 * 1024)
    if not head:
        raise FileRefused(_("The file is empty."))
    if head.startswith(ZIP_MAGIC):
        source = XlsxSource(seekable_upload(head, fileobj, limits), limits)
    else:
        source = CsvSource(CountingReader(head, fileobj), _encoding(head), None, limits)
    header_row, header = source.header()
    positions = _positions(header)
    missing = [key for key in REQUIRED if key not in positions]
    if missing:
        raise FileRefused(
            _("Row %(row)d: the columns %(columns)s are missing. Use the template's header.")
            % {"row": header_row, "columns": ", ".join(_header_of(k) for k in missing)}
        )
    count = 0
    for row_number, record in source.rows():
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
        cells = {key: _text(record, index) for key, index in positions.items()}
        yield row_number, cells
    if count == 0:
        raise FileRefused(_("The file has a header but no rows."))


def _encoding(head: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileRefused(_("The file is neither UTF-8 nor GB18030 text, nor an XLSX workbook."))


def _positions(header) -> dict[str, int]:
    positions = {}
    for index, cell in enumerate(header):
        text = str(cell or "").strip()
        for key, chinese in COLUMNS:
            names = {key, chinese, f"{chinese} / {key}", f"{chinese}/{key}"}
            if text in names and key not in positions:
                positions[key] = index
    return positions


def _text(record, index: int) -> str:
    if index >= len(record) or record[index] is None:
        return ""
    value = record[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_of(key: str) -> str:
    return next(header for header in TEMPLATE_HEADER if header.endswith(f"/ {key}"))


# --- checking ------------------------------------------------------------------------------

_MESSAGES = {
    "uscc": gettext_lazy("No large enterprise with this credit code is registered."),
    "scope": gettext_lazy("This body is not located in your jurisdiction."),
    "year": gettext_lazy("No disclosure period of large enterprises for this year."),
    "not_open": gettext_lazy("Filing for this year has not opened yet."),
    "twice": gettext_lazy("This body appears twice for this year in the file."),
    "filed": gettext_lazy("This body already filed on the platform: it corrects it there."),
    "yes_no": gettext_lazy("Write 是 or 否 (yes or no)."),
    "count": gettext_lazy("Write a whole number, 0 or more."),
    "amount": gettext_lazy("Write an amount in yuan, 0 or more."),
    "none_zero": gettext_lazy("Without overdue contracts, the number and amount are 0."),
    "some_positive": gettext_lazy("With overdue contracts, the number and amount are above 0."),
    "explanation": gettext_lazy("At most 500 characters."),
}


def _check(actor, rows, on: date):
    scope = scope_for(actor) if actor is not None else None
    periods = {
        p.year: p for p in DisclosurePeriod.objects.filter(filer_group=FilerGroup.ENTERPRISE)
    }
    codes = {cells["uscc"].upper() for _row, cells in rows}
    bodies = {
        e.uscc: e
        for e in Enterprise.objects.filter(
            uscc__in=codes, type__in=FILER_TYPES[FilerGroup.ENTERPRISE]
        )
    }
    already = set(
        Disclosure.objects.filter(
            period__in=periods.values(), enterprise__in=bodies.values()
        ).values_list("period__year", "enterprise__uscc")
    )
    seen: set[tuple[int, str]] = set()
    checked, problems = [], []
    for row, cells in rows:
        found = []

        def problem(column, key, found=found, row=row, cells=cells):
            found.append(
                RowProblem(row, _header_of(column), cells.get(column, ""), str(_MESSAGES[key]))
            )

        code = cells["uscc"].upper()
        body = bodies.get(code)
        if body is None:
            problem("uscc", "uscc")
        elif scope is not None and not scope.covers_region(body.region_code):
            problem("uscc", "scope")
        year = int(cells["year"]) if cells["year"].isdigit() else None
        period = periods.get(year)
        if period is None:
            problem("year", "year")
        elif on < period.opens_on:
            problem("year", "not_open")
        if body is not None and year is not None:
            if (year, code) in seen:
                problem("uscc", "twice")
            elif (year, code) in already:
                problem("uscc", "filed")
            seen.add((year, code))
        has_text = cells["has_overdue"].lower()
        has_overdue = True if has_text in YES else False if has_text in NO else None
        if has_overdue is None:
            problem("has_overdue", "yes_no")
        count_text = cells["overdue_count"] or "0"
        count = int(count_text) if count_text.isdecimal() and count_text.isascii() else None
        if count is None:
            problem("overdue_count", "count")
        try:
            amount_fen = parse_yuan(cells["overdue_amount"] or "0")
        except MoneyError:
            amount_fen = None
            problem("overdue_amount", "amount")
        if has_overdue is False and (count or amount_fen):
            problem("has_overdue", "none_zero")
        if has_overdue is True and (count == 0 or amount_fen == 0):
            problem("has_overdue", "some_positive")
        explanation = cells.get("explanation", "")
        if len(explanation) > MAX_EXPLANATION:
            problem("explanation", "explanation")
        if found:
            problems.extend(found)
        else:
            checked.append((period, body, has_overdue, count, amount_fen, explanation))
    return checked, problems
