"""The open statistics as cells: small counts suppressed, then shown or downloaded.

The rule, stated on the page and in the user guide:

- a cell that counts complaints (or rated stage clocks, one per complaint) and
  holds 1 to 4 is shown as "<5", so that nobody can pick out a complaint and
  the SME behind it; 0 is shown as 0 (it identifies no one);
- an on-time rate resting on 1 to 4 rated complaints is suppressed the same way;
- ledger amounts are not counts of complaints, but an amount summed over 1 to 4
  ledger items is nearly one creditor's claim: it is suppressed too ("<5").

Suppression is applied here, to the cells, so the page and the downloads can
never disagree. There is no secondary suppression yet: a national total minus
the other provinces can reveal a suppressed province (see the user guide).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

THRESHOLD = 5
SUPPRESSED = "<5"

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
    return [
        [f"{row['month']:%Y-%m}", *complaint_cells(row["complaints"])]
        for row in figures["by_month"]
    ]


def province_rows(figures: dict) -> list[list]:
    return [
        [
            row["prefix"],
            row["name"],
            *complaint_cells(row["complaints"]),
            *ledger_cells(row["ledger"]),
        ]
        for row in figures["by_region"]
    ]


def tables(figures: dict) -> dict:
    """{name: (header, rows, kinds)}: what the page shows and the downloads write."""
    complaint_kinds = ["text"] * (len(COMPLAINT_COLUMNS) + len(RATE_COLUMNS))
    money = ["money"] * len(LEDGER_COLUMNS)
    result = {
        "months": (
            [str(_("Month")), *complaint_header()],
            month_rows(figures),
            ["text", *complaint_kinds],
        )
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
