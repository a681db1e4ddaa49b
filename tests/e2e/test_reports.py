"""Information reports in the browser: Guangdong corrects a prefilled figure
(the reason is required), submits; the national supervisor sees who is late,
the totals, and downloads the national report as a PDF."""

from datetime import date

import pytest
from playwright.sync_api import expect

from qingqian.supervision.models import ProvincialReport, ReportDefinition
from qingqian.supervision.reports.services import reports_generate

SEPTEMBER = date(2026, 9, 1)


@pytest.fixture
def monthly(seeded_live_db):
    reports_generate(
        definition=ReportDefinition.objects.get(code="monthly-progress"), period_start=SEPTEMBER
    )
    return ProvincialReport.objects.get(
        definition__code="monthly-progress", period_start=SEPTEMBER, province_code="440000"
    )


def test_province_submits_and_nation_downloads(page_for, site, shoot, monthly, tmp_path):
    page = page_for("gd-intake")
    page.goto(f"{site}/supervision/")
    page.get_by_test_id("reports").click()
    page.get_by_test_id("reports").get_by_role("link").first.click()
    form = page.get_by_test_id("value-form-received")
    form.locator("[name=received-value]").fill("3")
    page.get_by_test_id("save-received").click()
    expect(form.get_by_role("alert")).to_be_visible()  # a change needs its reason
    form.locator("[name=received-value]").fill("3")
    form.locator("[name=received-reason]").fill("补录三件电话投诉。")
    page.get_by_test_id("save-received").click()
    expect(form.locator("[name=received-value]")).to_have_value("3")
    expect(form.locator("[name=received-reason]")).to_have_value("补录三件电话投诉。")
    shoot(page, "reports-1-province")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "submitted")
    monthly.refresh_from_db()
    assert monthly.state == "submitted"
    assert monthly.values.get(key="received").reason == "补录三件电话投诉。"

    page = page_for("supervisor")
    page.goto(f"{site}/supervision/reports/national/monthly-progress/{SEPTEMBER}/")
    expect(page.get_by_test_id("national-totals")).to_contain_text("3")
    expect(page.get_by_test_id("national-table")).to_contain_text("江苏省")
    shoot(page, "reports-2-national")
    with page.expect_download() as download:
        page.get_by_test_id("national-pdf").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
