"""The publication app's models, one module per aggregate; Django finds them here."""

from qingqian.publication.models.findings import CreditList, Finding, ListingChange
from qingqian.publication.models.referrals import Referral

__all__ = ["CreditList", "Finding", "ListingChange", "Referral"]
