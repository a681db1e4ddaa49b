"""Rule explanations in the reader's language."""

from datetime import date
from decimal import Decimal

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
