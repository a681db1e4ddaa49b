"""Checking ledger rows a chunk at a time, in columns (polars).

`RowValidator` checks a row in Python, cell by cell; for a million-row return
that is most of the reading time. `ColumnarValidator` takes a chunk of rows
as columns and proves most of them good with vectorised expressions: the
rules of RowValidator's quick path (text lengths, emptiness and formula
starts, credit codes with both check digits, choices, regions in the
importer's scope, the three date forms between 1990 and today, plain
amounts, the rules between fields, repeated keys). A row they all accept
becomes a `LedgerRow` here.

The expressions accept only what RowValidator accepts, and give the same
values. Every other row (a bad cell, a form only the full grammar reads such
as ``¥1,234.5`` or a lower-case code, a repeated key) goes to RowValidator,
the reference, which accepts or explains it cell by cell: the error report
is RowValidator's, in the reader's language. The tests compare both on every
existing case and on random rows.

Repeated keys are found across the whole file, in file order: each key's
64-bit hash and its first row are kept in a frame (about 12 bytes a key, like
`FirstRows`), every row of a chunk is looked up in one join, and RowValidator
is handed the answers for the rows it checks (`KnownFirstRows`), so both
paths agree on which row came first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime

import polars as pl

from qingqian.core import regions
from qingqian.core.scoping import Scope
from qingqian.core.spreadsheets import FORMULA_STARTS
from qingqian.core.uscc import ALPHABET, NATIONAL_REGION
from qingqian.ledger.columns import BY_KEY, COLUMNS, DEBTOR_TYPES, SUBJECTS
from qingqian.ledger.imports.rows import LEDGER_ROW_FIELDS, LedgerRow, RowError, cell_text
from qingqian.ledger.imports.validate import EARLIEST_DATE, RowValidator

# What str.strip() removes. polars' strip_chars() without an argument follows
# Unicode's White_Space, which lacks the separators \x1c-\x1f that Python strips.
WHITESPACE = "".join(char for char in map(chr, range(sys.maxunicode + 1)) if char.isspace())
_FORMULA_STARTS = sorted(FORMULA_STARTS)
# One pattern for the three date forms (Rust's regex has no backreference:
# the separator is repeated in each alternative instead).
_DATE = (
    r"^(?<year>[0-9]{4})(?:-(?<m1>[0-9]{1,2})-(?<d1>[0-9]{1,2})"
    r"|/(?<m2>[0-9]{1,2})/(?<d2>[0-9]{1,2})|年(?<m3>[0-9]{1,2})月(?<d3>[0-9]{1,2})日)$"
)
# `plain_fen`'s form: no sign, grouping, leading zero or exponent; below 10^15 yuan.
_AMOUNT = r"^(?<yuan>0|[1-9][0-9]{0,14})(?:\.(?<fen>[0-9]{1,2}))?$"
# Credit codes (GB 32100), as core.uscc checks them: the shape, a known
# province in positions 3-4, the check digit over the first 17 characters
# (values in the alphabet, weights 3^i mod 31), and the organisation code's
# own check digit (GB 11714: base-36 values, its weights, 11 - sum mod 11).
_CODE = f"^[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}$"
# Value of each byte of a code: its index in ALPHABET, and (for the
# organisation code) its base-36 value; 0 for bytes a clean code never has.
_OCTET_VALUE = pl.lit(pl.Series([max(ALPHABET.find(chr(octet)), 0) for octet in range(256)]))
_OCTET_BASE36 = pl.lit(
    pl.Series([int(chr(octet), 36) if chr(octet) in ALPHABET else 0 for octet in range(256)])
)
_CODE_WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_NO_CODE = "-" * 18  # never a code's shape
CODE_KEYS = ("debtor_uscc", "creditor_uscc")
DATE_KEYS = ("contract_signed_on", "due_on")
_PROVINCE_PREFIXES = [
    f"{number:02d}" for number in range(100) if regions.has_known_province(f"{number:02d}0000")
]
_REGION_CACHE_SIZE = 100_000  # a bound, not an expected size


class KnownFirstRows:
    """`FirstRows`' question answered from the columnar lookup: the first row
    of the key of each row RowValidator is about to check (None: it is first)."""

    def __init__(self):
        self.answers: dict[int, int | None] = {}

    def first_row(self, key: tuple, row: int) -> int | None:
        return self.answers[row]


class SeenKeys:
    """The first row of every key seen in the file, by 64-bit hash (two keys
    sharing a hash would be reported as a duplicate: a refusal the user sees,
    never a silent overwrite; see `FirstRows`)."""

    def __init__(self):
        self._first = pl.DataFrame(schema={"hash": pl.UInt64, "first": pl.UInt32})
        self._parts = 0

    def first_rows(self, keyed: pl.DataFrame) -> pl.Series:
        """For each row of ``keyed`` (columns ``line``, ``hash``, in file order):
        the first row with its key, this chunk and the earlier ones together;
        the chunk's keys are remembered."""
        chunk = keyed.with_columns(chunk_first=pl.col("line").min().over("hash"))
        found = chunk.join(self._first, on="hash", how="left", maintain_order="left")
        new = found.filter(pl.col("first").is_null()).select("hash", first="chunk_first")
        self._remember(new.unique("hash"))
        return found.select(pl.coalesce("first", "chunk_first")).to_series()

    def _remember(self, new: pl.DataFrame) -> None:
        self._first = pl.concat([self._first, new])
        self._parts += 1
        if self._parts % 16 == 0:  # one buffer, not hundreds of small ones to probe
            self._first = self._first.rechunk()


