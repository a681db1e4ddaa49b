"""The pages that run other people's scripts still work under the CSP: the API
documentation (Swagger UI) and the Django admin. Any refusal by the browser
fails the test (conftest.no_csp_violations)."""

import re

from playwright.sync_api import expect


def test_the_api_documentation_renders_its_operations(page, site):
    page.goto(f"{site}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()


def test_the_admin_lists_and_filters_audit_events(page_for, site):
    page = page_for("admin")
    page.goto(f"{site}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{site}/admin/core/auditevent/")
    expect(page.locator("#result_list")).to_be_visible()
    page.locator('#changelist-filter a[href^="?verb="]').first.click()
    expect(page.locator("#result_list")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?verb="))
