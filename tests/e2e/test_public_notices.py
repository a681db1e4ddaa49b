"""A visitor, on a phone and signed out, reads a published notice: the list, the
notice itself, the feed's link; axe finds nothing on either page in either language."""

from playwright.sync_api import expect

from qingqian.accounts.models import User
from qingqian.supervision.cases import services
from tests.e2e.test_accessibility import VISITOR, check_pages, readable
from tests.supervision.test_cases import GD, make_official, open_case

PHONE = {"width": 375, "height": 667}
TEXT = "经核查，广东省部分市级机关拖欠中小企业账款逾期未清偿，现予通报，限期整改。"


def publish_a_notice():
    drafter = make_official("gd-supervisor", GD)
    case = open_case(drafter)
    notice = services.notice_draft(
        actor=drafter, case=case, title="关于广东省清欠进度滞后情况的通报", text=TEXT
    )
    pending = services.notice_draft(actor=drafter, case=case, title="尚未审核的通报", text="x")
    approver = User.objects.get(username="supervisor")
    return services.notice_decide(actor=approver, notice=notice, approve=True), pending


def test_a_visitor_reads_a_published_notice_on_a_phone(browser, site, shoot):
    notice, pending = publish_a_notice()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{site}/public/notices/")
        expect(page.get_by_role("heading", level=1)).to_have_text("通报")
        expect(page.get_by_test_id("notice-list")).not_to_contain_text(pending.title)
        expect(page.get_by_test_id("notice-feed")).to_have_attribute(
            "href", "/public/notices/feed/"
        )
        shoot(page, "public-notices")
        page.get_by_role("link", name=notice.title).click()
        expect(page.get_by_test_id("notice")).to_contain_text(TEXT)
        expect(page.get_by_test_id("notice")).to_contain_text(GD)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shoot(page, "public-notice")
    finally:
        context.close()
    urls = ["/public/notices/", f"/public/notices/{notice.pk}/"]
    for language in ("zh-hans", "en"):
        violations = check_pages(browser, site, VISITOR, urls, language)
        assert violations == [], readable(violations)