class ColumnarValidator:
    """Checks the rows of one file a chunk at a time; see the module docstring.
    `validate_chunk` has RowValidator's results, row for row."""

    def __init__(self, *, scope: Scope, today: date):
        self.today = today
        self._known = KnownFirstRows()
        self.reference = RowValidator(scope=scope, today=today, first_rows=self._known)
        self._seen = SeenKeys()
        self._good_region_cells: dict[str, bool] = {}
        self.rows_explained = 0  # rows handed to the reference (bad, or unusual)

    def validate_chunk(
        self, lines: Sequence[int], records: Sequence[Sequence]
    ) -> Iterator[LedgerRow | list[RowError]]:
        """The typed row or the errors of each record (cells in `COLUMNS` order),
        in order; made as they are taken, so that a chunk's rows are not all
        in memory at once."""
        if not lines:
            return
        unprovable: set[int] = set()
        frame, texts = _text_frame(lines, records, unprovable)
        checked = self._check(frame, unprovable)
        first = self._first_rows(checked, records)
        proven = (checked["proven"] & (first == checked["line"])).to_list()
        pairs = zip(_field_rows(checked, frame, texts), proven, first.to_list(), strict=True)
        for index, (row, is_proven, first_line) in enumerate(pairs):
            if is_proven:
                yield LedgerRow._from_checked(dict(zip(LEDGER_ROW_FIELDS, row, strict=True)))
            else:
                line = lines[index]
                self._known.answers = {line: None if first_line == line else first_line}
                self.rows_explained += 1
                yield self.reference.validate_values(line, records[index])

    def _check(self, frame: pl.DataFrame, unprovable: set[int]) -> pl.DataFrame:
        """Each field's value, ``proven`` (every cell and rule accepts the row)
        and ``key`` (where the row's three key cells are good), row for row."""
        values, accepted = _cell_checks(self._good_regions(frame["region_code"]))
        cells = _prepared(frame, self.today).select(
            "line",
            *(value.alias(field) for field, value in values.items()),
            cells_good=pl.all_horizontal(accepted.values()).fill_null(False),
            key_good=pl.all_horizontal(accepted[field] for field in LEDGER_KEY_FIELDS),
        )
        debtor, creditor, contract = map(pl.col, LEDGER_KEY_FIELDS)
        owed, paid = pl.col("owed_fen"), pl.col("paid_fen")
        consistent = (
            (debtor != creditor)
            & (pl.col("due_on") >= pl.col("contract_signed_on"))
            & (paid <= owed)
            & (pl.col("disputed_fen") <= owed - paid)
        )
        proven = pl.col("cells_good") & consistent.fill_null(False)
        if unprovable:
            proven &= ~pl.int_range(pl.len()).is_in(pl.Series(sorted(unprovable)).implode())
        key = pl.when(pl.col("key_good").fill_null(False)).then(
            pl.concat_str(debtor, creditor, contract)
        )
        return cells.select(*LEDGER_ROW_FIELDS, proven=proven, key=key).collect()

    def _good_regions(self, cells: pl.Series) -> pl.Series:
        """The chunk's distinct region cells that RowValidator takes as they are
        (its rules, asked once a distinct cell: a return has a few hundred)."""
        good = self._good_region_cells
        if len(good) > _REGION_CACHE_SIZE:
            good.clear()
        for cell in cells.unique().drop_nulls():
            if cell not in good:
                code = cell.strip()
                plain = cell[:1] not in FORMULA_STARTS and code != ""
                good[cell] = plain and self.reference.region_problem(code) is None
        return pl.Series([cell for cell, is_good in good.items() if is_good], dtype=pl.String)

    def _first_rows(self, checked: pl.DataFrame, records: Sequence[Sequence]) -> pl.Series:
        """The first row of each row's key (a row without a good key: itself).
        Keys the expressions could not read (a lower-case or spaced code...)
        are asked of RowValidator, which reads them as its explaining path does.
        Keys are hashed as bytes: one RowValidator read may hold text that
        polars' strings cannot (a lone surrogate)."""
        keys = checked["key"].cast(pl.Binary)
        unread = keys.is_null().arg_true()
        if len(unread):
            read = [self._key_bytes(records[index]) for index in unread]
            keys = keys.scatter(unread, pl.Series(read, dtype=pl.Binary))
        has_key = keys.is_not_null()
        keyed = pl.DataFrame({"line": checked["line"], "hash": keys.hash()}).filter(has_key)
        first = checked["line"].clone()
        if len(keyed):
            first.scatter(has_key.arg_true(), self._seen.first_rows(keyed))
        return first

    def _key_bytes(self, values: Sequence) -> bytes | None:
        key = self.reference.key_of(values)
        return "".join(key).encode("utf-8", "surrogatepass") if key else None


