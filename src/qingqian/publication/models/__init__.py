"""The publication app's models, one module per aggregate; Django finds them here."""

from qingqian.publication.models.disclosures import (  # noqa: F401
    Disclosure,
    DisclosureFlag,
    DisclosureFlagItem,
    DisclosurePeriod,
    DisclosureVersion,
)
