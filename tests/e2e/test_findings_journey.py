"""A finding of dishonesty in the browser, to its public listing and back: the
national administrator keeps a list; the supervisor proposes from a ledger item;
the administrator decides and serves the prior notice; after the window the
listing is published; a visitor finds the debtor in the register by two
characters and downloads the list; the debtor pays and obtains credit repair;
the listing leaves the public page and the change record says it was removed."""

from datetime import date

import pytest
from playwright.sync_api import expect

from qingqian.accounts.models import Organisation, User
from qingqian.ledger import services as ledger_services
from qingqian.parties.models import Enterprise
from qingqian.publication.findings import services as finding_services
from qingqian.publication.models import Finding

DEBTOR = "广东粤海城建集团有限公司"


@pytest.fixture
def overdue_item(seeded_live_db):
    debtor = Enterprise.objects.get(name=DEBTOR)
    return ledger_services.ledger_item_create(
        actor=User.objects.get(username="gd-intake"),
        owner=Organisation.objects.get(name="广东省中小企业主管部门"),
        debtor=debtor,
        creditor=Enterprise.objects.filter(type="sme", region_code__startswith="44").first(),
        contract_number="SX-2026-01",
        contract_signed_on=date(2025, 2, 10),
        due_on=date(2025, 10, 31),
        owed_fen=60_000_00,
    )


def keep_a_list(page, site):
    page.goto(f"{site}/findings/lists/")
    page.fill("#id_code", "serious-arrears")
    page.fill("#id_name", "严重拖欠中小企业款项失信名单")
    page.fill("#id_legal_basis", "《保障中小企业款项支付条例》第二十六条")
    page.fill("#id_source", "示例：公示期限与信用修复条件出处")
    page.fill("#id_publication_months", "12")
    page.fill("#id_defence_working_days", "5")
    page.fill("#id_repair_conditions", "拖欠款项全部清偿并提出申请")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("credit-lists")).to_contain_text("严重拖欠中小企业款项失信名单")


def step(page, action, text=None):
    panel = page.get_by_test_id(f"step-{action}")
    panel.locator("summary").click()
    if text is not None:
        panel.locator("textarea").first.fill(text)
    panel.get_by_role("button", name="确认").click()


def test_a_finding_from_proposal_to_credit_repair(page_for, browser, site, overdue_item):
    admin = page_for("admin")
    keep_a_list(admin, site)

    supervisor = page_for("supervisor")
    supervisor.goto(f"{site}/ledger/{overdue_item.pk}/")
    supervisor.get_by_test_id("propose-finding").click()
    supervisor.locator("textarea").fill("经两次督办仍未支付到期货款")
    supervisor.get_by_role("button", name="提出").click()
    expect(supervisor.get_by_test_id("finding-state")).to_have_attribute("data-state", "proposed")
    step(supervisor, "review", "事实清楚，依据充分")
    finding = Finding.objects.get()

    admin.goto(f"{site}/findings/{finding.pk}/")
    panel = admin.get_by_test_id("step-decide")
    panel.locator("summary").click()
    panel.locator("select").select_option(label="严重拖欠中小企业款项失信名单")
    panel.locator("#id_legal_basis").fill("《保障中小企业款项支付条例》第二十六条")
    panel.locator("#id_facts").fill("逾期未支付货款60000元，经督办仍不支付")
    panel.get_by_role("button", name="确认").click()
    expect(admin.get_by_test_id("finding-state")).to_have_attribute("data-state", "decided")
    expect(admin.get_by_test_id("prior-notice")).to_be_visible()
    # The notice was served on 30 September 2026: five working days over National Day.
    finding_services.finding_notify(
        actor=User.objects.get(username="admin"), finding=finding, on=date(2026, 9, 30)
    )
    admin.reload()
    expect(admin.get_by_test_id("defence-due")).to_contain_text("2026-10-13")
    step(admin, "publish")
    expect(admin.get_by_test_id("finding-state")).to_have_attribute("data-state", "published")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{site}/public/register/")
    search = visitor.get_by_label("名称（任意两个或以上连续的字）或统一社会信用代码")
    search.fill("粤海")
    search.press("Enter")
    visitor.get_by_role("link", name=DEBTOR).click()
    expect(visitor.get_by_test_id("register-listings")).to_contain_text(
        "严重拖欠中小企业款项失信名单"
    )
    visitor.goto(f"{site}/public/listings/")
    expect(visitor.get_by_test_id("listings")).to_contain_text(DEBTOR)
    with visitor.expect_download() as download_info:
        visitor.get_by_test_id("listings-csv").click()
    csv = download_info.value.path().read_text(encoding="utf-8-sig")
    assert DEBTOR in csv and "extracted" in download_info.value.suggested_filename

    answerer = User.objects.get(username="debtor-demo")
    ledger_services.ledger_confirm(actor=answerer, item=overdue_item)
    ledger_services.payment_record(
        actor=answerer,
        item=overdue_item,
        paid_on=date(2026, 10, 20),
        amount_fen=60_000_00,
        method="transfer",
    )
    debtor_page = page_for("debtor-demo")
    debtor_page.goto(f"{site}/findings/{finding.pk}/")
    step(debtor_page, "request-repair", "已于2026年10月20日全额支付，附银行回单")
    expect(debtor_page.get_by_test_id("finding-state")).to_have_attribute("data-state", "repair")
    admin.reload()
    step(admin, "repair", "欠款已全部清偿，准予信用修复")
    expect(admin.get_by_test_id("finding-state")).to_have_attribute("data-state", "repaired")

    visitor.goto(f"{site}/public/listings/")
    expect(visitor.get_by_test_id("listings-empty")).to_be_visible()
    changes = visitor.request.get(f"{site}/public/listings/changes/").json()["changes"]
    assert [(row["change"], row["reason"]) for row in changes][-1] == ("removed", "repaired")
