"""The Regulations library in the browser: a visitor, signed out, searches for a
two-character word, opens the article from a result and lands on its anchor."""

import re

from playwright.sync_api import expect

from tests.e2e.test_accessibility import at_every_width, readable


def test_a_visitor_searches_the_library_and_opens_an_article(page, site, shoot):
    page.goto(f"{site}/public/library/")
    expect(page.get_by_test_id("library-documents")).to_contain_text("保障中小企业款项支付条例")
    page.get_by_role("searchbox").fill("利息")
    page.get_by_test_id("library-search-submit").click()
    results = page.get_by_test_id("library-result")
    expect(results.first).to_be_visible()
    expect(page.locator("[data-testid=library-results] mark").first).to_have_text("利息")
    shoot(page, "library-search", guide=False)
    article = page.locator('[data-entry="regulations-2025#art-17"] a')
    article.click()
    expect(page).to_have_url(re.compile(r"/public/library/regulations-2025/#art-17$"))
    expect(page.locator("#art-17")).to_contain_text("每日利率万分之五")
    expect(page.locator("#art-17")).to_be_in_viewport()


def test_the_library_pages_pass_axe_at_every_width(page, site):
    found = []
    for where in (
        "/public/library/",
        "/public/library/search/?q=逾期利息",
        "/public/library/regulations-2025/",
        "/public/library/compare/",
    ):
        page.goto(site + where)
        found += at_every_width(page, where)
    assert found == [], readable(found)
