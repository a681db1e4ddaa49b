"""Size classification per 工信部联企业〔2011〕300号, boundary by boundary.

The TABLE below is typed by hand from the standard (DOMAIN.md §4), not read
from the data file, so a typo in either shows up as a failing test.
"""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingqian.core.sizeclass import (
    Classification,
    SizeClassError,
    Step,
    classify,
    list_industries,
    parse_standards,
    standard_on,
    standards,
)

ON = date(2024, 6, 1)
STANDARD_2011 = "MIIT-2011-300"

# industry: (measures, large line, medium floor, small floor); values in the
# order of the measures; staff in persons, revenue/assets in 10,000 yuan.
TABLE = {
    "agriculture": (("revenue",), (20000,), (500,), (50,)),
    "industry": (("staff", "revenue"), (1000, 40000), (300, 2000), (20, 300)),
    "construction": (("revenue", "assets"), (80000, 80000), (6000, 5000), (300, 300)),
    "wholesale": (("staff", "revenue"), (200, 40000), (20, 5000), (5, 1000)),
    "retail": (("staff", "revenue"), (300, 20000), (50, 500), (10, 100)),
    "transport": (("staff", "revenue"), (1000, 30000), (300, 3000), (20, 200)),
    "warehousing": (("staff", "revenue"), (200, 30000), (100, 1000), (20, 100)),
    "postal": (("staff", "revenue"), (1000, 30000), (300, 2000), (20, 100)),
    "accommodation": (("staff", "revenue"), (300, 10000), (100, 2000), (10, 100)),
    "catering": (("staff", "revenue"), (300, 10000), (100, 2000), (10, 100)),
    "information_transmission": (("staff", "revenue"), (2000, 100000), (100, 1000), (10, 100)),
    "software_it": (("staff", "revenue"), (300, 10000), (100, 1000), (10, 50)),
    "real_estate_development": (("revenue", "assets"), (200000, 10000), (1000, 5000), (100, 2000)),
    "property_management": (("staff", "revenue"), (1000, 5000), (300, 1000), (100, 500)),
    "leasing_business_services": (("staff", "assets"), (300, 120000), (100, 8000), (10, 100)),
    "other": (("staff",), (300,), (100,), (10,)),
}
TIER_BELOW = {"large": "medium", "medium": "small", "small": "micro"}


def run(industry, values, on_date=ON):
    return classify(
        industry,
        values.get("staff"),
        values.get("revenue"),
        values.get("assets"),
        on_date,
    )


def one_below(measure, line):
    """The smallest step below a line: one person, or one yuan (0.0001 万元)."""
    return line - 1 if measure == "staff" else Decimal(line) - Decimal("0.0001")


def boundary_cases():
    """For each industry and tier: all measures exactly at the line -> that
    tier; each measure alone one step below (others at the line) -> the tier
    below."""
    for industry, (measures, *lines) in TABLE.items():
        for tier, tier_lines in zip(("large", "medium", "small"), lines, strict=True):
            at = dict(zip(measures, tier_lines, strict=True))
            yield pytest.param(industry, at, tier, id=f"{industry}-{tier}-at")
            for measure in measures:
                below = {**at, measure: one_below(measure, at[measure])}
                yield pytest.param(
                    industry, below, TIER_BELOW[tier], id=f"{industry}-{tier}-{measure}-below"
                )
                whole_below = {**at, measure: at[measure] - 1}
                yield pytest.param(
                    industry, whole_below, TIER_BELOW[tier], id=f"{industry}-{tier}-{measure}-1"
                )


@pytest.mark.parametrize(("industry", "values", "size"), list(boundary_cases()))
def test_boundaries(industry, values, size):
    result = run(industry, values)
    assert result.size == size
    assert result.standard == STANDARD_2011


