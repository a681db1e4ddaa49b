"""The publication app's models, one module per aggregate; Django finds them here."""

from qingqian.publication.models.disclosures import (
    Disclosure,
    DisclosureFlag,
    DisclosureFlagItem,
    DisclosurePeriod,
    DisclosureVersion,
)
from qingqian.publication.models.findings import CreditList, Finding, ListingChange
from qingqian.publication.models.referrals import Referral
from qingqian.publication.models.typical_cases import TypicalCase

__all__ = [
    "CreditList",
    "Disclosure",
    "DisclosureFlag",
    "DisclosureFlagItem",
    "DisclosurePeriod",
    "DisclosureVersion",
    "Finding",
    "ListingChange",
    "Referral",
    "TypicalCase",
]
