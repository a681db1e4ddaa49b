"""Every HTML page carries a Content-Security-Policy without 'unsafe-inline' or
'unsafe-eval', and holds nothing that such a policy would block: no inline
script, no <style> without the response's nonce, no style= attribute, no
on*= handler, no javascript: URL.

The pages are found by following links, as each demo role, from the start
pages, over the demo's complaints, ledger and supervision cases."""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from qingqian.demo_complaints import seed_demo_complaints
from qingqian.demo_ledger import seed_demo_ledger
from qingqian.demo_supervision import seed_demo_supervision, seed_demo_target

ROLES = ["admin", "miit-intake", "supervisor", "gd-intake", "gd-handler", "sme-demo", "debtor-demo"]
START = ["/", "/api/docs/", "/admin/", "/no-such-page/"]
NOT_FOLLOWED = {"logout", "admin:logout", "set_language"}
VISITS_PER_URL_NAME = 2  # enough to see a page's variants (filters, tabs), not every row


class PageParts(HTMLParser):
    """The links of a page and everything in it that a strict CSP would block."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.blocked: list[str] = []
        self.style_nonces: list[str | None] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…>")
            if name == "style":
                self.blocked.append(f"<{tag} style={value!r}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "style":
            self.style_nonces.append(values.get("nonce"))
        if tag == "script" and not values.get("src"):
            self._in_inline_script = values.get("type") != "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.blocked.append(f"inline <script>: {data.strip()[:60]!r}")


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict_csp(url: str, response) -> None:
    header = response.get("Content-Security-Policy")
    assert header, f"{url}: no Content-Security-Policy"
    directives = csp_directives(header)
    for name in ("default-src", "script-src", "style-src"):
        assert name in directives, (url, header)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, (url, header)
    parts = PageParts()
    parts.feed(response.content.decode())
    assert parts.blocked == [], url
    for nonce in parts.style_nonces:
        assert nonce and f"'nonce-{nonce}'" in directives["style-src"], (url, nonce, header)


def url_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(client: Client) -> list[str]:
    """Fetch every page reachable from START; check each HTML one; the paths seen."""
    queue, seen, per_name = deque(START), set(START), Counter()
    checked = []
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        assert_strict_csp(url, response)
        checked.append(url)
        parts = PageParts()
        parts.feed(response.content.decode())
        for link in parts.links:
            target = urlsplit(urljoin(url, link))
            if target.scheme or target.netloc or target.path.startswith("/static/"):
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            name = url_name(target.path)
            if local in seen or name is None or name in NOT_FOLLOWED:
                continue
            seen.add(local)
            if per_name[name] < VISITS_PER_URL_NAME:
                per_name[name] += 1
                queue.append(local)
    return checked


@pytest.fixture
def demo_data(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_complaints(count=20)
    seed_demo_ledger()
    seed_demo_supervision()
    seed_demo_target()


def test_every_page_of_every_role_has_a_strict_policy_and_obeys_it(demo_data, client_for):
    checked = {"anonymous": crawl(Client())}
    for username in ROLES:
        checked[username] = crawl(client_for(username))
    # The crawl really went deep: detail pages of the demo's records, the
    # dashboard, the admin and the API docs.
    every = {url for urls in checked.values() for url in urls}
    assert any(url.startswith("/complaints/") and url[12:13].isdigit() for url in every)
    assert any(url.startswith("/ledger/") and any(c.isdigit() for c in url) for url in every)
    assert "/supervision/" in every and "/api/docs/" in every and "/admin/" in every
    assert len(every) > 100, len(every)


def test_the_api_docs_script_is_a_file_not_inline(client):
    page = client.get("/api/docs/")
    assert_strict_csp("/api/docs/", page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_a_page_without_inline_style_gets_no_nonce(client, db):  # the home reads figures
    header = client.get("/")["Content-Security-Policy"]
    assert csp_directives(header)["style-src"] == ["'self'"]


@pytest.mark.urls("tests.web.failing_urls")
def test_the_500_page_styles_itself_with_the_nonce_of_its_policy(db):
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    assert 'data-testid="error-500"' in response.content.decode()
    assert_strict_csp("/fail/", response)
    parts = PageParts()
    parts.feed(response.content.decode())
    assert len(parts.style_nonces) == 1
