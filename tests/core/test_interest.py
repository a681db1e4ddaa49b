"""Overdue interest, each expected value computed by hand in the comment beside it."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingqian.core.interest import (
    InterestError,
    LprTable,
    overdue_interest,
    packaged_lpr_rows,
    packaged_lpr_table,
    round_half_up,
)

D = date
YUAN = 100  # fen per yuan


def test_statutory_rate_91_days():
    # 2025-04-01..2025-06-30 = 30 + 31 + 30 = 91 days; 1,000,000 yuan x 0.05% x 91 = 45,500 yuan
    result = overdue_interest(1_000_000 * YUAN, D(2025, 3, 31), [], D(2025, 6, 30))
    assert result.total_fen == 45_500 * YUAN
    assert result.basis.kind == "statutory"
    assert "0.05% per day" in result.basis.explanation
    assert [(p.start, p.end, p.days) for p in result.periods] == [
        (D(2025, 4, 1), D(2025, 6, 30), 91)
    ]
    assert result.warnings == ()


def test_agreed_rate_above_lpr_is_used():
    # LPR on 2023-09-01 is 3.45% (from 2023-08-21). 100,000 yuan at 6%/365, 2024-02-01..03-01
    # = 29 (leap February) + 1 = 30 days: 10,000,000 x 0.06 x 30 / 365 = 49,315.07 fen.
    result = overdue_interest(
        100_000 * YUAN, D(2024, 1, 31), [], D(2024, 3, 1), Decimal("6"), D(2023, 9, 1)
    )
    assert result.total_fen == 49_315
    assert result.basis.kind == "agreed"
    assert result.basis.annual_percent == Decimal("6")
    assert result.basis.lpr_percent == Decimal("3.45")


def test_agreed_rate_below_lpr_is_raised_to_it():
    # 10 days (2024-07-01..07-10) at 3.45%: 10,000,000 x 0.0345 x 10 / 365 = 9,452.05 fen.
    result = overdue_interest(
        100_000 * YUAN, D(2024, 6, 30), [], D(2024, 7, 10), Decimal("2.5"), D(2023, 9, 1)
    )
    assert result.total_fen == 9_452
    assert result.basis.kind == "agreed_raised_to_lpr"
    assert result.basis.explanation.startswith(
        "agreed 2.5% a year raised to the 1Y LPR 3.45% in force on the signing date 2023-09-01"
    )


def test_partial_payment_splits_periods_and_accrues_on_its_own_day():
    # 04-01..04-10 (10 days) on 10,000 yuan: 10 x 1,000,000 fen x 0.0005 = 5,000 fen;
    # 04-11..04-20 (10 days) on 6,000 yuan: 3,000 fen. Total 8,000 fen = 80.00 yuan.
    result = overdue_interest(
        10_000 * YUAN, D(2025, 3, 31), [(D(2025, 4, 10), 4_000 * YUAN)], D(2025, 4, 20)
    )
    assert result.total_fen == 8_000
    assert [(p.start, p.end, p.principal_fen, p.interest_fen) for p in result.periods] == [
        (D(2025, 4, 1), D(2025, 4, 10), 1_000_000, 5_000),
        (D(2025, 4, 11), D(2025, 4, 20), 600_000, 3_000),
    ]


def test_payment_on_the_due_date_reduces_principal_before_accrual():
    # 6,000 yuan x 0.05% x 20 days (04-01..04-20) = 60 yuan.
    result = overdue_interest(
        10_000 * YUAN, D(2025, 3, 31), [(D(2025, 3, 31), 4_000 * YUAN)], D(2025, 4, 20)
    )
    assert result.total_fen == 6_000
    assert result.periods[0].principal_fen == 600_000


def test_full_payment_stops_accrual():
    result = overdue_interest(
        10_000 * YUAN, D(2025, 3, 31), [(D(2025, 4, 10), 10_000 * YUAN)], D(2025, 6, 30)
    )
    assert result.total_fen == 5_000  # only 04-01..04-10
    assert len(result.periods) == 1


def test_two_payments_on_the_same_day():
    result = overdue_interest(
        10_000 * YUAN,
        D(2025, 3, 31),
        [(D(2025, 4, 10), 1_000 * YUAN), (D(2025, 4, 10), 3_000 * YUAN)],
        D(2025, 4, 20),
    )
    assert result.total_fen == 8_000


@pytest.mark.parametrize(
    ("principal_fen", "expected"),
    [
        (1_000, 1),  # 1,000 x 0.0005 = 0.5 fen: half-up to 1 (banker's rounding would give 0)
        (999, 0),  # 0.4995 fen
        (3_000, 2),  # 1.5 fen
        (5_000, 3),  # 2.5 fen: half-up to 3 (banker's would give 2)
    ],
)
def test_rounds_half_up_to_the_fen(principal_fen, expected):
    result = overdue_interest(principal_fen, D(2025, 3, 31), [], D(2025, 4, 1))
    assert result.total_fen == expected


def test_rounds_once_at_the_end_not_per_period():
    # 04-01 on 3,000 fen = 1.5 fen, then 2,000 paid; 04-02 on 1,000 fen = 0.5 fen.
    # Exact total 2.0 fen -> 2; rounding each period first would give 2 + 1 = 3.
    result = overdue_interest(3_000, D(2025, 3, 31), [(D(2025, 4, 1), 2_000)], D(2025, 4, 2))
    assert result.total_exact == 2
    assert result.total_fen == 2
    assert sum(period.interest_fen for period in result.periods) == 3


def test_end_before_or_on_due_date_is_zero():
    assert overdue_interest(100_000, D(2025, 3, 31), [], D(2025, 3, 1)).total_fen == 0
    assert overdue_interest(100_000, D(2025, 3, 31), [], D(2025, 3, 31)).periods == ()


def test_signing_before_the_regulations_is_flagged_and_optionally_cut():
    args = (10_000 * YUAN, D(2020, 6, 30), [], D(2020, 9, 10))
    # 07-01..09-10 = 31 + 31 + 10 = 72 days x 500 fen = 36,000 fen
    plain = overdue_interest(*args, signed_on=D(2019, 12, 1))
    assert plain.total_fen == 36_000
    assert len(plain.warnings) == 1 and "2019-12-01" in plain.warnings[0]
    assert "NOT limited" in plain.warnings[0]
    # from 2020-09-01: 09-01..09-10 = 10 days x 500 fen
    cut = overdue_interest(*args, signed_on=D(2019, 12, 1), accrue_from_regulations_start=True)
    assert cut.total_fen == 5_000
    assert "as requested" in cut.warnings[0]


def test_due_before_regulations_without_signing_date_is_flagged():
    result = overdue_interest(100_000, D(2020, 6, 30), [], D(2020, 7, 1))
    assert result.warnings and "give the signing date" in result.warnings[0]


def test_payment_after_end_date_is_reported_not_counted():
    result = overdue_interest(100_000, D(2025, 3, 31), [(D(2025, 5, 1), 50_000)], D(2025, 4, 10))
    assert result.total_fen == 500  # 10 days x 100,000 x 0.0005
    assert "after the end date" in result.warnings[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"agreed_annual_rate": Decimal("4")}, "signed_on"),
        ({"agreed_annual_rate": 4.0, "signed_on": D(2023, 1, 1)}, "never a float"),
        ({"agreed_annual_rate": Decimal("-1"), "signed_on": D(2023, 1, 1)}, "percent"),
        ({"agreed_annual_rate": Decimal("4"), "signed_on": D(2019, 8, 19)}, "2019-08-20"),
    ],
)
def test_rate_errors(kwargs, message):
    with pytest.raises(InterestError, match=message):
        overdue_interest(100_000, D(2025, 3, 31), [], D(2025, 4, 30), **kwargs)


@pytest.mark.parametrize(
    ("principal", "payments", "message"),
    [
        (100_000, [(D(2025, 4, 1), 60_000), (D(2025, 4, 2), 50_000)], "more than the 40000"),
        (100_000, [(D(2025, 4, 1), 0)], "payment 1 amount"),
        (100_000, [("2025-04-01", 10)], "payment 1 date"),
        (-1, [], "principal_fen"),
        (Decimal("100"), [], "principal_fen"),
    ],
)
def test_amount_errors(principal, payments, message):
    with pytest.raises(InterestError, match=message):
        overdue_interest(principal, D(2025, 3, 31), payments, D(2025, 4, 30))


# --- the LPR table ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (D(2019, 8, 20), "4.25"),
        (D(2019, 9, 19), "4.25"),
        (D(2019, 9, 20), "4.20"),
        (D(2020, 9, 1), "3.85"),
        (D(2023, 9, 1), "3.45"),
        (D(2024, 10, 21), "3.10"),
        (D(2026, 9, 30), "3.00"),
    ],
)
def test_packaged_lpr_is_a_step_function(day, rate):
    assert packaged_lpr_table().rate_on(day) == Decimal(rate)


def test_packaged_lpr_rows_match_the_domain_table_and_keep_sources():
    rows = packaged_lpr_rows()
    assert len(rows) == 13
    assert (rows[0].effective_from, rows[-1].effective_from) == (D(2019, 8, 20), D(2025, 5, 20))
    assert all(row.source for row in rows)


def test_lpr_before_first_fixing_is_an_error():
    with pytest.raises(InterestError, match="2019-08-20"):
        packaged_lpr_table().rate_on(D(2019, 8, 19))


def test_lpr_table_checks_its_rows():
    with pytest.raises(InterestError, match="same date"):
        LprTable([(D(2020, 1, 1), Decimal("4")), (D(2020, 1, 1), Decimal("3"))])
    with pytest.raises(InterestError, match="empty"):
        LprTable([]).rate_on(D(2020, 1, 1))


def test_round_half_up():
    assert [round_half_up(Fraction(n, 2)) for n in range(5)] == [0, 1, 1, 2, 2]


# --- properties -----------------------------------------------------------------

due_dates = st.dates(min_value=D(2021, 1, 1), max_value=D(2025, 12, 31))
principals = st.integers(min_value=0, max_value=10**12)
rates = st.one_of(st.none(), st.decimals(min_value=0, max_value=30, places=2))


def _payments(draw_principal, due):
    return st.lists(
        st.tuples(
            st.dates(min_value=due - timedelta(days=10), max_value=due + timedelta(days=400)),
            st.integers(min_value=1, max_value=max(1, draw_principal // 4)),
        ),
        max_size=4,
    )


@st.composite
def cases(draw):
    due = draw(due_dates)
    principal = draw(st.integers(min_value=4, max_value=10**12))
    payments = draw(_payments(principal, due))
    rate = draw(rates)
    return principal, due, payments, rate


def _kwargs(rate):
    return {} if rate is None else {"agreed_annual_rate": rate, "signed_on": D(2021, 1, 1)}


@settings(max_examples=150, deadline=None)
@given(case=cases(), days=st.integers(min_value=0, max_value=400), more=st.integers(0, 200))
def test_total_is_monotonic_in_end_date(case, days, more):
    principal, due, payments, rate = case
    end = due + timedelta(days=days)
    earlier = overdue_interest(principal, due, payments, end, **_kwargs(rate))
    later = overdue_interest(principal, due, payments, end + timedelta(days=more), **_kwargs(rate))
    assert earlier.total_exact <= later.total_exact


@settings(max_examples=150, deadline=None)
@given(case=cases(), days=st.integers(min_value=0, max_value=400))
def test_payments_never_increase_interest(case, days):
    principal, due, payments, rate = case
    end = due + timedelta(days=days)
    with_payments = overdue_interest(principal, due, payments, end, **_kwargs(rate))
    without = overdue_interest(principal, due, [], end, **_kwargs(rate))
    assert with_payments.total_exact <= without.total_exact


@settings(max_examples=150, deadline=None)
@given(case=cases(), days=st.integers(min_value=0, max_value=400))
def test_total_is_the_rounded_sum_of_daily_accruals(case, days):
    principal, due, payments, rate = case
    end = due + timedelta(days=days)
    result = overdue_interest(principal, due, payments, end, **_kwargs(rate))
    daily_rate = result.basis.daily_rate
    exact, day = Fraction(0), due + timedelta(days=1)
    while day <= end:
        paid_before = sum(fen for paid_on, fen in payments if paid_on < day)
        exact += (principal - paid_before) * daily_rate  # the payment day accrues in full
        day += timedelta(days=1)
    assert result.total_exact == exact
    assert result.total_fen == round_half_up(exact)
