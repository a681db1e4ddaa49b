"""The articles a demand letter relies on, by the version of the Regulations on
Guaranteeing Payments to SMEs (保障中小企业款项支付条例) in force at signing.

Pure rules, no writes. The Regulations are not retroactive: a contract signed
before 2025-06-01 is read under the 2020 text (State Council Decree No. 728,
effective 2020-09-01), one signed from then on under the 2025 revision (Decree
No. 802). A contract signed before 2020-09-01 is still cited under the 2020 text,
and flagged: courts split on applying the Regulations to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REGULATIONS_2020_START = date(2020, 9, 1)
REGULATIONS_2025_START = date(2025, 6, 1)
PUBLIC_DEBTOR_TYPES = frozenset({"agency", "institution"})


@dataclass(frozen=True)
class Version:
    year: str
    decree_number: int
    effective: date


V2020 = Version("2020", 728, REGULATIONS_2020_START)
V2025 = Version("2025", 802, REGULATIONS_2025_START)

# Article numbers per version (2020 → 2025).
PAYMENT_TERM_PUBLIC = {"2020": 8, "2025": 9}  # agencies and institutions: 30 days, 60 at most
PAYMENT_TERM_LARGE = {"2020": None, "2025": 9}  # 2020: a reasonable term, no article fixes days
INTEREST = {"2020": 15, "2025": 17}
COMPLAINT = {"2020": 17, "2025": 24}
CREDIT = {"2020": 17, "2025": 26}


@dataclass(frozen=True)
class Articles:
    """The articles relied on; `payment_term` is None where no article fixes the term."""

    version: Version
    payment_term: int | None
    interest: int
    complaint: int
    credit: int
    signed_before_regulations: bool


def version_on(signed_on: date) -> Version:
    return V2025 if signed_on >= REGULATIONS_2025_START else V2020


def articles_for(signed_on: date, debtor_type: str) -> Articles:
    version = version_on(signed_on)
    terms = PAYMENT_TERM_PUBLIC if debtor_type in PUBLIC_DEBTOR_TYPES else PAYMENT_TERM_LARGE
    return Articles(
        version=version,
        payment_term=terms[version.year],
        interest=INTEREST[version.year],
        complaint=COMPLAINT[version.year],
        credit=CREDIT[version.year],
        signed_before_regulations=signed_on < REGULATIONS_2020_START,
    )