# Literal spot checks, worked out by hand from the standard's wording.
@pytest.mark.parametrize(
    ("industry", "staff", "revenue", "assets", "size"),
    [
        # The example: 40 staff fail the medium floor of 50.
        ("retail", 40, 800, None, "small"),
        ("retail", 50, 500, None, "medium"),
        ("retail", 300, 19999, None, "medium"),
        ("retail", 299, 25000, None, "medium"),  # below the large line on staff alone
        ("retail", 9, 150, None, "micro"),
        ("retail", 5000, 99, None, "micro"),  # huge staff, tiny revenue: micro
        ("industry", 1000, 40000, None, "large"),
        ("industry", 999, 100000, None, "medium"),
        ("industry", 2000, 1999, None, "small"),
        ("industry", 19, 300, None, "micro"),
        ("agriculture", None, 20000, None, "large"),
        ("agriculture", None, 19999, None, "medium"),
        ("agriculture", None, 500, None, "medium"),
        ("agriculture", None, 499, None, "small"),
        ("agriculture", None, 50, None, "small"),
        ("agriculture", None, 49, None, "micro"),
        ("agriculture", None, 0, None, "micro"),
        ("construction", None, 80000, 80000, "large"),
        ("construction", None, 90000, 79999, "medium"),
        ("construction", None, 6000, 4999, "small"),
        ("construction", None, 300, 299, "micro"),
        ("real_estate_development", None, 200000, 10000, "large"),
        ("real_estate_development", None, 300000, 9999, "medium"),
        ("real_estate_development", None, 999, 9000, "small"),
        ("real_estate_development", None, 5000, 1999, "micro"),
        ("leasing_business_services", 300, None, 120000, "large"),
        ("leasing_business_services", 100, None, 8000, "medium"),
        ("leasing_business_services", 99, None, 200000, "small"),
        ("leasing_business_services", 10, None, 99, "micro"),
        ("other", 300, None, None, "large"),
        ("other", 299, None, None, "medium"),
        ("other", 100, None, None, "medium"),
        ("other", 99, None, None, "small"),
        ("other", 10, None, None, "small"),
        ("other", 9, None, None, "micro"),
        ("wholesale", 5, 1000, None, "small"),
        ("wholesale", 4, 1000000, None, "micro"),
        ("software_it", 10, 50, None, "small"),
        ("property_management", 100, 499, None, "micro"),
    ],
)
def test_hand_worked_examples(industry, staff, revenue, assets, size):
    assert classify(industry, staff, revenue, assets, ON).size == size


def test_reason_explains_each_step():
    result = classify("retail", 40, Decimal("800"), None, ON)
    assert result == Classification(
        size="small",
        reason=(
            "retail (零售业) under MIIT-2011-300: "
            "below the large line (staff 40 < 300, revenue 800 < 20000); "
            "below the medium floor (staff 40 < 50); "
            "meets the small floor (staff 40 >= 10, revenue 800 >= 100)"
        ),
        standard=STANDARD_2011,
        industry="retail",
        steps=(
            Step("large", False, (("staff", "40", "300"), ("revenue", "800", "20000"))),
            Step("medium", False, (("staff", "40", "50"),)),
            Step("small", True, (("staff", "40", "10"), ("revenue", "800", "100"))),
        ),
    )


def test_unused_measures_are_ignored():
    assert classify("agriculture", 5000, 100, 999999, ON).size == "small"
    assert classify("other", 50, None, None, ON).size == "small"


@pytest.mark.parametrize(
    ("industry", "staff", "revenue", "assets", "missing"),
    [
        ("retail", 40, None, None, "revenue"),
        ("retail", None, 800, None, "staff"),
        ("agriculture", 40, None, 100, "revenue"),
        ("construction", None, 100, None, "assets"),
        ("construction", 50, None, 100, "revenue"),
        ("real_estate_development", None, 100, None, "assets"),
        ("leasing_business_services", 50, 1000, None, "assets"),
        ("other", None, 100, 100, "staff"),
    ],
)
def test_missing_measure_is_named(industry, staff, revenue, assets, missing):
    with pytest.raises(SizeClassError) as caught:
        classify(industry, staff, revenue, assets, ON)
    assert caught.value.code == "missing_measure"
    assert caught.value.measure == missing
    assert f"{missing} (" in caught.value.message


@pytest.mark.parametrize(
    ("staff", "revenue", "measure"),
    [
        (-1, 100, "staff"),
        (10, -1, "revenue"),
        (10, Decimal("-0.01"), "revenue"),
        (10, "-5", "revenue"),
    ],
)
def test_negative_values_refused(staff, revenue, measure):
    with pytest.raises(SizeClassError) as caught:
        classify("retail", staff, revenue, None, ON)
    assert caught.value.code == "negative"
    assert caught.value.measure == measure


@pytest.mark.parametrize("revenue", ["abc", "NaN", "Infinity", Decimal("NaN")])
def test_non_numbers_refused(revenue):
    with pytest.raises(SizeClassError) as caught:
        classify("retail", 10, revenue, None, ON)
    assert caught.value.code == "invalid_number"


@pytest.mark.parametrize(("staff", "revenue"), [(10, 100.0), (10.0, 100), (True, 100), ("10", 100)])
def test_floats_and_bools_refused(staff, revenue):
    with pytest.raises(TypeError):
        classify("retail", staff, revenue, None, ON)


def test_decimal_text_accepted():
    assert classify("retail", 10, " 100.00 ", None, ON).size == "small"
    assert classify("retail", 10, "99.9999", None, ON).size == "micro"


def test_unknown_industry():
    with pytest.raises(SizeClassError) as caught:
        classify("mining", 10, 100, None, ON)
    assert caught.value.code == "unknown_industry"
    assert "retail" in caught.value.message


def test_effective_date():
    assert classify("retail", 10, 100, None, date(2011, 6, 18)).standard == STANDARD_2011
    with pytest.raises(SizeClassError) as caught:
        classify("retail", 10, 100, None, date(2011, 6, 17))
    assert caught.value.code == "no_standard"
    assert "2011-06-18" in caught.value.message


