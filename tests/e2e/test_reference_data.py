"""An administrator keeps the working-day calendar: the missing year is
announced, a year's schedule is uploaded, a bad file is refused with its line."""

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_administrator_imports_next_years_schedule(page, site, shoot, tmp_path):
    sign_in(page, site, "admin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="基础数据").click()
    expect(page.get_by_role("alert").first).to_contain_text("2027")
    shoot(page, "reference-home")
    page.get_by_role("link", name="去录入").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027")

    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类别,名称\n2027-01-01,休,元旦\n2027-02-30,休,错\n", "utf-8-sig")
    page.get_by_label("日程文件").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("alert").last).to_contain_text(
        "第 3 行，日期：“2027-02-30”不是有效日期"
    )
    shoot(page, "calendar-import-error")

    good = tmp_path / "2027.csv"
    good.write_text("日期,类别,名称\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n", "utf-8-sig")
    page.get_by_label("日程文件").set_input_files(str(good))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("2027")
    expect(page.locator("table")).to_contain_text("2027-02-06")
    shoot(page, "calendar-year")


def test_official_turns_on_two_factor(page, site, shoot):
    sign_in(page, site, "gd-handler")
    page.get_by_role("link", name="双因素登录").click()
    page.get_by_role("button", name="开启双因素登录").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    shoot(page, "two-factor-setup")
