"""The public side's whole journey: a visitor reads the open statistics and
downloads the CSV, signs up as an SME (the e-mail link and the phone code read
from the console backends' output), sends the business licence; Guangdong's
intake officer binds the account; the SME files a complaint."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_complaint_journey import file_the_complaint
from tests.files import pdf_bytes

EMAIL = "zhou.min@example.cn"
PASSWORD = "Qingqian-signup-2026"


@pytest.fixture
def console_senders(settings, tmp_path):
    """E-mail and text messages printed, as in the demo; tasks run at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.ConsoleBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def printed(capsys, pattern: str) -> str:
    """The last match of `pattern` in what the console backends printed."""
    found = re.findall(pattern, capsys.readouterr().out)
    assert found, f"nothing printed matches {pattern}"
    return found[-1]


def read_the_statistics(page, site) -> None:
    page.goto(f"{site}/public/statistics/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("公开统计")
    expect(page.get_by_test_id("suppression-rule")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("download-months-csv").click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("月份,")


def sign_up(page, site, shoot) -> None:
    page.goto(site)
    page.get_by_role("link", name="中小企业注册").first.click()
    page.fill("#id_uscc", "91440106700000773J")
    page.fill("#id_enterprise_name", "广州新禾包装有限公司")
    page.select_option("#id_region_code", label="广东省")
    page.select_option("#id_region_code-city", label="广州市")
    page.fill("#id_contact_name", "周敏")
    page.fill("#id_phone", "13800138000")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.select_option("#id_industry", "industry")
    page.fill("#id_staff", "50")
    page.fill("#id_revenue_wan", "1000")
    shoot(page, "signup-1-form")
    # From the keyboard: in this Chromium a mouse click right after filling the
    # new-password field does not submit the form (no submit event fires).
    page.get_by_test_id("signup-submit").press("Enter")
    expect(page.get_by_test_id("signup-state")).to_contain_text("验证邮箱和手机")


def verify_and_send_the_licence(page, site, capsys, shoot, tmp_path) -> None:
    output = capsys.readouterr().out
    link = re.findall(r"/public/signup/email/[^/\s]+/[^/\s]+/", output)[-1]
    code = re.findall(r"SMS to 13800138000: \D*(\d{6})", output)[-1]
    page.goto(site + link)
    expect(page.get_by_test_id("email-verified")).to_be_visible()
    page.get_by_label("短信验证码").fill(code)
    page.get_by_test_id("code-submit").click()
    expect(page.get_by_test_id("phone-verified")).to_be_visible()
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(pdf_bytes("营业执照"))
    page.set_input_files("#id_file", str(licence))
    page.get_by_test_id("licence-submit").click()
    expect(page.get_by_test_id("awaiting-review")).to_be_visible()
    shoot(page, "signup-2-awaiting-review")


def test_a_visitor_signs_up_is_bound_and_files_a_complaint(
    page, browser, site, shoot, tmp_path, capsys, console_senders
):
    read_the_statistics(page, site)
    sign_up(page, site, shoot)
    verify_and_send_the_licence(page, site, capsys, shoot, tmp_path)
    page.goto(f"{site}/complaints/new/")
    expect(page.get_by_test_id("unbound-note")).to_be_visible()
    expect(page.get_by_test_id("submit")).to_have_count(0)

    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(officer, site, "gd-intake")
    officer.get_by_test_id("nav-signups").click()
    officer.get_by_role("link", name="广州新禾包装有限公司").click()
    expect(officer.get_by_test_id("licence-link")).to_contain_text("营业执照")
    shoot(officer, "signup-3-intake-check")
    officer.get_by_test_id("approve").click()
    expect(officer.get_by_test_id("registration-state")).to_contain_text("已绑定企业")
    assert "广州新禾包装有限公司" in printed(capsys, r"已绑定[^\n]*")

    page.goto(f"{site}/signup/")
    expect(page.get_by_test_id("bound")).to_be_visible()
    file_the_complaint(page, site, lambda *args, **kwargs: None, tmp_path)
    expect(page.get_by_test_id("complainant")).to_contain_text("广州新禾包装有限公司")
