"""Browser tests: Debian's Chromium driven by Playwright against a live server."""

import os
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The guide's screens are Chinese, so Chromium's own widgets (file inputs,
# date pickers, validation bubbles) must be too: the page locale for the
# sites and the browser's interface language (from LANGUAGE on Linux; the
# chromium-l10n package supplies the strings).
BROWSER_LOCALE = "zh-CN"

# Playwright runs an event loop in the test thread; Django's ORM calls from
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("QINGQIAN_CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--lang={BROWSER_LOCALE}",
        ],
        "env": {**os.environ, "LANGUAGE": BROWSER_LOCALE.replace("-", "_")},
    }


class CspWatch:
    """What the browser refused under the Content-Security-Policy, on any page."""

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, page):
        page.on("console", lambda message: self.record(f"{page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.record(f"{page.url}: {error}"))

    def record(self, text: str) -> None:
        if "Content Security Policy" in text:
            self.violations.append(text)


@pytest.fixture(scope="session")
def csp_watch():
    return CspWatch()


@pytest.fixture(scope="session")
def browser(browser, csp_watch):
    """Every page of every context (pytest-playwright's and the tests' own) is
    watched, and asks for Chinese unless a test says otherwise."""
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        kwargs.setdefault("locale", BROWSER_LOCALE)
        kwargs.setdefault("extra_http_headers", {"Accept-Language": BROWSER_LOCALE})
        context = new_context(*args, **kwargs)
        context.on("page", csp_watch.watch)
        return context

    browser.new_context = watched_context
    return browser


@pytest.fixture(autouse=True)
def no_csp_violations(csp_watch):
    """A page that breaks the CSP fails its test (a refused script or style is a broken page)."""
    csp_watch.violations.clear()
    yield
    assert csp_watch.violations == [], csp_watch.violations


@pytest.fixture
def site(live_server, seeded_live_db):
    return live_server.url


@pytest.fixture
def shoot():
    """shoot(page, "name") saves a screenshot for the user guide and the CI artefacts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, guide: bool = True):
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        if guide:
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


def sign_in(page, site, username, password="demo-password"):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{site}/")


@pytest.fixture
def page_for(browser, site):
    """page_for("gd-intake") → a page in its own browser context, signed in."""
    contexts = []

    def make(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        sign_in(page, site, username)
        return page

    yield make
    for context in contexts:
        context.close()


def take_action(page, action, fill=None):
    """Open the action's panel, let `fill` complete its fields, press its button."""
    panel = page.get_by_test_id(f"action-{action}")
    panel.locator("summary").click()
    if fill:
        fill(panel)
    panel.locator(f'button[name="do"][value="{action}"]').click()
