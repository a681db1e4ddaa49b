"""The web shell in a real browser: sign-in, the intake officer registering an
enterprise (with a field error first), the SME's own page, language switch,
and a phone-sized screen."""

import re

from playwright.sync_api import expect

from qingqian.demo import demo_uscc
from tests.e2e.conftest import sign_in


def test_public_home_and_failed_sign_in(page, site, shoot):
    page.goto(site)
    expect(page.get_by_role("heading", level=1)).to_contain_text("中小企业")
    shoot(page, "public-home")
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("用户名").fill("gd-intake")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    shoot(page, "sign-in-error")


def test_intake_officer_registers_an_enterprise(page, site, shoot):
    sign_in(page, site, "gd-intake")
    expect(page.get_by_role("heading", level=1)).to_contain_text("广东受理员")
    shoot(page, "home-intake")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="主体").click()
    expect(page.locator("table")).to_contain_text("广州市明达机电设备有限公司")
    expect(page.locator("table")).not_to_contain_text("南京恒信建筑劳务有限公司")
    page.get_by_role("link", name="登记主体").click()

    good_code = demo_uscc("440300", 777)
    page.get_by_label("统一社会信用代码").fill(
        good_code[:-1] + ("0" if good_code[-1] != "0" else "1")
    )
    page.get_by_label("名称").fill("深圳市示例科技有限公司")
    page.get_by_label("类型").select_option("sme")
    page.select_option("#id_region_code", label="广东省")  # the picker's province list
    page.select_option("#id_region_code-city", label="深圳市")
    page.get_by_label("从业人员").fill("-3")
    page.get_by_role("button", name="保存").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("校验位")
    expect(page.locator("#id_uscc")).to_have_attribute("aria-invalid", "true")
    shoot(page, "enterprise-form-errors")

    page.get_by_label("统一社会信用代码").fill(good_code)
    page.get_by_label("从业人员").fill("30")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("深圳市示例科技有限公司")
    expect(page.get_by_role("status")).to_contain_text("已登记")
    shoot(page, "enterprise-detail")


def test_sme_sees_only_its_own_enterprise_and_switches_to_english(page, site, shoot):
    sign_in(page, site, "sme-demo")
    page.get_by_role("link", name=re.compile("^本企业")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("广州市明达机电设备有限公司")
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("名称")).to_have_count(0)  # an SME cannot rename itself
    page.get_by_label("从业人员").fill("88")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".facts")).to_contain_text("88")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    shoot(page, "enterprise-detail-english")


def test_phone_layout(browser, site, shoot):
    phone = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page = phone.new_page()
    sign_in(page, site, "gd-intake")
    page.goto(f"{site}/enterprises/")
    # No horizontal scrolling of the page itself on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "phone-enterprises")
    phone.close()


def test_keyboard_user_reaches_main_content(page, site):
    page.goto(site)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_the_browser_itself_speaks_chinese(page, site):
    """Chromium's own strings (validation bubbles, "choose file") on the Chinese screens."""
    page.goto(f"{site}/accounts/login/")
    language, message = page.evaluate(
        "() => { const field = document.createElement('input'); field.required = true;"
        " return [navigator.language, field.validationMessage]; }"
    )
    assert language == "zh-CN"
    assert message == "请填写此字段。", "install chromium-l10n (scripts/install-system-packages)"
