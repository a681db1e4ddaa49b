"""A jurisdiction set up from an empty database, in the browser, as the
administrator's guide tells it: the operator's superuser creates the SME
authorities and invites Guangdong's administrator; she adds a city authority
and a handling department and imports three staff from a CSV file; one of them,
an intake officer, sets a password, enrols two-factor sign-in and accepts a
complaint. E-mail goes through the real task queue (the database worker)."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.services import user_create
from qingqian.complaints.models import Complaint
from qingqian.complaints.services import complaint_create_draft, complaint_submit
from qingqian.demo import demo_uscc
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprise_create

PASSWORD = "Gd-setup-passphrase-2026"
INVITATION_PATH = re.compile(r"/accounts/invitation/[^/\s]+/[^/\s]+/")


def zh(text: str) -> str:
    """The words the Chinese screen shows for an interface string."""
    with translation.override("zh-hans"):
        return gettext(text)


@pytest.fixture
def empty_site(live_server, transactional_db):
    """What `qingqian init` leaves: reference data, no organisation, no account.
    (The test database starts with the demo; it is emptied first.)"""
    from qingqian.reference.services.seed import seed_reference_data
    from qingqian.supervision.dashboard.services import laggard_rules_seed
    from qingqian.supervision.reports.services import report_definitions_seed

    call_command("flush", interactive=False, verbosity=0)
    seed_reference_data(actor=None)
    laggard_rules_seed(actor=None)  # the migrations put these there
    report_definitions_seed(actor=None)
    assert not Organisation.objects.exists() and not User.objects.exists()
    return live_server.url


def enrol_two_factor(page, username):
    """On the enrolment page every official is sent to: scan (here: compute), confirm."""
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_role("button", name="开启双因素登录").click()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    page.get_by_label("身份验证器应用显示的六位验证码").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的恢复码")
    page.get_by_role("link", name="我已保存：继续").click()


def accept_invitation(browser, site, email, shoot=None, shot=""):
    """The invitee opens the link from their e-mail in a browser of their own."""
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    path = INVITATION_PATH.search(message.body).group(0)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{site}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Set your password"))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password_again]").fill(PASSWORD)
    if shoot:
        shoot(page, shot)
    page.get_by_role("button", name=zh("Set password")).click()
    return page


def add_unit(page, parent_url, name, kind, region_code):
    """Add a unit on its parent's page; the new unit's page opens."""
    page.goto(parent_url)
    panel = page.get_by_test_id("action-add")
    panel.locator("summary").click()
    panel.get_by_label(zh("name")).fill(name)
    panel.get_by_label(zh("kind")).select_option(label=zh(kind))
    panel.get_by_label(zh("region code")).fill(region_code)
    panel.get_by_role("button", name=zh("Add"), exact=True).click()
    expect(page.get_by_role("status").last).to_contain_text(zh("Unit added."))


def submitted_complaint() -> Complaint:
    """An SME of Guangzhou complains about a Guangdong enterprise (filing is
    another test's subject); the routing table sends it to Guangdong."""
    sme = enterprise_create(
        actor=None,
        uscc=demo_uscc("440106", 901),
        name="广州小微科技有限公司",
        type=Enterprise.Type.SME,
        region_code="440106",
        industry="software_it",
        staff=12,
        revenue_wan=300,
        assets_wan=200,
    )
    debtor = enterprise_create(
        actor=None,
        uscc=demo_uscc("440104", 902),
        name="广东某建设集团有限公司",
        type=Enterprise.Type.LARGE,
        region_code="440104",
    )
    owner = user_create(
        actor=None,
        username="gz-sme",
        password=PASSWORD,
        role=Role.SME,
        enterprise=sme,
    )
    draft = complaint_create_draft(
        actor=owner,
        complainant=sme,
        debtor=debtor,
        contract_number="GZ-2026-0007",
        contract_signed_on=date(2026, 3, 2),
        subject="services",
        delivered_on=date(2026, 5, 29),
        payment_due_on=date(2026, 7, 28),
        amount_owed_fen=86_000_00,
        amount_paid_fen=0,
        request_text="请求支付拖欠的软件开发服务费86000元。",
        facts_text="2026年3月签订软件开发合同，5月29日交付验收，至今未付款。",
        undertaking=True,
        sme_notified_at_signing="yes",
    )
    return complaint_submit(actor=owner, complaint=draft)


def test_a_jurisdiction_from_an_empty_database(
    browser, empty_site, page, shoot, run_worker, tmp_path
):
    site = empty_site
    # The operator's first account (`qingqian manage createsuperuser`).
    User.objects.create_superuser("root", "root@miit.example.gov.cn", PASSWORD)
    sign_in_page = f"{site}/accounts/login/"
    page.goto(sign_in_page)
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    enrol_two_factor(page, "root")

    # The authorities of the reporting units.
    page.goto(f"{site}/organisations/")
    shoot(page, "admin-1-bootstrap")
    page.get_by_role("button", name=zh("Create the authorities")).click()
    expect(page.get_by_role("status").last).to_contain_text("32")
    guangdong = Organisation.objects.get(region_code="440000")
    assert Organisation.objects.filter(kind="provincial").count() == 31

    # Guangdong's administrator, invited by the national level.
    page.goto(f"{site}/accounts/staff/invite/")
    page.get_by_label(zh("Full name")).fill("李省管")
    page.get_by_label(zh("E-mail address")).fill("li@gdii.example.gov.cn")
    page.get_by_label(zh("Organisation")).select_option(label=f"{guangdong.name} (440000)")
    page.get_by_label(zh("Role")).select_option(label=zh("administrator"))
    with page.expect_navigation():  # the invitation committed before the worker looks
        page.get_by_role("button", name=zh("Send the invitation")).click()
    run_worker()
    admin = accept_invitation(browser, site, "li@gdii.example.gov.cn")
    enrol_two_factor(admin, "li@gdii.example.gov.cn")

    # A city authority and a handling department under Guangdong.
    guangdong_page = f"{site}/organisations/{guangdong.pk}/"
    add_unit(admin, guangdong_page, "广州市中小企业主管部门", "city SME authority", "440100")
    add_unit(admin, guangdong_page, "广东省财政厅", "handling department", "440000")
    shoot(admin, "admin-2-add-unit")
    department = guangdong.children.get(name="广东省财政厅")
    assert guangdong.children.get(name="广州市中小企业主管部门").kind == "city"

    # Three staff from a CSV file, all invited at once.
    rows = [
        ("王受理", "wang@gdii.example.gov.cn", guangdong.pk, "intake"),
        ("陈督导", "chen@gdii.example.gov.cn", guangdong.pk, "supervisor"),
        ("刘经办", "liu@czt.example.gov.cn", department.pk, "handler"),
    ]
    staff_csv = tmp_path / "staff.csv"
    staff_csv.write_text(
        "name,email,organisation_id,role\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in rows),
        encoding="utf-8",
    )
    admin.goto(f"{site}/accounts/staff/import/")
    admin.locator("input[type=file]").set_input_files(staff_csv)
    shoot(admin, "admin-3-staff-import")
    with admin.expect_navigation():  # the invitations committed before the worker looks
        admin.get_by_role("button", name=zh("Import and invite")).click()
    run_worker()
    for name, email, organisation_id, role in rows:
        person = User.objects.get(email=email)
        assert (person.first_name, person.organisation_id, person.role) == (
            name,
            organisation_id,
            role,
        )
        assert any(email in m.to for m in mail.outbox)

    # The intake officer starts work and accepts a complaint.
    complaint = submitted_complaint()
    assert complaint.accepting_authority == guangdong
    intake = accept_invitation(
        browser, site, "wang@gdii.example.gov.cn", shoot, "admin-4-set-password"
    )
    expect(intake).to_have_url(re.compile(r"/accounts/two-factor/"))
    shoot(intake, "admin-5-enrol")
    enrol_two_factor(intake, "wang@gdii.example.gov.cn")
    intake.goto(f"{site}/complaints/{complaint.pk}/")
    panel = intake.get_by_test_id("action-accept")
    panel.locator("summary").click()
    panel.locator("button[type=submit]").click()
    expect(intake.get_by_test_id("state")).to_have_attribute("data-state", "accepted")
    complaint.refresh_from_db()
    assert complaint.state == "accepted"
