"""Money as integer fen (分), parsed from and formatted to yuan at the edges.

Every amount inside the platform is an ``int`` of fen; a float never touches
money because binary floats cannot hold 0.1 yuan exactly. This module is the
only place where text becomes fen and fen becomes text.

What ``parse_yuan`` accepts (anything else is refused with a `MoneyError`):

* surrounding whitespace (any Unicode space, including the ideographic space);
* an optional leading ``-`` (only with ``allow_negative=True``);
* an optional currency marker before the number: ``¥``, ``￥`` (the full-width
  sign Chinese input methods produce) or ``CNY``, and/or ``元`` after it;
* ASCII digits, or their full-width forms ``０-９`` with the full-width comma,
  full stop and minus (an IME often produces these; they are unambiguous, so
  they are mapped to ASCII). Other Unicode digits (Arabic-Indic, superscripts,
  circled numbers...) are refused: they are not how anyone writes yuan;
* thousands separators only as ``,`` in correct groups of three
  (``1,234,567.89``; ``12,34`` is refused), no leading zeros (``007``);
* at most two decimals (``1234.5`` is 123450 fen; ``1.005`` is refused, never
  rounded: rounding someone's claim is not ours to do);
* magnitudes below 10^15 yuan (a thousand trillion; larger is a typo).

Most amounts a ledger return holds are plain (``1234``, ``1234.56``):
`plain_fen` reads those without the regular expressions, and `parse_yuan`
asks it first (a test compares it with the full grammar).

Errors carry a machine ``code`` (see `MoneyError`) and an English message; the
web layer translates by code, so this module stays free of Django.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

FEN_PER_YUAN = 100
MAX_YUAN_DIGITS = 15
MAX_ABS_FEN = 10**MAX_YUAN_DIGITS * FEN_PER_YUAN - 1  # 999,999,999,999,999.99 yuan
LOCALES = ("zh-CN", "en")

_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "，": ",",
        "．": ".",
        "－": "-",
        "\u3000": " ",
    }
)
_AMOUNT = re.compile(
    r"(?P<sign>-)?\s*(?:(?:¥|￥|CNY)\s*)?"
    r"(?P<int>[0-9][0-9,]*)(?:\.(?P<frac>[0-9]+))?"
    r"\s*(?:元)?",
    re.ASCII,
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)
_NOT_FINITE = re.compile(r"[-+]?\s*(?:nan|inf|infinity)", re.IGNORECASE)
_EXPONENT = re.compile(r"[0-9.][eE][-+]?[0-9]")


class MoneyError(ValueError):
    """An amount the user typed cannot be taken as money.

    ``code`` is stable and machine-readable, for translation and tests:
    ``empty``, ``invalid_format``, ``not_ascii_digits``, ``not_finite``,
    ``exponent``, ``bad_grouping``, ``leading_zero``, ``too_many_decimals``,
    ``too_large``, ``negative``, ``zero``.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def parse_yuan(text: str, *, allow_negative: bool = False, allow_zero: bool = True) -> int:
    """Parse a yuan amount written by a person into integer fen, strictly."""
    if not isinstance(text, str):
        raise TypeError(f"parse_yuan expects text, got {type(text).__name__}")
    fen = plain_fen(text)
    if fen is None:
        fen = _parse_written(text)
    _check_sign(fen, allow_negative=allow_negative, allow_zero=allow_zero)
    return fen


def plain_fen(text: str) -> int | None:
    """Fen of the plain form ``1234``, ``1234.5`` or ``1234.56`` (ASCII digits,
    no sign, grouping or leading zero, below 10^15 yuan), else None. Exactly
    what parse_yuan returns for it, without a regex: most cells look so."""
    whole, dot, decimals = text.partition(".")
    if not (whole.isdigit() and whole.isascii() and len(whole) <= MAX_YUAN_DIGITS):
        return None
    if whole[0] == "0" and len(whole) > 1:
        return None
    if not dot:
        return int(whole) * FEN_PER_YUAN
    if decimals.isdigit() and decimals.isascii() and len(decimals) <= 2:
        return int(whole) * FEN_PER_YUAN + int(decimals) * (10 if len(decimals) == 1 else 1)
    return None


def is_amount(text: str) -> bool:
    """Whether `parse_yuan` takes ``text`` as an amount."""
    try:
        parse_yuan(text)
    except MoneyError:
        return False
    return True