def test_date_must_be_a_date():
    with pytest.raises(TypeError):
        classify("retail", 10, 100, None, datetime(2024, 1, 1, 12, 0))
    with pytest.raises(TypeError):
        classify("retail", 10, 100, None, "2024-01-01")


def test_list_industries():
    industries = list_industries()
    assert [i.id for i in industries] == list(TABLE)
    by_id = {i.id: i for i in industries}
    assert by_id["retail"].zh == "零售业"
    assert by_id["retail"].en == "Retail"
    assert by_id["software_it"].zh == "软件和信息技术服务业"
    for industry_id, (measures, *_lines) in TABLE.items():
        assert by_id[industry_id].measures == measures
        assert by_id[industry_id].zh and by_id[industry_id].en


def test_data_file_matches_hand_typed_table():
    (standard,) = standards()
    assert standard.id == STANDARD_2011
    assert standard.effective_from == date(2011, 6, 18)
    for industry_id, (measures, large, medium, small) in TABLE.items():
        spec = standard.industries[industry_id]
        for tier, lines in (("large", large), ("medium", medium), ("small", small)):
            expected = {m: Decimal(v) for m, v in zip(measures, lines, strict=True)}
            assert dict(spec.thresholds[tier]) == expected, (industry_id, tier)


# --- versioning: a later revision applies from its own date ---


def revised_table():
    document = {
        "standards": [
            {
                "id": "OLD",
                "title": "old",
                "effective_from": "2011-06-18",
                "industries": [
                    {"id": "other", "zh": "其他", "en": "Other", "measures": ["staff"],
                     "large": {"staff": 300}, "medium": {"staff": 100}, "small": {"staff": 10}},
                ],
            },
            {
                "id": "NEW",
                "title": "new",
                "effective_from": "2026-01-01",
                "industries": [
                    {"id": "other", "zh": "其他", "en": "Other", "measures": ["staff"],
                     "large": {"staff": 500}, "medium": {"staff": 150}, "small": {"staff": 20}},
                ],
            },
        ]
    }  # fmt: skip
    return parse_standards(json.dumps(document))


def test_the_standard_in_force_on_the_date_applies():
    table = revised_table()
    before = classify("other", 300, None, None, date(2025, 12, 31), table=table)
    after = classify("other", 300, None, None, date(2026, 1, 1), table=table)
    assert (before.size, before.standard) == ("large", "OLD")
    assert (after.size, after.standard) == ("medium", "NEW")
    assert standard_on(date(2030, 1, 1), table).id == "NEW"


def one_standard(effective_from="2011-01-01", **industry):
    base = {
        "id": "a",
        "zh": "a",
        "en": "a",
        "measures": ["staff"],
        "large": {"staff": 300},
        "medium": {"staff": 100},
        "small": {"staff": 10},
    }
    standard = {
        "id": "X",
        "title": "x",
        "effective_from": effective_from,
        "industries": [{**base, **industry}],
    }
    return json.dumps({"standards": [standard]})  # fmt: skip


@pytest.mark.parametrize(
    "document",
    [
        "{}",
        '{"standards": []}',
        "not json",
        one_standard(effective_from="2011-13-01"),
        one_standard(large={"staff": 10}),  # large line below the medium floor
        one_standard(measures=["height"]),
        one_standard(measures=[]),
        one_standard(small={}),
    ],
)
def test_malformed_standards_file(document):
    with pytest.raises(SizeClassError) as caught:
        parse_standards(document)
    assert caught.value.code == "bad_standard"


# --- properties ---

SIZES = ["micro", "small", "medium", "large"]
amounts = st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False)


@given(
    industry=st.sampled_from(list(TABLE)),
    staff=st.integers(0, 10**6),
    revenue=amounts,
    assets=amounts,
    extra=st.integers(0, 10**4),
    measure=st.sampled_from(["staff", "revenue", "assets"]),
)
def test_growing_never_makes_an_enterprise_smaller(
    industry, staff, revenue, assets, extra, measure
):
    values = {"staff": staff, "revenue": revenue, "assets": assets}
    grown = {**values, measure: values[measure] + extra}
    assert SIZES.index(run(industry, grown).size) >= SIZES.index(run(industry, values).size)


@given(industry=st.sampled_from(list(TABLE)), staff=st.integers(0, 10**6), revenue=amounts,
       assets=amounts)  # fmt: skip
def test_matches_the_rule_as_written(industry, staff, revenue, assets):
    """SME iff below the large line on any measure; micro iff below a small floor on any."""
    measures, large, _medium, small = TABLE[industry]
    values = {"staff": staff, "revenue": revenue, "assets": assets}
    size = run(industry, values).size
    below_large = any(values[m] < line for m, line in zip(measures, large, strict=True))
    below_small = any(values[m] < line for m, line in zip(measures, small, strict=True))
    assert (size != "large") == below_large
    assert (size == "micro") == below_small
