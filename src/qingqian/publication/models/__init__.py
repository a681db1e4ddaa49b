"""The publication app's models, one module per aggregate; Django finds them here."""

from qingqian.publication.models.findings import CreditList, Finding, ListingChange

__all__ = ["CreditList", "Finding", "ListingChange"]
