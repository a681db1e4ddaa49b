"""The payment-term rule, checked against the Regulations' text (DOMAIN.md §2)
and dates read by hand from the official holiday schedules (DOMAIN.md §6)."""

from datetime import date

import pytest

from qingqian.core import workdays
from qingqian.core.payment_term import Article, ContractFacts, PaymentTermError, payment_term

D = date


def _calendar() -> workdays.Calendar:
    days, years = workdays.chinesecalendar_schedule()
    return workdays.Calendar({day.date: day.kind for day in days}, years)


CAL = _calendar()


def term(**facts):
    return payment_term(ContractFacts(**facts), CAL)


def test_an_agency_pays_within_30_days_and_a_holiday_moves_the_last_day():
    # 2025-09-01 + 30 days = 2025-10-01, National Day (10-1..10-8 off): 10-09.
    result = term(buyer_type="agency", signed_on=D(2025, 7, 1), delivered_on=D(2025, 9, 1))
    assert (result.version, result.term_days, result.deadline.date) == ("2025", 30, D(2025, 10, 9))
    assert result.articles == (Article("2025", 9),)
    assert result.agreed_term_lawful is None


def test_an_agreed_term_up_to_60_days_is_lawful_under_the_2020_text():
    # Signed 2024: the 2020 text, Art. 8. 2024-05-06 + 45 = 2024-06-20, a Thursday.
    result = term(
        buyer_type="institution",
        signed_on=D(2024, 3, 1),
        delivered_on=D(2024, 5, 6),
        agreed_days=45,
    )
    assert (result.version, result.deadline.date, result.agreed_term_lawful) == (
        "2020",
        D(2024, 6, 20),
        True,
    )
    assert result.articles == (Article("2020", 8),)


def test_an_agreed_term_over_60_days_is_cut_to_60_and_flagged():
    # 2025-08-31 + 60 = 2025-10-30, a Thursday.
    result = term(
        buyer_type="agency", signed_on=D(2025, 7, 1), delivered_on=D(2025, 8, 31), agreed_days=90
    )
    assert (result.term_days, result.deadline.date, result.agreed_term_lawful) == (
        60,
        D(2025, 10, 30),
        False,
    )
    assert "agreed_over_max" in result.notes


def test_a_large_enterprise_under_the_2020_text_has_no_number_of_days():
    result = term(buyer_type="large", signed_on=D(2024, 7, 1), delivered_on=D(2025, 9, 1))
    assert (result.deadline, result.term_days, result.statutory_days) == (None, None, None)
    assert result.notes == ("large_2020_no_number",)


def test_a_large_enterprise_from_2025_06_01_pays_within_60_days():
    # 2025-07-01 + 60 = 2025-08-30, a Saturday: the next working day is Monday 09-01.
    result = term(buyer_type="large", signed_on=D(2025, 6, 1), delivered_on=D(2025, 7, 1))
    assert (result.version, result.term_days, result.deadline.date) == ("2025", 60, D(2025, 9, 1))


def test_signed_the_day_before_the_revision_the_2020_text_applies():
    result = term(buyer_type="large", signed_on=D(2025, 5, 31), delivered_on=D(2025, 7, 1))
    assert (result.version, result.deadline) == ("2020", None)


def test_a_large_enterprise_may_agree_a_reasonable_longer_term():
    result = term(
        buyer_type="large", signed_on=D(2025, 7, 1), delivered_on=D(2025, 7, 1), agreed_days=90
    )
    assert (result.term_days, result.agreed_term_lawful) == (90, None)
    assert result.notes == ("large_agreed_reasonable", "large_agreed_longer_than_default")


def test_the_term_runs_from_acceptance_within_the_agreed_period():
    # 2025-07-10 + 30 = 2025-08-09, a Saturday: Monday 08-11.
    result = term(
        buyer_type="agency",
        signed_on=D(2025, 7, 1),
        delivered_on=D(2025, 7, 2),
        accepted_on=D(2025, 7, 10),
        acceptance_period_ends_on=D(2025, 7, 15),
    )
    assert (result.start_kind, result.deadline.date) == ("acceptance", D(2025, 8, 11))
    assert result.articles == (Article("2025", 9), Article("2025", 10))


def test_a_delayed_acceptance_runs_from_the_end_of_the_agreed_period():
    # 2025-07-15 + 30 = 2025-08-14, a Thursday.
    result = term(
        buyer_type="agency",
        signed_on=D(2025, 7, 1),
        delivered_on=D(2025, 7, 2),
        accepted_on=D(2025, 7, 20),
        acceptance_period_ends_on=D(2025, 7, 15),
    )
    assert (result.start_kind, result.deadline.date) == ("acceptance_period_end", D(2025, 8, 14))
    assert "acceptance_delayed" in result.notes


def test_a_confirmed_settlement_starts_the_term():
    # 2025-12-01 + 30 = 2025-12-31, a Wednesday.
    result = term(
        buyer_type="institution",
        signed_on=D(2025, 7, 1),
        delivered_on=D(2025, 8, 1),
        settled_on=D(2025, 12, 1),
    )
    assert (result.start_kind, result.deadline.date) == ("settlement", D(2025, 12, 31))


@pytest.mark.parametrize(
    ("signed", "note"),
    [(D(2025, 7, 1), "third_party_condition_2025"), (D(2024, 9, 1), "third_party_condition")],
)
def test_a_back_to_back_clause_is_flagged_and_does_not_move_the_date(signed, note):
    result = term(
        buyer_type="large",
        signed_on=signed,
        delivered_on=D(2025, 7, 1),
        agreed_days=30,
        conditional_on_third_party=True,
    )
    assert note in result.notes and result.term_days == 30


def test_a_contract_signed_before_the_regulations_is_flagged():
    result = term(buyer_type="agency", signed_on=D(2020, 8, 31), delivered_on=D(2020, 9, 10))
    assert "signed_before_regulations" in result.notes


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"buyer_type": "soe"}, "buyer_type"),
        ({"delivered_on": None}, "delivered"),
        ({"agreed_days": 0}, "agreed_days"),
        ({"accepted_on": D(2025, 8, 1)}, "accepted"),
    ],
)
def test_facts_the_rule_cannot_use_name_their_field(facts, field):
    base = {"buyer_type": "agency", "signed_on": D(2025, 7, 1), "delivered_on": D(2025, 9, 1)}
    with pytest.raises(PaymentTermError) as refused:
        term(**{**base, **facts})
    assert refused.value.field == field