def _parse_written(text: str) -> int:
    """The full grammar: full-width forms, markers, grouping, a sign."""
    cleaned = text.translate(_FULL_WIDTH).strip()
    match = _match_amount(cleaned)
    integer_digits = _integer_digits(match.group("int"))
    fen = _to_fen(integer_digits, match.group("frac") or "")
    return -fen if match.group("sign") else fen


def _match_amount(cleaned: str) -> re.Match:
    """Fullmatch the grammar, or explain the most useful way in which it failed."""
    if not cleaned:
        raise MoneyError("empty", "no amount given")
    match = _AMOUNT.fullmatch(cleaned)
    if match:
        return match
    if _NOT_FINITE.fullmatch(cleaned):
        raise MoneyError("not_finite", f"{cleaned!r} is not a number")
    if _EXPONENT.search(cleaned):
        raise MoneyError("exponent", f"{cleaned!r}: write the amount in full, without an exponent")
    if any(unicodedata.category(ch) == "Nd" and not ch.isascii() for ch in cleaned):
        raise MoneyError("not_ascii_digits", f"{cleaned!r}: use the digits 0-9")
    raise MoneyError("invalid_format", f"{cleaned!r} is not an amount in yuan (example: 1,234.56)")


def _integer_digits(integer_part: str) -> str:
    """Check thousands grouping and leading zeros; return the bare digits."""
    if "," in integer_part and not _GROUPED.fullmatch(integer_part):
        raise MoneyError(
            "bad_grouping", f"{integer_part!r}: thousands separators must split groups of 3 digits"
        )
    digits = integer_part.replace(",", "")
    if len(digits) > 1 and digits.startswith("0"):
        raise MoneyError("leading_zero", f"{integer_part!r}: remove the leading zeros")
    if len(digits) > MAX_YUAN_DIGITS:
        raise MoneyError("too_large", "amount must be below 10^15 yuan")
    return digits


def _to_fen(integer_digits: str, fraction: str) -> int:
    if len(fraction) > 2:
        raise MoneyError(
            "too_many_decimals", f"at most 2 decimals (fen) allowed, got {len(fraction)}"
        )
    return int(integer_digits) * FEN_PER_YUAN + int(fraction.ljust(2, "0"))


def _check_sign(fen: int, *, allow_negative: bool, allow_zero: bool) -> None:
    if fen < 0 and not allow_negative:
        raise MoneyError("negative", "amount may not be negative")
    if fen == 0 and not allow_zero:
        raise MoneyError("zero", "amount may not be zero")


def _check_fen(fen: int) -> None:
    """Fen must be a true int (not bool, float or Decimal) within the supported range."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be an int, got {type(fen).__name__}")
    if abs(fen) > MAX_ABS_FEN:
        raise MoneyError("too_large", "amount must be below 10^15 yuan")


def to_yuan_str(fen: int) -> str:
    """Plain decimal yuan with exactly two decimals, no grouping: 4550000 -> "45500.00"."""
    _check_fen(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan}.{cents:02d}"


def fen_to_decimal(fen: int) -> Decimal:
    """Exact Decimal yuan with two places (for arithmetic that needs yuan, e.g. rates)."""
    _check_fen(fen)
    return Decimal(fen).scaleb(-2)


def decimal_to_fen(yuan: Decimal) -> int:
    """Exact Decimal yuan to fen; refuses sub-fen values rather than rounding them."""
    if not isinstance(yuan, Decimal):
        raise TypeError(f"expected Decimal, got {type(yuan).__name__}")
    if not yuan.is_finite():
        raise MoneyError("not_finite", f"{yuan} is not a number")
    fen = yuan.scaleb(2)
    if fen != fen.to_integral_value():
        raise MoneyError("too_many_decimals", f"{yuan}: at most 2 decimals (fen) allowed")
    result = int(fen)
    _check_fen(result)
    return result


def format_yuan(fen: int, locale: str = "zh-CN") -> str:
    """Display form with thousands grouping.

    zh-CN: ``¥1,234.56`` (the sign used on Chinese invoices and screens);
    en: ``CNY 1,234.56`` (the ISO code, because "¥" alone also means yen to an
    English reader). A negative amount puts the minus first: ``-¥1,234.56``.
    Both forms parse back with `parse_yuan` to the same fen.
    """
    _check_fen(fen)
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {', '.join(LOCALES)}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    number = f"{yuan:,}.{cents:02d}"
    marker = "¥" if locale == "zh-CN" else "CNY "
    return f"{sign}{marker}{number}"
