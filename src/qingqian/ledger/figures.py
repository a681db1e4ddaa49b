"""Every figure of the ledger, defined once.

The ledger list's totals, the totals API, the export, the supervision
dashboard, the stats API, the periodic reports and the month-end snapshots
all read their figures from `LedgerFigures`, so no two pages can count the
same items differently. The user guide states the same definitions:

- owed: the amounts the items record as owed;
- written off: what decisions for the debtor took out of the disputed part;
- identified: owed less written off, what is really due;
- paid (cleared): what the payments add up to;
- outstanding: identified less paid;
- disputed: the part of the outstanding amount the debtor disputes;
- undisputed outstanding: outstanding less disputed, due now (Regulations
  2025 Art. 15: the undisputed part is paid on time, even in proceedings);
- in the legal route: the disputed part of the items with a pending
  proceeding (their undisputed part is counted once, as undisputed outstanding);
- items: every item on the ledger, whatever its status;
- clearance rate: paid as a share of identified.

The sums come from `LedgerTotal` rows or from the items themselves with the
same aggregates (`aggregates`), so the two sources always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from qingqian.ledger.models import Status

# The sums a figure is made of, named apart from the models' fields (Django
# refuses an aggregate named like a field of the rows it aggregates).
SUM_NAMES = ("n", "owed", "paid", "written_off", "disputed", "legal_disputed")


@dataclass(frozen=True)
class LedgerFigures:
    items: int = 0
    owed_fen: int = 0
    paid_fen: int = 0
    written_off_fen: int = 0
    disputed_fen: int = 0
    legal_route_fen: int = 0

    @property
    def identified_fen(self) -> int:
        return self.owed_fen - self.written_off_fen

    @property
    def outstanding_fen(self) -> int:
        return self.identified_fen - self.paid_fen

    @property
    def undisputed_outstanding_fen(self) -> int:
        return self.outstanding_fen - self.disputed_fen

    @property
    def clearance_rate(self) -> Decimal | None:
        """Paid as a percentage of identified, to one decimal; None when nothing is identified."""
        if not self.identified_fen:
            return None
        share = Decimal(100 * self.paid_fen) / Decimal(self.identified_fen)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __add__(self, other: LedgerFigures) -> LedgerFigures:
        return LedgerFigures(*(getattr(self, name) + getattr(other, name) for name in _FIELDS))

    @classmethod
    def of_row(cls, row) -> LedgerFigures:
        """The figures of one item or one `LedgerTotal` row."""
        return cls(
            items=getattr(row, "items", 1),
            owed_fen=row.owed_fen,
            paid_fen=row.paid_fen,
            written_off_fen=row.written_off_fen,
            disputed_fen=row.disputed_fen,
            legal_route_fen=row.disputed_fen if row.status == Status.LEGAL_ROUTE else 0,
        )

    @classmethod
    def of_sums(cls, row: dict) -> LedgerFigures:
        """From a row of `aggregates` (missing sums, as over no rows, are zero)."""
        return cls(*(int(row.get(name) or 0) for name in SUM_NAMES))

    def as_dict(self) -> dict:
        """Every figure by name, for the pages and the APIs."""
        return {
            "items": self.items,
            "owed_fen": self.owed_fen,
            "written_off_fen": self.written_off_fen,
            "identified_fen": self.identified_fen,
            "paid_fen": self.paid_fen,
            "cleared_fen": self.paid_fen,
            "outstanding_fen": self.outstanding_fen,
            "disputed_fen": self.disputed_fen,
            "undisputed_outstanding_fen": self.undisputed_outstanding_fen,
            "legal_route_fen": self.legal_route_fen,
            "clearance_rate": self.clearance_rate,
        }


_FIELDS = ("items", "owed_fen", "paid_fen", "written_off_fen", "disputed_fen", "legal_route_fen")


def aggregates(*, from_summary: bool) -> dict:
    """The sums of `SUM_NAMES` over `LedgerTotal` rows (`from_summary`) or over items."""
    return {
        "n": Sum("items") if from_summary else Count("id"),
        "owed": Sum("owed_fen"),
        "paid": Sum("paid_fen"),
        "written_off": Sum("written_off_fen"),
        "disputed": Sum("disputed_fen"),
        "legal_disputed": Sum("disputed_fen", filter=Q(status=Status.LEGAL_ROUTE)),
    }
