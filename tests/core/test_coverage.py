"""Which debtors the Regulations cover: every debtor type by every size."""

import pytest

from qingqian.core.coverage import (
    COVERED,
    NOT_COVERED,
    SIZE_UNKNOWN,
    debtor_coverage,
    may_be_covered,
)

SIZES = ["large", "medium", "small", "micro", None]

# Written from the Regulations (Art. 2): agencies and institutions whatever their
# size; an enterprise when it is large, ownership aside; SMEs and others never.
EXPECTED = {
    "agency": {size: COVERED for size in SIZES},
    "institution": {size: COVERED for size in SIZES},
    "large": {
        "large": COVERED,
        "medium": NOT_COVERED,  # its facts make it an SME, whatever it was called
        "small": NOT_COVERED,
        "micro": NOT_COVERED,
        None: COVERED,  # the type says large and nothing says otherwise
    },
    "soe": {
        "large": COVERED,
        "medium": NOT_COVERED,  # a state-owned SME is an SME
        "small": NOT_COVERED,
        "micro": NOT_COVERED,
        None: SIZE_UNKNOWN,
    },
    "sme": {size: NOT_COVERED for size in SIZES},
    "other": {size: NOT_COVERED for size in SIZES},
}


@pytest.mark.parametrize(
    ("debtor_type", "size", "expected"),
    [
        (kind, size, result)
        for kind, by_size in EXPECTED.items()
        for size, result in by_size.items()
    ],
)
def test_every_debtor_type_by_every_size(debtor_type, size, expected):
    assert debtor_coverage(debtor_type, size) == expected
    assert may_be_covered(debtor_type, size) is (expected != NOT_COVERED)


def test_a_type_outside_the_vocabulary_is_not_covered():
    assert debtor_coverage("cooperative", "large") == NOT_COVERED


def test_a_size_outside_the_standard_is_an_error():
    with pytest.raises(ValueError, match="huge"):
        debtor_coverage("soe", "huge")
