"""Whether the Regulations cover a registered enterprise as a debtor: the rule of
`core.coverage`, with the size its registered facts establish (划型)."""

from __future__ import annotations

from datetime import date

from qingqian.core.coverage import LARGE_TYPE, STATE_OWNED_TYPE, debtor_coverage, may_be_covered
from qingqian.core.sizeclass import SizeClassError, classify
from qingqian.parties.models import Enterprise


def enterprise_size(enterprise: Enterprise, on: date) -> str | None:
    """The size class its registered facts give on a date (use the contract
    signing date); None when they do not establish one."""
    if not enterprise.industry:
        return None
    try:
        return classify(
            enterprise.industry,
            enterprise.staff,
            enterprise.revenue_wan,
            enterprise.assets_wan,
            on,
        ).size
    except SizeClassError:
        return None


def _size_if_it_counts(enterprise: Enterprise, on: date) -> str | None:
    # Only an enterprise's coverage turns on its size; agencies' facts are not read.
    if enterprise.type in (LARGE_TYPE, STATE_OWNED_TYPE):
        return enterprise_size(enterprise, on)
    return None


def enterprise_coverage(enterprise: Enterprise, on: date) -> str:
    """`core.coverage.debtor_coverage` of a registered enterprise on a date."""
    return debtor_coverage(enterprise.type, _size_if_it_counts(enterprise, on))


def may_name_as_debtor(enterprise: Enterprise, on: date) -> bool:
    """Whether a complaint, a ledger item or a supervision case may name it as the debtor."""
    return may_be_covered(enterprise.type, _size_if_it_counts(enterprise, on))
