"""Annual disclosures in the browser: the debtor representative files a
disclosure that says "none" while the ledger holds overdue items at the end of
2025; Guangdong's SME authority sees the flag and the items behind it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from qingqian.accounts.models import Organisation, User
from qingqian.ledger import services as ledger_services
from qingqian.parties.models import Enterprise
from qingqian.publication.disclosures.services import disclosure_periods_seed
from qingqian.publication.models import DisclosureFlag


@pytest.fixture
def overdue_at_2025_end(seeded_live_db):
    disclosure_periods_seed(actor=None)  # the flush emptied what the migration put there
    keeper = User.objects.get(username="gd-intake")
    debtor = User.objects.get(username="debtor-demo").enterprise
    creditor = Enterprise.objects.filter(type="sme", region_code__startswith="44").first()
    owner = Organisation.objects.get(name="广东省中小企业主管部门")
    for number, owed_fen in [("DISC-2025-01", 80_000_00), ("DISC-2025-02", 45_500_00)]:
        ledger_services.ledger_item_create(
            actor=keeper,
            owner=owner,
            debtor=debtor,
            creditor=creditor,
            contract_number=number,
            contract_signed_on=date(2025, 2, 10),
            due_on=date(2025, 10, 31),
            owed_fen=owed_fen,
        )
    return debtor


def test_a_contradicting_disclosure_reaches_the_authority(
    page_for, site, shoot, overdue_at_2025_end
):
    page = page_for("debtor-demo")
    page.get_by_test_id("nav-disclosures").click()
    page.get_by_test_id("file-2025").click()
    prefill = page.get_by_test_id("ledger-prefill")
    expect(prefill).to_have_attribute("data-count", "2")
    expect(prefill).to_have_attribute("data-amount", "125500.00")
    page.locator("input[name=has_overdue][value=no]").check()
    page.get_by_test_id("disclosure-submit").click()
    expect(page.get_by_role("alert").first).to_be_visible()  # a change needs its reasons
    page.locator("input[name=has_overdue][value=no]").check()
    page.locator("[name=count_reason]").fill("年末前已与供应商达成付款安排。")
    page.locator("[name=amount_reason]").fill("年末前已与供应商达成付款安排。")
    shoot(page, "disclosures-1-filing", guide=False)
    page.get_by_test_id("disclosure-submit").click()
    expect(page.get_by_test_id("versions")).to_contain_text("年末前已与供应商达成付款安排。")
    flag = DisclosureFlag.objects.get(disclosure__enterprise=overdue_at_2025_end)
    assert flag.kind == DisclosureFlag.Kind.NONE_BUT_OVERDUE

    page = page_for("gd-intake")
    page.get_by_test_id("nav-disclosures").click()
    flags = page.get_by_test_id("open-flags")
    expect(flags).to_contain_text(overdue_at_2025_end.name)
    flags.get_by_role("link").first.click()
    expect(page.get_by_test_id("flag-facts")).to_have_attribute("data-kind", "none_overdue")
    items = page.get_by_test_id("flag-items")
    expect(items).to_contain_text("DISC-2025-01")
    expect(items).to_contain_text("DISC-2025-02")
    shoot(page, "disclosures-2-flag", guide=False)
    page.locator("[name=note]").fill("已约谈，责令更正披露。")
    page.get_by_test_id("flag-close").click()
    expect(page.get_by_test_id("flag-state")).to_have_attribute("data-state", "closed")

    page = page_for("js-intake")
    page.goto(f"{site}/disclosures/flags/{flag.pk}/")
    expect(page.locator("body")).not_to_contain_text("DISC-2025-01")