LEDGER_KEY_FIELDS = ("debtor_uscc", "creditor_uscc", "contract_number")
# Fields whose value is their cell's stripped text (the others are parsed).
AS_WRITTEN = frozenset(c.key for c in COLUMNS if c.kind in ("uscc", "text", "region"))


# --- the chunk as text columns -------------------------------------------------------


def _text_frame(lines: Sequence[int], records: Sequence[Sequence], unprovable: set[int]):
    """The records as a frame of text columns named by column key, plus
    ``line``; and the same columns as Python sequences."""
    columns = zip(*records, strict=True) if records else ([] for _ in COLUMNS)
    data = {"line": pl.Series(lines, dtype=pl.UInt32)}
    texts = {}
    for column, cells in zip(COLUMNS, columns, strict=True):
        texts[column.key], data[column.key] = _text_series(cells, column.kind == "date", unprovable)
    return pl.DataFrame(data), texts


def _field_rows(checked: pl.DataFrame, frame: pl.DataFrame, texts: dict) -> Iterator[tuple]:
    """Each row's fields as Python values, in `LEDGER_ROW_FIELDS` order. A text
    field equal to its cells as written (nothing to strip: the usual case)
    takes the cells' own strings rather than copies out of polars."""
    columns = []
    for field in LEDGER_ROW_FIELDS:
        value = checked[field]
        as_written = field in AS_WRITTEN and value.equals(frame[field], check_names=False)
        columns.append(texts[field] if as_written else value.to_list())
    return zip(*columns, strict=True)


