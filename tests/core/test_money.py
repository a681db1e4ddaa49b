"""Money: integer fen in, integer fen out; every refusal has a stable code."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingqian.core.money import (
    MAX_ABS_FEN,
    MoneyError,
    decimal_to_fen,
    fen_to_decimal,
    format_yuan,
    is_amount,
    parse_yuan,
    plain_fen,
    to_yuan_str,
)

fen_amounts = st.integers(min_value=-MAX_ABS_FEN, max_value=MAX_ABS_FEN)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1234", 123400),
        ("1234.5", 123450),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("1,234,567.89", 123456789),
        ("¥1,234.00", 123400),
        ("￥1,234.00", 123400),
        ("¥ 1,234.00", 123400),
        ("CNY 1,234.56", 123456),
        ("1234.56元", 123456),
        ("1,234.56 元", 123456),
        ("  12.30  ", 1230),
        ("\u300012\u3000", 1200),
        ("\t0.01\n", 1),
        ("0", 0),
        ("0.00", 0),
        ("0.5", 50),
        ("999", 99900),
        ("１２３４．５６", 123456),  # full-width digits from a Chinese IME
        ("１，２３４", 123400),
        ("999999999999999.99", MAX_ABS_FEN),
        ("999,999,999,999,999.99", MAX_ABS_FEN),
    ],
)
def test_parse_accepts(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "invalid_format"),
        ("12abc", "invalid_format"),
        ("1 234", "invalid_format"),
        ("1.2.3", "invalid_format"),
        (".5", "invalid_format"),
        ("5.", "invalid_format"),
        ("+5", "invalid_format"),
        ("$5", "invalid_format"),
        ("5 USD", "invalid_format"),
        ("1,234.5,6", "invalid_format"),
        ("¥", "invalid_format"),
        ("--5", "invalid_format"),
        ("1_000", "invalid_format"),
        ("0x10", "invalid_format"),
        ("١٢٣", "not_ascii_digits"),  # Arabic-Indic digits
        ("१२३", "not_ascii_digits"),  # Devanagari digits
        ("NaN", "not_finite"),
        ("nan", "not_finite"),
        ("Infinity", "not_finite"),
        ("-inf", "not_finite"),
        ("1e5", "exponent"),
        ("1E5", "exponent"),
        ("1.5e+3", "exponent"),
        ("2e-2", "exponent"),
        ("12,34", "bad_grouping"),
        ("1,2345", "bad_grouping"),
        ("1234,567", "bad_grouping"),
        ("1,234,56", "bad_grouping"),
        (",123", "invalid_format"),
        ("007", "leading_zero"),
        ("01.50", "leading_zero"),
        ("00", "leading_zero"),
        ("1.234", "too_many_decimals"),
        ("1.230", "too_many_decimals"),
        ("0.001", "too_many_decimals"),
        ("1000000000000000", "too_large"),
        ("1,000,000,000,000,000.00", "too_large"),
        ("9" * 5000, "too_large"),  # longer than int() would even convert
        ("-5", "negative"),
        ("-¥5.00", "negative"),
        ("－５", "negative"),  # full-width minus
    ],
)
def test_parse_refuses(text, code):
    with pytest.raises(MoneyError) as caught:
        parse_yuan(text)
    assert caught.value.code == code
    assert caught.value.message
    assert isinstance(caught.value, ValueError)


def test_negative_only_when_allowed():
    assert parse_yuan("-1,234.56", allow_negative=True) == -123456
    assert parse_yuan("-¥5", allow_negative=True) == -500
    assert parse_yuan("-0.00", allow_negative=True) == 0


def test_zero_refused_when_not_allowed():
    with pytest.raises(MoneyError) as caught:
        parse_yuan("0.00", allow_zero=False)
    assert caught.value.code == "zero"
    assert parse_yuan("0.01", allow_zero=False) == 1


def test_minus_zero_is_zero_not_negative():
    assert parse_yuan("-0") == 0


@pytest.mark.parametrize("value", [12.5, 1234, Decimal("1"), None, b"12"])
def test_parse_needs_text(value):
    with pytest.raises(TypeError):
        parse_yuan(value)


@pytest.mark.parametrize(
    ("fen", "zh", "en"),
    [
        (0, "¥0.00", "CNY 0.00"),
        (1, "¥0.01", "CNY 0.01"),
        (10, "¥0.10", "CNY 0.10"),
        (123456, "¥1,234.56", "CNY 1,234.56"),
        (100000000, "¥1,000,000.00", "CNY 1,000,000.00"),
        (-123456, "-¥1,234.56", "-CNY 1,234.56"),
    ],
)
def test_format_yuan(fen, zh, en):
    assert format_yuan(fen) == zh
    assert format_yuan(fen, "zh-CN") == zh
    assert format_yuan(fen, locale="en") == en


def test_format_unknown_locale():
    with pytest.raises(ValueError, match="locale"):
        format_yuan(100, "fr")


@pytest.mark.parametrize(
    ("fen", "plain", "decimal"),
    [
        (0, "0.00", Decimal("0.00")),
        (5, "0.05", Decimal("0.05")),
        (4550000, "45500.00", Decimal("45500.00")),
        (123456, "1234.56", Decimal("1234.56")),
        (-99, "-0.99", Decimal("-0.99")),
        (-123456, "-1234.56", Decimal("-1234.56")),
    ],
)
def test_plain_forms(fen, plain, decimal):
    assert to_yuan_str(fen) == plain
    assert fen_to_decimal(fen) == decimal
    assert str(fen_to_decimal(fen)) == plain


@pytest.mark.parametrize("function", [to_yuan_str, fen_to_decimal, format_yuan])
@pytest.mark.parametrize("value", [1.0, True, Decimal("1"), "100"])
def test_fen_must_be_int(function, value):
    with pytest.raises(TypeError):
        function(value)


@pytest.mark.parametrize("function", [to_yuan_str, fen_to_decimal, format_yuan])
def test_fen_out_of_range(function):
    with pytest.raises(MoneyError) as caught:
        function(MAX_ABS_FEN + 1)
    assert caught.value.code == "too_large"


def test_decimal_to_fen():
    assert decimal_to_fen(Decimal("1234.56")) == 123456
    assert decimal_to_fen(Decimal("1234.5")) == 123450
    assert decimal_to_fen(Decimal("-0.01")) == -1
    assert decimal_to_fen(Decimal("1.230")) == 123  # value, not notation, decides
    with pytest.raises(MoneyError) as caught:
        decimal_to_fen(Decimal("0.005"))
    assert caught.value.code == "too_many_decimals"
    with pytest.raises(MoneyError) as caught:
        decimal_to_fen(Decimal("NaN"))
    assert caught.value.code == "not_finite"
    with pytest.raises(TypeError):
        decimal_to_fen(1.5)


@given(fen=fen_amounts, locale=st.sampled_from(["zh-CN", "en"]))
def test_format_parse_round_trip(fen, locale):
    assert parse_yuan(format_yuan(fen, locale), allow_negative=True) == fen


@given(fen=fen_amounts)
def test_plain_and_decimal_round_trip(fen):
    assert parse_yuan(to_yuan_str(fen), allow_negative=True) == fen
    assert decimal_to_fen(fen_to_decimal(fen)) == fen
    assert fen_to_decimal(fen) == Decimal(to_yuan_str(fen))


@given(yuan=st.integers(min_value=0, max_value=10**15 - 1), cents=st.integers(0, 99))
def test_grouped_and_ungrouped_agree(yuan, cents):
    assert parse_yuan(f"{yuan:,}.{cents:02d}") == parse_yuan(f"{yuan}.{cents:02d}")
    assert parse_yuan(f"{yuan}.{cents:02d}") == yuan * 100 + cents


@given(text=st.text(max_size=30))
def test_parse_never_crashes_differently(text):
    """Any text either parses to an int in range or raises MoneyError, nothing else."""
    try:
        fen = parse_yuan(text, allow_negative=True)
    except MoneyError as exc:
        assert exc.code
    else:
        assert isinstance(fen, int)
        assert abs(fen) <= MAX_ABS_FEN


# --- the plain-form shortcut agrees with the full grammar ---


def full_grammar(text: str) -> int | None:
    try:
        return parse_yuan(text)
    except MoneyError:
        return None


@pytest.mark.parametrize(
    "text",
    ["0", "5", "0.5", "0.05", "10", "1234.56", "999999999999999.99", "1000000000000000", "007",
     "1.", ".5", "1.234", "1,234", "+1", "-1", " 1", "1 ", "１", "١", "1e3", "0.00", "", "00.1"],
)  # fmt: skip
def test_the_plain_amount_shortcut_agrees_with_parse_yuan(text):
    expected = full_grammar(text)
    fen = plain_fen(text)
    assert fen is None or fen == expected  # a shortcut never disagrees, only defers
    if text in ("0", "5", "0.5", "0.05", "10", "1234.56", "999999999999999.99"):
        assert fen == expected  # and it does take the everyday forms


@given(text=st.text(alphabet="0123456789.,-+ ¥元１", max_size=22))
def test_the_plain_shortcut_never_disagrees(text):
    fen = plain_fen(text)
    assert fen is None or fen == full_grammar(text)
    assert is_amount(text) == (full_grammar(text) is not None)


@given(fen=st.integers(min_value=0, max_value=MAX_ABS_FEN))
def test_the_plain_shortcut_takes_every_plain_amount(fen):
    assert plain_fen(to_yuan_str(fen)) == fen
    assert plain_fen(str(fen // 100)) == fen // 100 * 100
