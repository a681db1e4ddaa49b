"""The open statistics as cells: small counts suppressed, then shown or downloaded.

The rule, stated on the page and in the user guide:

- a cell that counts complaints (or rated stage clocks, one per complaint) and
  holds 1 to 4 is shown as "<5", so that nobody can pick out a complaint and
  the SME behind it; 0 is shown as 0 (it identifies no one);
- an on-time rate resting on 1 to 4 rated complaints is suppressed the same way;
- ledger amounts are not counts of complaints, but an amount summed over 1 to 4
  ledger items is nearly one creditor's claim: it is suppressed too ("<5").
  The arrears by month (month-end snapshots) likewise; a snapshot taken before
  the snapshots counted their items gives no figure (None, "—").

Secondary suppression: the page shows each column's total (the headline, and
the months and the provinces tables add up to the same totals), so a column of
a table with exactly one "<5" cell would give it away as the total minus the
others. The smallest other non-zero cell of that column is then hidden too,
shown as "x" (it is not below 5; it is hidden to protect the "<5" one). A
province's four ledger amounts are hidden together (identified = cleared +
outstanding would give one back), the province chosen by its identified amount.
On-time rates are not added up, so they need none.

Suppression is applied here, to the cells, once, so the page, the downloads,
the charts and the public API can never disagree.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
SUPPRESSED = "<5"
SECONDARY = "x"  # hidden so that a total minus the other cells cannot reveal a "<5"

COMPLAINT_COLUMNS = (
    ("received", _("Complaints received")),
    ("accepted", _("Accepted")),
    ("transferred", _("Transferred")),
    ("resolved", _("Resolved")),
)
RATE_COLUMNS = (
    ("review", _("Reviewed on time (%)")),
    ("transfer", _("Transferred on time (%)")),
    ("handling", _("Handled on time (%)")),
)
LEDGER_MONTH_COLUMNS = (
    ("cleared_fen", _("Cleared (yuan)")),
    ("outstanding_fen", _("Outstanding (yuan)")),
)
LEDGER_COLUMNS = (
    ("identified_fen", _("Arrears identified (yuan)")),
    ("cleared_fen", _("Cleared (yuan)")),
    ("outstanding_fen", _("Outstanding (yuan)")),
    ("undisputed_outstanding_fen", _("Undisputed outstanding (yuan)")),
)


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def count_cell(n: int) -> int | str:
    return SUPPRESSED if is_small(n) else n


def rate_cell(on_time: dict):
    """The on-time rate, "<5" when 1–4 complaints were rated, None when none were."""
    rated = on_time["met"] + on_time["breached"]
    return SUPPRESSED if is_small(rated) else on_time["rate"]


def amount_cell(ledger: dict, name: str) -> int | str:
    return SUPPRESSED if is_small(ledger["items"]) else ledger[name]


def complaint_cells(figures: dict) -> list:
    counts = [count_cell(figures[name]) for name, _label in COMPLAINT_COLUMNS]
    rates = [rate_cell(figures["on_time"][stage]) for stage, _label in RATE_COLUMNS]
    return counts + rates


def ledger_cells(ledger: dict) -> list:
    return [amount_cell(ledger, name) for name, _label in LEDGER_COLUMNS]


def complaint_header() -> list[str]:
    return [str(label) for _name, label in (*COMPLAINT_COLUMNS, *RATE_COLUMNS)]


def ledger_header() -> list[str]:
    return [str(label) for _name, label in LEDGER_COLUMNS]


def month_rows(figures: dict) -> list[list]:
    rows = [
        [f"{row['month']:%Y-%m}", *complaint_cells(row["complaints"])]
        for row in figures["by_month"]
    ]
    counts = [
        [row["complaints"][name] for name, _label in COMPLAINT_COLUMNS]
        for row in figures["by_month"]
    ]
    for column in range(len(COMPLAINT_COLUMNS)):
        _hide_second(rows, [1 + column], [values[column] for values in counts])
    return rows


def ledger_month_rows(figures: dict) -> list[list]:
    """The ledger at each month's end: amounts of 1 to 4 items "<5"; None (no
    figure) where there is no snapshot, or it did not count its items."""
    rows = []
    for row in figures["ledger_by_month"]:
        if row["items"] is None:
            amounts = [None] * len(LEDGER_MONTH_COLUMNS)
        else:
            amounts = [amount_cell(row, name) for name, _label in LEDGER_MONTH_COLUMNS]
        rows.append([f"{row['month']:%Y-%m}", *amounts])
    return rows


def province_rows(figures: dict) -> list[list]:
    rows = [
        [
            row["prefix"],
            row["name"],
            *complaint_cells(row["complaints"]),
            *ledger_cells(row["ledger"]),
        ]
        for row in figures["by_region"]
    ]
    regions = figures["by_region"]
    for column, (name, _label) in enumerate(COMPLAINT_COLUMNS):
        _hide_second(rows, [2 + column], [row["complaints"][name] for row in regions])
    first_amount = 2 + len(COMPLAINT_COLUMNS) + len(RATE_COLUMNS)
    amounts = list(range(first_amount, first_amount + len(LEDGER_COLUMNS)))
    _hide_second(rows, amounts, [row["ledger"]["identified_fen"] for row in regions])
    return rows


def _hide_second(rows: list[list], columns: list[int], sizes: list[int]) -> None:
    """Secondary suppression of one column (or a group of columns hidden together):
    when exactly one row's cell is "<5", hide the row with the smallest other
    non-zero `size` too (the first such row on a tie)."""
    small = [i for i, row in enumerate(rows) if row[columns[0]] == SUPPRESSED]
    if len(small) != 1:
        return
    others = [
        (size, i)
        for i, (row, size) in enumerate(zip(rows, sizes, strict=True))
        if row[columns[0]] != SUPPRESSED and size > 0
    ]
    if others:
        _size, chosen = min(others)
        for column in columns:
            rows[chosen][column] = SECONDARY


def tables(figures: dict) -> dict:
    """{name: (header, rows, kinds)}: what the page shows and the downloads write."""
    complaint_kinds = ["text"] * (len(COMPLAINT_COLUMNS) + len(RATE_COLUMNS))
    money = ["money"] * len(LEDGER_COLUMNS)
    result = {
        "months": (
            [str(_("Month")), *complaint_header()],
            month_rows(figures),
            ["text", *complaint_kinds],
        ),
        "arrears": (
            [str(_("Month")), *(str(label) for _name, label in LEDGER_MONTH_COLUMNS)],
            ledger_month_rows(figures),
            ["text", *(["money"] * len(LEDGER_MONTH_COLUMNS))],
        ),
    }
    if figures["by_region"]:
        result["provinces"] = (
            [str(_("Code")), str(_("Province")), *complaint_header(), *ledger_header()],
            province_rows(figures),
            ["text", "text", *complaint_kinds, *money],
        )
    return result


def headline(figures: dict) -> dict:
    """The few figures the home page shows, suppressed like every cell."""
    complaints, ledger = figures["complaints"], figures["ledger"]
    return {
        "received": count_cell(complaints["received"]),
        "resolved": count_cell(complaints["resolved"]),
        "handling_rate": rate_cell(complaints["on_time"]["handling"]),
        "cleared_fen": amount_cell(ledger, "cleared_fen"),
        "undisputed_outstanding_fen": amount_cell(ledger, "undisputed_outstanding_fen"),
    }
