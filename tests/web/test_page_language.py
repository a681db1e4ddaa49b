"""Every page a demo account can reach reads in the reader's language.

The pages are found, not listed: the crawl starts from every URL pattern
without parameters and follows the links each page offers, so it reaches the
pages of real demo objects (and the pages other changes add) as each role
would. A page fails on text of the other language outside data: a Chinese
run on an English page, an English word on a Chinese page. Data (names,
addresses, free text people typed) is what the database holds as free text;
values of fields with choices and the fixed names listed in TRANSLATED_FIELDS
are not data but vocabulary, and must come out translated."""

import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve

from qingqian.accounts.models import User
from qingqian.core import regions
from qingqian.publication.typical_cases import masking
from tests.web.test_url_permissions import ALL_URLS, ROLES

# Stored text that is vocabulary, not data: shown through its translation.
TRANSLATED_FIELDS = {
    ("supervision", "reportdefinition", "name"),
    ("supervision", "reportdefinition", "due_rule"),
    ("supervision", "laggardrule", "name"),
}
# Codes, units and abbreviations that Chinese text uses as they are.
LATIN_IN_CHINESE = {
    "API", "CSV", "XLSX", "Excel", "DOCX", "JPEG", "PNG", "OFD", "PDF", "ZIP", "GBK", "UTF",
    "Windows", "Word", "LPR", "ID", "URL", "HTTP", "HTTPS", "JSON", "OpenAPI", "Swagger", "UI",
    "ECharts", "TOTP", "Token", "Bearer", "MIIT", "SME", "UTC", "CST", "km", "MB", "KB", "QR",
    "YYYY", "MM", "DD", "Qingqian", "Atom",
}  # fmt: skip
SKIPPED_NAMES = {"logout", "admin:logout", "set_language", "api-not-found"}
PAGES_PER_PATTERN = 2  # two objects of each kind are enough to see a page's vocabulary
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"(?<![\w@./:-])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![\w@/:-])")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


def is_admin_icon(tag, attrs) -> bool:
    """Django's admin writes its icons' alt text untranslated ("Search", and a
    boolean's Python value "True"/"False"): not ours to translate."""
    return tag == "img" and (attrs.get("src") or "").startswith(settings.STATIC_URL + "admin/img/")


class VisibleText(HTMLParser):
    """The text a reader sees or hears, without scripts, styles and the parts
    marked as another language (lang=...) or as data (translate="no"), and code
    (<code>: what is typed as it is, e.g. a file's header row)."""

    def __init__(self, page_language):
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.stack = []  # (tag, hides its content)
        self.chunks = []

    def hidden(self):
        return any(hides for _tag, hides in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or self.page_language).lower()
        hides = (
            tag in {"script", "style", "template", "code"}
            or attrs.get("translate") == "no"
            or (tag != "html" and lang != self.page_language.lower())
        )
        if not hides and not self.hidden() and not is_admin_icon(tag, attrs):
            self.chunks += [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hides))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.hidden() and data.strip():
            self.chunks.append(data)


def visible_text(page: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(page)
    return parser.chunks


class DemoData:
    """The free text the demo database holds: a foreign-language run is data
    when a stored value containing it is on the page."""

    def __init__(self):
        self.values = sorted(set(self._stored_text()), key=len)
        self.holders = {}

    @staticmethod
    def _stored_text():
        yield from (user.username for user in User.objects.all())
        for province in regions.provinces():
            yield province.name
            yield from (prefecture.name for prefecture in regions.prefectures(province.code))
        yield from (unit.name for unit in regions.PLATFORM_UNITS.values())
        # A typical case's masks stand inside the Chinese text they are part of.
        yield from (masking.SME, masking.DEBTOR, masking.PERSON)
        for model in apps.get_models():
            meta = model._meta
            fields = [
                field.name
                for field in meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and (meta.app_label, meta.model_name, field.name) not in TRANSLATED_FIELDS
            ]
            for row in model.objects.values_list(*fields) if fields else ():
                yield from (value for value in row if value)

    def explains(self, run: str, page_text: str) -> bool:
        if run not in self.holders:
            self.holders[run] = [value for value in self.values if run in value]
        return any(value in page_text for value in self.holders[run])


def foreign_runs(texts: list[str], language: str) -> list[str]:
    if language == "en":
        return [run for text in texts for run in CJK_RUN.findall(text) if CJK_CHAR.search(run)]
    return [
        word
        for text in texts
        for word in LATIN_WORD.findall(text)
        if word not in LATIN_IN_CHINESE and word.upper() not in LATIN_IN_CHINESE
    ]


def leaks(page: str, language: str, data: DemoData) -> list[str]:
    texts = visible_text(page, language)
    page_text = "\n".join(texts)
    runs = foreign_runs(texts, language)
    return sorted({run for run in runs if not data.explains(run, page_text)})


def start_urls():
    return [url for url, name in ALL_URLS if "<" not in url and "1" not in url.split("/")]


def links(page: str) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"]+)"', page):
        url = urldefrag(href.replace("&amp;", "&"))[0]
        if url.startswith("/") and not url.startswith("//"):
            found.add(url)
    return found


def page_name(url: str) -> str | None:
    path = urlsplit(url).path
    if path.startswith(("/api/", "/static/", "/media/")):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return None if match.view_name in SKIPPED_NAMES else match.view_name


def crawl(client: Client, language: str, data: DemoData) -> tuple[dict, set[str]]:
    """Follows the links from every start page; returns the leaks by URL and the
    names of the URL patterns rendered."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    queue = deque(url for url in start_urls() if page_name(url))
    seen, per_name, found, rendered = set(queue), defaultdict(int), {}, set()
    while queue:
        url = queue.popleft()
        name = page_name(url)
        if per_name[name] >= PAGES_PER_PATTERN:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_name[name] += 1
        rendered.add(name)
        page = response.content.decode()
        if bad := leaks(page, language, data):
            found[url] = bad
        for link in links(page) - seen:
            seen.add(link)
            if page_name(link):
                queue.append(link)
    return found, rendered


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (complaints, ledger, supervision, reports), seeded once for
    the module and rolled back after it."""
    from django.test import override_settings

    from qingqian.demo_complaints import seed_demo_complaints
    from qingqian.demo_ledger import seed_demo_ledger
    from qingqian.demo_supervision import seed_demo_supervision
    from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
    from qingqian.supervision.reports.tasks import generate_due_reports

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        seed_demo_complaints()
        seed_demo_ledger()
        ledger_snapshot_take()
        seed_demo_supervision()
        generate_due_reports()
        yield DemoData()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("username", ROLES)
def test_every_page_reads_in_the_readers_language(demo_site, client_for, username, language):
    found, rendered = crawl(client_for(username), language, demo_site)
    assert len(rendered) > 5, rendered
    assert not found, "\n".join(f"{url}: {runs}" for url, runs in sorted(found.items()))


def test_the_check_sees_a_label_left_in_the_other_language():
    page = '<p title="提示">Amount <span lang="zh-Hans">中文</span> 机关</p>'
    assert foreign_runs(visible_text(page, "en"), "en") == ["提示", "机关"]
    page = '<p>金额 Outstanding <b translate="no">Acme Ltd</b> PDF</p>'
    assert foreign_runs(visible_text(page, "zh-hans"), "zh-hans") == ["Outstanding"]
