"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Structure of the 18 characters (alphabet ``0-9`` and ``A-Y`` without I O Z S V):

* 1: registration authority (9 = market regulation), 2: entity type;
* 3-8: region code of the registering authority (GB/T 2260);
* 9-17: the organisation code (GB 11714: 8 characters plus its own check digit);
* 18: check digit over the first 17 (GB/T 17710 MOD 31-3, via python-stdnum).

Besides the overall check digit (computed with ``stdnum.cn.uscc``) we check
what stdnum does not: the organisation code's own check digit (a code whose
positions 9-17 fail GB 11714 is invalid even when digit 18 fits) and that
positions 3-4 name a known province.

Two deliberate differences from stdnum's ``validate``:

* positions 1-2 may be letters from the alphabet, as GB 32100 allows
  (e.g. ``Y`` for "other" registration authorities); stdnum wants digits;
* region ``100000`` is accepted: authorities at national level register with
  it (ICBC's code is 91100000100003962T), though it is not a province.

Input is normalised before checking (whitespace and hyphens removed,
upper-cased, full-width forms folded to ASCII by stdnum), so
``9144 0300-1922 0382 16``, lower-case letters and IME full-width digits are
fine.

`valid_uscc` and `quick_uscc` are the fast path of the same rules, for the
ledger importer: a return repeats a few thousand codes down a million rows,
so answers are cached and an already-clean code is checked without building
a result. They agree with `check_uscc` (the tests compare them) and leave
the explaining to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from operator import mul

from stdnum.cn import uscc as stdnum_uscc

from qingqian.core import regions
from qingqian.core.spreadsheets import FORMULA_STARTS

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FORBIDDEN_LETTERS = "IOZSV"
LENGTH = 18
NATIONAL_REGION = "100000"
# GB 11714, the organisation code inside: weights, and the check character of
# each value of 11 - (weighted sum mod 11). Digits count as themselves, letters
# A-Z as 10-35 (base 36).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK = {remainder: str(remainder) for remainder in range(1, 10)} | {10: "X", 11: "0"}


@dataclass(frozen=True)
class UsccResult:
    """The outcome of a check. ``reason_code`` is stable (for translation and
    tests): ``ok``, ``empty``, ``wrong_length``, ``forbidden_letter``,
    ``invalid_character``, ``region_not_numeric``, ``unknown_province``,
    ``check_digit``, ``org_check_digit``."""

    valid: bool
    code: str
    reason: str
    reason_code: str


def normalise(code: str) -> str:
    """Strip whitespace and hyphens, upper-case."""
    if not isinstance(code, str):
        raise TypeError(f"a USCC is text, got {type(code).__name__}")
    return "".join(stdnum_uscc.compact(code).split())


def check_uscc(code: str) -> UsccResult:
    """Check one code and say why it fails; the first failing rule wins."""
    normal = normalise(code)
    for rule in (_length_problem, _character_problem, _region_problem, _check_digit_problem):
        problem = rule(normal)
        if problem:
            reason_code, reason = problem
            return UsccResult(False, normal, reason, reason_code)
    return UsccResult(True, normal, "valid", "ok")


def is_valid_uscc(code: str) -> bool:
    return check_uscc(code).valid


def _length_problem(code: str) -> tuple[str, str] | None:
    if not code:
        return "empty", "no code given"
    if len(code) != LENGTH:
        return "wrong_length", f"must be {LENGTH} characters, got {len(code)}"
    return None


def _character_problem(code: str) -> tuple[str, str] | None:
    for position, char in enumerate(code, start=1):
        if char in FORBIDDEN_LETTERS:
            return (
                "forbidden_letter",
                f"letter {char} at position {position} is never used (I, O, Z, S, V are excluded)",
            )
        if char not in ALPHABET:
            return "invalid_character", f"character {char!r} at position {position} is not allowed"
    return None


def _region_problem(code: str) -> tuple[str, str] | None:
    region = code[2:8]
    if not regions.is_code_shaped(region):
        return "region_not_numeric", f"positions 3-8 must be a 6-digit region code, got {region}"
    if region != NATIONAL_REGION and not regions.has_known_province(region):
        return "unknown_province", f"region code {region}: no province has the prefix {region[:2]}"
    return None


def _check_digit_problem(code: str) -> tuple[str, str] | None:
    expected = stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        return "check_digit", f"check digit mismatch (expected {expected})"
    expected_org = org_code_check_digit(code[8:16])
    if code[16] != expected_org:
        return (
            "org_check_digit",
            f"organisation code (positions 9-17) check digit mismatch (expected {expected_org})",
        )
    return None


def org_code_check_digit(body: str) -> str:
    """GB 11714 check digit of an 8-character organisation code body.

    C9 = 11 - (sum of value*weight mod 11), with 10 written X and 11 written 0;
    digits count as themselves and letters A-Z as 10-35.
    """
    if len(body) != 8 or not all(c.isascii() and c.isalnum() for c in body):
        raise ValueError(f"an organisation code body is 8 letters or digits, got {body!r}")
    total = sum(int(char, 36) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True))
    return _ORG_CHECK[11 - total % 11]


# --- the fast path ---------------------------------------------------------------

_CLEAN_CODE = re.compile(f"[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}")
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, position, 31) for position in range(17))  # GB 32100 (as stdnum has them)
_ORG_VALUES = {char: int(char, 36) for char in ALPHABET}


def _clean_code_is_valid(code: str) -> bool:
    """Fast check of an already-normalised code; equals ``check_uscc(code).valid``
    (a test compares them), in a fraction of its time. False means "let
    check_uscc decide and explain", not necessarily invalid."""
    if not _CLEAN_CODE.fullmatch(code):
        return False
    region = code[2:8]
    if region != NATIONAL_REGION and not regions.has_known_province(region):
        return False
    total = sum(map(mul, map(_VALUES.__getitem__, code[:17]), _WEIGHTS))
    if code[17] != ALPHABET[-total % 31]:
        return False
    org_total = sum(map(mul, map(_ORG_VALUES.__getitem__, code[8:16]), _ORG_WEIGHTS))
    return code[16] == _ORG_CHECK[11 - org_total % 11]


CODE_CACHE_SIZE = 100_000
# Checked codes as written -> the normalised code, or "" when invalid. Debtors
# and creditors repeat down a ledger; about 170 bytes an entry. A plain dict is
# cheaper per lookup than lru_cache; when full, the older half goes.
_checked_codes: dict[str, str] = {}


def valid_uscc(text: str) -> str | None:
    """The normalised code if ``text`` is a valid credit code, else None (why
    it is bad is asked of check_uscc when the error is written)."""
    code = _checked_codes.get(text)
    if code is None:
        if len(_checked_codes) >= CODE_CACHE_SIZE:
            for old in list(islice(_checked_codes, CODE_CACHE_SIZE // 2)):
                _checked_codes.pop(old, None)  # another thread may have evicted it
        code = _checked_codes[text] = _normalised_if_valid(text)
    return code or None


def _normalised_if_valid(text: str) -> str:
    if _clean_code_is_valid(text):
        return text
    result = check_uscc(text)
    return result.code if result.valid else ""


def quick_uscc(cell: object) -> str | None:
    """The normalised code of a spreadsheet cell that holds a valid one as
    plain text, else None. A cell starting like a formula is never taken
    here ("-9144..." would lose its hyphen to normalising): the caller's full
    check refuses it with its reason."""
    if type(cell) is str and cell and cell[0] not in FORMULA_STARTS:
        text = cell.strip()
        return _checked_codes.get(text) or valid_uscc(text)
    return None
