"""Rule explanations in the reader's language."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from qingqian.core.messages import deadline_rule_label, size_reason_label
from qingqian.core.sizeclass import classify


def test_working_days_rule_in_both_languages():
    args = (date(2026, 12, 3), date(2026, 12, 17))
    with translation.override("en"):
        assert deadline_rule_label(*args, working_days=10) == (
            "10 working days after 2026-12-03, counted from the next day (Civil Code Art. 201)."
        )
    with translation.override("zh-hans"):
        label = deadline_rule_label(*args, working_days=10)
    assert "2026-12-03" in label and "10个工作日" in label and "第二百零一条" in label


def test_calendar_days_rolled_past_a_holiday_say_so():
    # 30 days after 2026-09-01 is 1 October, National Day: due on the next working day.
    with translation.override("en"):
        rolled = deadline_rule_label(date(2026, 9, 1), date(2026, 10, 8), days=30)
        plain = deadline_rule_label(date(2026, 9, 1), date(2026, 10, 1), days=30)
    assert rolled.startswith("30 days after 2026-09-01")
    assert "2026-10-01 is not a working day" in rolled and "Art. 203" in rolled
    assert "Art. 203" not in plain
    with translation.override("zh-hans"):
        label = deadline_rule_label(date(2026, 9, 1), date(2026, 10, 8), days=30)
    assert "2026-10-01" in label and "第二百零三条" in label


def retail_basis() -> dict:
    # Retail, 40 staff, revenue 8 million yuan: small (hand-checked in test_sizeclass).
    result = classify("retail", 40, Decimal("800"), None, date(2025, 3, 1))
    steps = [step.as_dict() for step in result.steps]
    return {"standard": result.standard, "industry": result.industry, "steps": steps}


def test_size_reason_in_both_languages():
    with translation.override("en"):
        assert size_reason_label(retail_basis()) == (
            "Retail, under MIIT-2011-300: "
            "below the large-enterprise line (staff 40 < 300, revenue (10,000 yuan) 800 < 20000); "
            "below the medium-enterprise floor (staff 40 < 50); "
            "meets the small-enterprise floor (staff 40 ≥ 10, revenue (10,000 yuan) 800 ≥ 100)"
        )
    with translation.override("zh-hans"):
        label = size_reason_label(retail_basis())
    assert label.startswith("零售业")
    assert "从业人员 40 < 300" in label and "达到小型企业下限" in label
    assert not any(word in label for word in ("below", "meets", "staff", "retail"))


def test_size_errors_and_unrecorded_reasons():
    with translation.override("zh-hans"):
        missing = size_reason_label({"error": "missing_measure", "measure": "revenue"})
    assert "营业收入" in missing
    assert size_reason_label({}) == ""


def _schedule_problems(text):
    from qingqian.core.workdays import ScheduleError, parse_schedule_csv

    with pytest.raises(ScheduleError) as info:
        parse_schedule_csv(text)
    return info.value.problems


BAD_SCHEDULE = "日期,类别,名称\n2027-02-30,休,x\n2027-02-03,班,x\n2027-10-01\n"


def test_schedule_problems_in_chinese_name_the_line_and_the_column():
    from qingqian.core.messages import schedule_problem_label

    with translation.override("zh-hans"):
        labels = [schedule_problem_label(p) for p in _schedule_problems(BAD_SCHEDULE)]
    assert labels[0].startswith("第 2 行，日期：") and "2027-02-30" in labels[0]
    assert labels[1].startswith("第 3 行，类别：") and "周六或周日" in labels[1]
    assert labels[2].startswith("第 4 行：") and "1" in labels[2]


def test_schedule_problems_in_english_name_the_line_and_the_column():
    from qingqian.core.messages import schedule_problem_label

    with translation.override("en"):
        labels = [schedule_problem_label(p) for p in _schedule_problems(BAD_SCHEDULE)]
    assert labels[0].startswith("Line 2, date: ")
    assert labels[1].startswith("Line 3, kind: ") and "Saturday or Sunday" in labels[1]
    assert labels[2].startswith("Line 4: expected three columns")


def _interest_error(**kwargs):
    from qingqian.core.interest import InterestError, overdue_interest

    args = {"principal_fen": 100_00, "due_date": date(2025, 1, 1), "payments": []}
    args["end_date"] = date(2025, 6, 30)
    with pytest.raises(InterestError) as info:
        overdue_interest(**{**args, **kwargs})
    return info.value


@pytest.mark.parametrize(
    ("kwargs", "english", "chinese"),
    [
        ({"principal_fen": -1}, "amount owed: enter an amount of zero or more", "欠款金额："),
        ({"due_date": "2025-01-01"}, "due date: enter a date like 2026-10-01", "到期日："),
        (
            {"agreed_annual_rate": Decimal("120")},
            "agreed annual rate: enter a percent from 0 to under 100",
            "约定年利率：",
        ),
        (
            {"agreed_annual_rate": Decimal("5")},
            "contract signing date: an agreed rate needs the contract signing date",
            "合同签订日期：",
        ),
        (
            {"payments": [(date(2025, 2, 1), 50_00), (date(2025, 2, 2), "x")]},
            "amount of payment 2: enter an amount in yuan with at most 2 decimals",
            "第 2 笔付款的金额：",
        ),
        (
            {"payments": [(date(2025, 2, 1), 150_00)]},
            "payments: CNY 150.00 paid on 2025-02-01 is more than the CNY 100.00 still outstanding",
            "付款：2025-02-01 支付的 ¥150.00 超过尚未支付的 ¥100.00",
        ),
    ],
)
def test_interest_input_errors_name_the_field_in_both_languages(kwargs, english, chinese):
    from qingqian.core.messages import interest_error_label

    error = _interest_error(**kwargs)
    with translation.override("en"):
        assert interest_error_label(error).startswith(english)
    with translation.override("zh-hans"):
        label = interest_error_label(error)
    assert label.startswith(chinese) and not any("a" <= c <= "z" for c in label.split("：")[0])


def test_the_coverage_rule_reads_the_same_in_both_languages():
    from qingqian.core.coverage import RULE_TEXT
    from qingqian.core.messages import COVERAGE_RULE

    with translation.override("en"):
        assert str(COVERAGE_RULE) == RULE_TEXT  # the API's description says it the same way
    with translation.override("zh-hans"):
        rule = str(COVERAGE_RULE)
    assert "机关、事业单位和大型企业" in rule and "国有企业属于大型企业的适用" in rule
    assert "属于中小企业的不适用" in rule
