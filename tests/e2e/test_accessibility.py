"""axe-core (WCAG 2.1 A and AA) finds nothing on any page of the demo.

The pages are found as tests/web/test_page_language.py finds them: from every
URL pattern without parameters, following the links each role is offered,
one page per pattern. Not here: the Django admin (Django's pages) and the API
documentation (Swagger UI's: its operation headers nest buttons). Each page is
checked in both languages, at a desktop width and at a phone width, with
every collapsed section (<details>) opened so that the forms inside are
checked too. axe is test code, injected through the DevTools protocol: the
site's Content-Security-Policy stays enforced."""

from collections import defaultdict, deque
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from qingqian.accounts.models import User
from tests.web.test_page_language import PAGES_PER_PATTERN, links, page_name, start_urls
from tests.web.test_url_permissions import ROLES

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [1280, 375]
VISITOR = "anonymous"
# The demo journeys' pages (the user guide's screens): the crawl must reach each.
JOURNEY_PAGES = {
    "home", "login", "password-reset", "complaint-create", "complaint-edit", "complaint-list",
    "complaint-detail", "ledger:list", "ledger:item", "ledger:new", "ledger:imports",
    "ledger:import", "ledger:party", "supervision:dashboard", "supervision:facts",
    "supervision:case-list",
    "supervision:case", "supervision:reports", "supervision:report", "supervision:report-national",
    "supervision:targets", "supervision:target", "supervision:rules", "supervision:rule-edit",
    "reference-home", "reference-calendar", "reference-lpr", "account", "two-factor", "inbox",
    "staff-list", "staff-detail", "organisation-list", "organisation-detail", "roles-matrix",
    "enterprise-list", "enterprise-detail", "routing-rules",
}  # fmt: skip
# The parties first, the administrator last: a page kind is checked as the
# first role that reaches it sees it, with that role's forms and actions.
ROLE_ORDER = [
    VISITOR, "sme-demo", "debtor-demo", "gd-legal", "gd-intake", "gd-handler", "miit-intake",
    "supervisor", "admin",
]  # fmt: skip

RUN_AXE = """async (tags) => {
    document.querySelectorAll('details').forEach((details) => { details.open = true; });
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
            target: node.target.join(' '),
            html: node.html.slice(0, 200),
            summary: node.failureSummary,
        })),
    }));
}"""


def client_as(username: str) -> Client:
    client = Client()
    if username != VISITOR:
        client.force_login(User.objects.get(username=username))
    return client


def demo_pages(client: Client, done: set[str]) -> list[str]:
    """One URL per page kind this client is offered, skipping the kinds in `done`.
    Kinds already checked are still read for their links: another role's list
    may lead to pages the first role's did not."""
    queue = deque(url for url in start_urls() if page_name(url))
    seen, read, found = set(queue), defaultdict(int), []
    while queue:
        url = queue.popleft()
        name = page_name(url)
        if read[name] >= PAGES_PER_PATTERN or name.startswith("admin:"):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read[name] += 1
        if name not in done:
            done.add(name)
            found.append(url)
        for link in links(response.content.decode()) - seen:
            seen.add(link)
            if page_name(link):
                queue.append(link)
    return found


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        what = f"{violation['id']} ({violation['impact']}) {violation['help']}"
        lines.append(f"{violation['where']}: {what}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def axe_violations(page, where: str) -> list[dict]:
    if not page.evaluate("Boolean(window.axe)"):
        page.evaluate(AXE)
    found = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [{**violation, "where": where} for violation in found]


def role_context(browser, site, username: str, language: str):
    """A browser context signed in as the role (no sign-in form), reading `language`."""
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 900},
        locale="en-GB" if language == "en" else "zh-CN",
        extra_http_headers={"Accept-Language": "en" if language == "en" else "zh-CN"},
    )
    host = site.split("//", 1)[1].split(":")[0]
    cookies = {settings.LANGUAGE_COOKIE_NAME: language}
    if username != VISITOR:
        session = client_as(username).cookies[settings.SESSION_COOKIE_NAME].value
        cookies[settings.SESSION_COOKIE_NAME] = session
    context.add_cookies(
        [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in cookies.items()]
    )
    return context


def at_every_width(page, where: str) -> list[dict]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found += axe_violations(page, f"{where} {width}px")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return found


def check_pages(browser, site, username: str, urls: list[str], language: str) -> list[dict]:
    context = role_context(browser, site, username, language)
    page = context.new_page()
    found = []
    try:
        for url in urls:
            page.goto(site + url)
            found += at_every_width(page, f"{username} {language} {url}")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_of_the_demo_has_an_axe_violation(browser, site, settings, tmp_path, language):
    from qingqian.demo_complaints import seed_demo_complaints
    from qingqian.demo_ledger import seed_demo_ledger
    from qingqian.demo_supervision import seed_demo_supervision, seed_demo_target
    from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
    from qingqian.supervision.reports.tasks import generate_due_reports

    settings.MEDIA_ROOT = tmp_path  # the demo's evidence files
    seed_demo_complaints()
    seed_demo_ledger()
    ledger_snapshot_take()
    seed_demo_supervision()
    seed_demo_target()
    generate_due_reports()

    done: set[str] = set()
    violations = []
    assert set(ROLE_ORDER) == {VISITOR, *ROLES}
    for username in ROLE_ORDER:
        urls = demo_pages(client_as(username), done)
        violations += check_pages(browser, site, username, urls, language)
    assert done >= JOURNEY_PAGES, JOURNEY_PAGES - done
    assert violations == [], readable(violations)


# Forms as they come back refused: the error summary, the messages beside the
# fields, the red borders (the browser's own checks switched off, as a
# script-less or older browser would send the form).
REFUSED_FORMS = [
    (VISITOR, "/accounts/login/"),
    ("sme-demo", "/complaints/new/"),
    ("gd-intake", "/ledger/new/"),
    ("gd-intake", "/enterprises/new/"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_refused_form_has_an_axe_violation(browser, site, language):
    violations = []
    for username, url in REFUSED_FORMS:
        context = role_context(browser, site, username, language)
        page = context.new_page()
        page.goto(site + url)
        page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")
        page.locator("main form button.primary[type=submit]").first.click()
        page.wait_for_load_state()
        expect(page.locator(".errorlist, .error-summary, .message.error").first).to_be_visible()
        violations += at_every_width(page, f"{username} {language} {url} (refused)")
        context.close()
    assert violations == [], readable(violations)
