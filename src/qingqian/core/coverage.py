"""Which debtors the Regulations on Guaranteeing Payments to SMEs cover.

Pure Python (no Django). The Regulations (2020 Art. 2 / 2025 Art. 2) govern
what government agencies (机关), public institutions (事业单位) and large
enterprises (大型企业) owe SMEs. Ownership is not a criterion: a state-owned
enterprise is covered because, and when, it is large; a state-owned SME is
an SME, and a debt between SMEs is outside the Regulations.

The values are the enterprise types of `parties.models.Enterprise.Type`
(`agency`, `institution`, `large`, `soe`, `sme`, `other`) and the size
classes of `core.sizeclass` (`large`, `medium`, `small`, `micro`), or None
when the size is not established. Every place that decides or explains
coverage asks `debtor_coverage`; pages word the rule with
`core.messages.COVERAGE_RULE`, the CLI and the API description with `RULE_TEXT`.
"""

from __future__ import annotations

COVERED = "covered"
NOT_COVERED = "not_covered"
# A state-owned enterprise whose size is not established: covered if it is large.
SIZE_UNKNOWN = "size_unknown"

PUBLIC_TYPES = frozenset({"agency", "institution"})
LARGE_TYPE = "large"
STATE_OWNED_TYPE = "soe"
SIZES = ("large", "medium", "small", "micro")

RULE_TEXT = (
    "The Regulations cover debts owed to SMEs by government agencies, public institutions "
    "and large enterprises; a state-owned enterprise is covered when it is large, "
    "not when it is an SME."
)


def debtor_coverage(debtor_type: str, size: str | None = None) -> str:
    """COVERED, NOT_COVERED or SIZE_UNKNOWN for a debtor of this type and size.

    Agencies and institutions are covered whatever their size. An enterprise
    is covered when it is large: a `large` one unless its size is established
    as an SME's; a state-owned one when its size is established as large
    (SIZE_UNKNOWN until it is). Every other type is not covered.
    """
    if size is not None and size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)} or None, not {size!r}")
    if debtor_type in PUBLIC_TYPES:
        return COVERED
    if debtor_type == LARGE_TYPE:
        return COVERED if size in (None, "large") else NOT_COVERED
    if debtor_type == STATE_OWNED_TYPE:
        if size is None:
            return SIZE_UNKNOWN
        return COVERED if size == "large" else NOT_COVERED
    return NOT_COVERED


def may_be_covered(debtor_type: str, size: str | None = None) -> bool:
    """Whether a complaint or a ledger item may name this debtor: covered, or
    a state-owned enterprise whose size is still to be established (its
    handler checks it; the intake cannot refuse what it cannot know)."""
    return debtor_coverage(debtor_type, size) != NOT_COVERED
