"""The publication app's models, one module per aggregate; Django finds them here."""

from qingqian.publication.models.typical_cases import TypicalCase  # noqa: F401