def _text_series(cells: Sequence, is_date: bool, unprovable: set[int]):
    """A column as text, in Python and in polars. A typed XLSX cell becomes the
    text RowValidator reads it as (a date or datetime in a date column: its
    date). A cell polars cannot hold (text with a lone surrogate) is left out,
    its row unprovable."""
    try:
        return cells, pl.Series(cells, dtype=pl.String)
    except TypeError:
        return _text_series([_as_text(cell, is_date) for cell in cells], is_date, unprovable)
    except UnicodeEncodeError:
        held = []
        for index, cell in enumerate(cells):
            if _encodable(cell):
                held.append(cell)
            else:
                held.append(None)
                unprovable.add(index)
        return held, pl.Series(held, dtype=pl.String)


def _as_text(cell: object, is_date: bool) -> str | None:
    if cell is None or type(cell) is str:
        return cell
    if is_date and isinstance(cell, datetime):
        return cell.date().isoformat()
    return cell_text(cell)


def _encodable(cell: str | None) -> bool:
    if cell is None:
        return True
    try:
        cell.encode()
    except UnicodeEncodeError:
        return False
    return True


# --- the cell rules, as expressions ------------------------------------------------------


def _prepared(frame: pl.DataFrame, today: date) -> pl.LazyFrame:
    """The chunk with what the cell rules read besides its cells: each credit
    code's bytes, and each date cell's day, checked once a distinct cell (a
    return repeats its dates)."""
    prepared = frame.lazy().with_columns(map(_code_octets, CODE_KEYS))
    for key in DATE_KEYS:
        days = _distinct_days(frame, key, today).lazy()
        prepared = prepared.join(days, on=key, how="left", maintain_order="left", nulls_equal=True)
    return prepared


def _cell_checks(good_regions: pl.Series):
    """Each field's value expression, and whether each cell is accepted."""
    checks = {
        "debtor_uscc": _uscc("debtor_uscc"),
        "debtor_name": _text("debtor_name"),
        "debtor_type": _choice("debtor_type", DEBTOR_TYPES),
        "region_code": _region(good_regions),
        "creditor_uscc": _uscc("creditor_uscc"),
        "creditor_name": _text("creditor_name"),
        "contract_number": _text("contract_number"),
        "contract_signed_on": _date("contract_signed_on"),
        "subject": _choice("subject", SUBJECTS),
        "due_on": _date("due_on"),
        "owed_fen": _money("amount_owed"),
        "paid_fen": _money("amount_paid"),
        "disputed_fen": _money("disputed_amount"),
        "notes": _text("notes"),
    }
    values = {field: value for field, (value, _) in checks.items()}
    accepted = {field: good for field, (_, good) in checks.items()}
    return values, accepted


def _raw(key: str) -> pl.Expr:
    return pl.col(key).fill_null("")  # an absent or empty cell alike


def _stripped(raw: pl.Expr) -> pl.Expr:
    return raw.str.strip_chars(WHITESPACE)


def _formula_start(text: pl.Expr) -> pl.Expr:
    return text.str.slice(0, 1).is_in(_FORMULA_STARTS)


def _text(key: str):
    """`_quick_text`: stripped, not empty, no formula start, within its length.
    An optional column may be empty (blank text included, as `_stripped` has it)."""
    column = BY_KEY[key]
    raw = _raw(key)
    text = _stripped(raw)
    good = (
        text.str.len_chars().is_between(1, column.max_length)
        & ~_formula_start(raw)
        & ~_formula_start(text)
    )
    if not column.required:
        good |= text == ""
    return text, good


