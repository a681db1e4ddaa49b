"""The region picker narrows province, then city, then county, and the form
submits the most specific code through the original list."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_three_lists_narrow_each_other_and_fill_the_field(page_for, site):
    page = page_for("sme-demo")
    page.goto(f"{site}/complaints/new/")
    original = page.locator("select[name=debtor_region_code]")
    expect(original).to_be_hidden()
    province = page.get_by_label("省（区、市）", exact=True)
    city = page.get_by_label("市（地、州、盟）", exact=True)
    county = page.get_by_label("县（区）", exact=True)
    expect(city).to_be_disabled()

    province.select_option(label="广东省")
    assert original.input_value() == "440000"
    city_names = city.locator("option").all_text_contents()
    assert "广州市" in city_names and "南京市" not in city_names

    city.select_option(label="广州市")
    assert original.input_value() == "440100"
    county_codes = [option.get_attribute("value") for option in county.locator("option").all()[1:]]
    assert all(code.startswith("4401") for code in county_codes)
    if county_codes:
        county.select_option(county_codes[0])
        assert original.input_value() == county_codes[0]

    province.select_option(label="江苏省")
    assert original.input_value() == "320000"
    expect(county).to_be_disabled()
