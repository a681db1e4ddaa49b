"""A visitor, signed out: the home's figures, the open statistics, a CSV download."""

from playwright.sync_api import expect

from qingqian.demo_complaints import seed_demo_complaints


def test_visitor_reads_the_statistics_and_downloads_the_csv(page, site, shoot):
    seed_demo_complaints()
    page.goto(site)
    expect(page.get_by_role("heading", level=2, name="谁可以投诉谁")).to_be_visible()
    expect(page.get_by_test_id("suppression-rule")).to_contain_text("以免识别具体投诉")
    page.get_by_role("link", name="查看按月份、按省（区、市）的全部数据").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("公开统计")
    page.get_by_label("省（区、市）").select_option(label="广东省")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("广东省")
    expect(page.get_by_test_id("table-months")).to_be_visible()
    shoot(page, "public-statistics")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-months-csv").click()
    download = download_info.value
    assert "statistics-44-months" in download.suggested_filename
    assert "extracted" in download.suggested_filename
    text = download.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("月份,")