def _choice(key: str, words: dict[str, str]):
    """A choice written exactly as one of its words (RowValidator reads the
    others, e.g. " SOE ", by their comparison form)."""
    raw = _raw(key)
    value = raw.replace_strict(words, default=None, return_dtype=pl.String)
    if not BY_KEY[key].required:
        value = pl.when(raw == "").then(pl.lit("")).otherwise(value)
    return value, value.is_not_null()


def _region(good_regions: pl.Series):
    raw = _raw("region_code")
    return _stripped(raw), raw.is_in(good_regions.implode())


def _code_octets(key: str) -> pl.Expr:
    """The 18 bytes of each credit code cell in its clean form, as numbers
    (a placeholder where the shape is wrong); see `_uscc`."""
    raw = _raw(key)
    code = _stripped(raw)
    return (
        pl.when(code.str.contains(_CODE) & ~_formula_start(raw))
        .then(code)
        .otherwise(pl.lit(_NO_CODE))
        .cast(pl.Binary)
        .bin.reinterpret(dtype=pl.Array(pl.UInt8, 18))
        .alias(f"{key}:octets")
    )


def _uscc(key: str):
    """A credit code written in its clean form (`quick_uscc` with `_clean_code_is_valid`)."""
    code = _stripped(_raw(key))
    octets = pl.col(f"{key}:octets")
    values = [_OCTET_VALUE.gather(octets.arr.get(position)) for position in range(18)]
    base36 = [_OCTET_BASE36.gather(octets.arr.get(position)) for position in range(8, 17)]
    total = pl.sum_horizontal(map(pl.Expr.mul, values[:17], _CODE_WEIGHTS))
    org_total = pl.sum_horizontal(map(pl.Expr.mul, base36[:8], _ORG_WEIGHTS))
    remainder = 11 - org_total % 11
    org_check = pl.when(remainder == 10).then(int("X", 36)).when(remainder == 11).then(0)
    good = (
        (octets.arr.get(0) != ord(_NO_CODE[0]))
        & (
            code.str.slice(2, 2).is_in(_PROVINCE_PREFIXES)
            | (code.str.slice(2, 6) == NATIONAL_REGION)
        )
        & (values[17] == (31 - total % 31) % 31)
        & (base36[8] == org_check.otherwise(remainder))
    )
    return code, good


def _distinct_days(frame: pl.DataFrame, key: str, today: date) -> pl.DataFrame:
    """`_quick_date` on each distinct cell of a date column: one of the three
    forms, a real day, 1990 to today. Columns: the cell, ``key:day``, ``key:good``."""
    raw = _raw(key)
    parts = _stripped(raw).str.extract_groups(_DATE)
    month = pl.coalesce(parts.struct.field(name) for name in ("m1", "m2", "m3"))
    day = pl.coalesce(parts.struct.field(name) for name in ("d1", "d2", "d3"))
    year = parts.struct.field("year")
    iso = pl.concat_str(year, month.str.zfill(2), day.str.zfill(2), separator="-")
    value = iso.str.to_date("%Y-%m-%d", strict=False)
    good = (value.is_between(EARLIEST_DATE, today) & ~_formula_start(raw)).fill_null(False)
    # Only good days are kept: Python's dates start at year 1, polars' do not.
    return frame.select(pl.col(key).unique()).with_columns(
        pl.when(good).then(value).alias(f"{key}:day"), good.alias(f"{key}:good")
    )


def _date(key: str):
    return pl.col(f"{key}:day"), pl.col(f"{key}:good")


def _money(key: str):
    """`plain_fen` on the cell as written; an optional amount may be empty (0)."""
    raw = _raw(key)
    parts = raw.str.extract_groups(_AMOUNT)
    yuan = parts.struct.field("yuan").cast(pl.Int64)
    fen = yuan * 100 + parts.struct.field("fen").fill_null("0").str.pad_end(2, "0").cast(pl.Int64)
    if BY_KEY[key].required:
        return fen, fen > 0
    fen = pl.when(raw == "").then(pl.lit(0, pl.Int64)).otherwise(fen)
    return fen, fen.is_not_null()
