"""The latest lawful payment date under the SME Payment Regulations.

Pure Python (no Django); the calendar comes in as an argument. The version of
the Regulations is the one in force on the contract signing date:

* 2020 (State Council Decree No. 728, from 2020-09-01), Art. 8: agencies and
  public institutions pay within 30 days of delivery; a contract may agree a
  term of at most 60 days. Large enterprises agree a reasonable term by
  industry practice: the 2020 text sets no number.
* 2025 (Decree No. 802, from 2025-06-01), Art. 9: agencies and institutions as
  before; large enterprises pay within 60 days of delivery, and a contract
  may agree otherwise only reasonably by industry practice, never on condition
  of a third party's payment.

When the term starts (the same in both versions): from the date both parties
confirm the settlement amount where the contract settles by progress or
period (2020 Art. 8 / 2025 Art. 9); from passing inspection or acceptance
where payment depends on it, or from the end of the agreed acceptance period
if the buyer delays it (2020 Art. 9 / 2025 Art. 10); otherwise from delivery.

"Within N days" counts from the day after the start (Civil Code Art. 201); a
last day that is not a working day moves to the next one (Art. 203): exactly
`workdays.compute_deadline(days=N)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from qingqian.core.interest import REGULATIONS_START
from qingqian.core.workdays import Calendar, Deadline, compute_deadline

REVISION_START = date(2025, 6, 1)
BUYER_TYPES = ("agency", "institution", "large")
PUBLIC_BUYERS = frozenset({"agency", "institution"})
DEFAULT_DAYS_PUBLIC = 30
MAX_DAYS_PUBLIC = 60
DEFAULT_DAYS_LARGE_2025 = 60


class PaymentTermError(ValueError):
    """Facts the rule cannot use; `code` and `field` say which, for a translated message."""

    def __init__(self, message: str, code: str, field: str):
        super().__init__(f"{field}: {message}")
        self.message = message
        self.code = code
        self.field = field


@dataclass(frozen=True)
class ContractFacts:
    buyer_type: str  # one of BUYER_TYPES
    signed_on: date
    delivered_on: date | None = None
    accepted_on: date | None = None  # passed inspection / acceptance
    acceptance_period_ends_on: date | None = None  # the agreed acceptance deadline
    settled_on: date | None = None  # both parties confirmed the settlement amount
    agreed_days: int | None = None  # the agreed payment term, in days
    conditional_on_third_party: bool = False  # "back-to-back" payment clause


class Article(NamedTuple):
    version: str  # "2020" or "2025"
    number: int

    def __str__(self) -> str:
        return f"{self.version} Art. {self.number}"


@dataclass(frozen=True)
class PaymentTerm:
    version: str
    start_kind: str  # "delivery", "acceptance", "acceptance_period_end", "settlement"
    start_date: date
    statutory_days: int | None  # the term with no agreement (None: the text sets none)
    max_days: int | None  # the longest term a contract may agree (None: no number)
    term_days: int | None  # the term applied
    deadline: Deadline | None  # None where the text sets no date
    agreed_term_lawful: bool | None  # None: no agreed term, or only "reasonable" applies
    articles: tuple[Article, ...]
    notes: tuple[str, ...]

    @property
    def decree(self) -> str:
        return (
            "State Council Decree No. 802"
            if self.version == "2025"
            else "State Council Decree No. 728"
        )

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "decree": self.decree,
            "starts_from": {"kind": self.start_kind, "date": self.start_date.isoformat()},
            "statutory_days": self.statutory_days,
            "max_days": self.max_days,
            "term_days": self.term_days,
            "due_date": self.deadline.date.isoformat() if self.deadline else None,
            "rule": self.deadline.rule if self.deadline else None,
            "provisional": bool(self.deadline and self.deadline.provisional),
            "agreed_term_lawful": self.agreed_term_lawful,
            "articles": [str(article) for article in self.articles],
            "notes": list(self.notes),
        }


def version_on(signed_on: date) -> str:
    return "2025" if signed_on >= REVISION_START else "2020"


def payment_term(facts: ContractFacts, calendar: Calendar) -> PaymentTerm:
    """The latest lawful payment date for `facts`, with the articles that set it."""
    _check(facts)
    version = version_on(facts.signed_on)
    start_kind, start_date = _start(facts)
    statutory, maximum = _limits(facts.buyer_type, version)
    term_days, lawful = _term(facts.agreed_days, statutory, maximum)
    deadline = None
    if term_days is not None:
        deadline = compute_deadline(calendar, start_date, days=term_days, allow_provisional=True)
    return PaymentTerm(
        version=version,
        start_kind=start_kind,
        start_date=start_date,
        statutory_days=statutory,
        max_days=maximum,
        term_days=term_days,
        deadline=deadline,
        agreed_term_lawful=lawful,
        articles=_articles(version, start_kind),
        notes=_notes(facts, version, statutory, term_days),
    )


def _check(facts: ContractFacts) -> None:
    if facts.buyer_type not in BUYER_TYPES:
        raise PaymentTermError(
            f"{facts.buyer_type!r} is not one of {', '.join(BUYER_TYPES)}",
            "buyer_type",
            "buyer_type",
        )
    if facts.agreed_days is not None and facts.agreed_days < 1:
        raise PaymentTermError("an agreed term is at least 1 day", "agreed_days", "agreed_days")
    starts = (facts.delivered_on, facts.accepted_on, facts.acceptance_period_ends_on)
    if not any(starts) and not facts.settled_on:
        raise PaymentTermError(
            "give the delivery date (or the acceptance or settlement date)",
            "start_missing",
            "delivered",
        )
    delivered = facts.delivered_on
    for field, day in (
        ("accepted", facts.accepted_on),
        ("acceptance_ends", facts.acceptance_period_ends_on),
    ):
        if day and delivered and day < delivered:
            raise PaymentTermError(
                f"{day} is before the delivery date {delivered}", "before_delivery", field
            )


def _start(facts: ContractFacts) -> tuple[str, date]:
    """Settlement, then acceptance (or the end of a delayed one), then delivery."""
    if facts.settled_on:
        return "settlement", facts.settled_on
    ends = facts.acceptance_period_ends_on
    if facts.accepted_on and (ends is None or facts.accepted_on <= ends):
        return "acceptance", facts.accepted_on
    if ends:
        return "acceptance_period_end", ends
    return "delivery", facts.delivered_on


def _limits(buyer_type: str, version: str) -> tuple[int | None, int | None]:
    if buyer_type in PUBLIC_BUYERS:
        return DEFAULT_DAYS_PUBLIC, MAX_DAYS_PUBLIC
    if version == "2025":
        return DEFAULT_DAYS_LARGE_2025, None
    return None, None


def _term(agreed: int | None, statutory: int | None, maximum: int | None):
    """The term applied and whether the agreed one is lawful (None: no number to test)."""
    if agreed is None:
        return statutory, None
    if maximum is None:
        return agreed, None
    if agreed <= maximum:
        return agreed, True
    return maximum, False


def _articles(version: str, start_kind: str) -> tuple[Article, ...]:
    term = Article(version, 8 if version == "2020" else 9)
    if start_kind in {"acceptance", "acceptance_period_end"}:
        return term, Article(version, 9 if version == "2020" else 10)
    return (term,)


def _notes(facts: ContractFacts, version: str, statutory, term_days) -> tuple[str, ...]:
    notes = []
    if facts.signed_on < REGULATIONS_START:
        notes.append("signed_before_regulations")
    if facts.buyer_type == "large" and term_days is None:
        notes.append("large_2020_no_number")
    elif facts.buyer_type == "large" and facts.agreed_days is not None:
        notes.append("large_agreed_reasonable")
        if statutory and facts.agreed_days > statutory:
            notes.append("large_agreed_longer_than_default")
    agreed = facts.agreed_days
    if agreed is not None and facts.buyer_type in PUBLIC_BUYERS and agreed > MAX_DAYS_PUBLIC:
        notes.append("agreed_over_max")
    if facts.conditional_on_third_party:
        notes.append("third_party_condition_2025" if version == "2025" else "third_party_condition")
    ends = facts.acceptance_period_ends_on
    if facts.accepted_on and ends and facts.accepted_on > ends:
        notes.append("acceptance_delayed")
    return tuple(notes)
