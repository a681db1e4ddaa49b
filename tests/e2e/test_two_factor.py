"""An official created for real (not a demo account) must enrol at the first
sign-in: the password leads to the set-up page, the authenticator's code
confirms it, the recovery codes are shown once, then the start page opens."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.services import user_create

PASSWORD = "a-Long-passphrase-9"


def test_official_enrols_at_first_sign_in(page, site, shoot):
    official = user_create(
        actor=None,
        username="gd-new-intake",
        password=PASSWORD,
        role=Role.INTAKE,
        organisation=Organisation.objects.get(name="广东省中小企业主管部门"),
        full_name="广东新受理员",
    )
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("用户名").fill("gd-new-intake")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{site}/accounts/two-factor/?next=%2F")
    expect(page.get_by_role("status").last).to_contain_text("您的角色要求双因素登录")
    page.goto(f"{site}/ledger/")  # nothing else opens before enrolling
    expect(page).to_have_url(f"{site}/accounts/two-factor/?next=%2Fledger%2F")
    page.goto(f"{site}/accounts/two-factor/?next=%2F")
    page.get_by_role("button", name="开启双因素登录").click()
    expect(page.locator("figure.qr svg")).to_be_visible()

    # The test scans nothing: it computes the code from the device's key.
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    page.get_by_label("身份验证器应用显示的六位验证码").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="确认").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("您的恢复码")
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    expect(page.get_by_role("note").last).to_contain_text("只显示这一次")
    shoot(page, "two-factor-recovery-codes")

    page.get_by_role("link", name="我已保存：继续").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("广东新受理员")
